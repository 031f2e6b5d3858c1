from django.urls import path

from . import social_work_views as views

app_name = "socialwork"
urlpatterns = [
    path("", views.allocated_cases, name="allocated_cases"),
    path("cases/<int:case_pk>/", views.case, name="case"),
    path("cases/<int:case_pk>/assessments/<int:pk>/", views.assessment, name="assessment"),
    path("cases/<int:case_pk>/assessments/<int:pk>/signed.pdf", views.assessment_pdf, name="assessment_pdf"),
    path("cases/<int:case_pk>/decisions/", views.decisions, name="decisions"),
    path("cases/<int:case_pk>/partner-reports/", views.partner_reports, name="partner_reports"),
]
