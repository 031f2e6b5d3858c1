from django.contrib import admin
from django.urls import include, path

from cases import views as case_views

admin.site.site_header = "Engaging families: configuration"
admin.site.site_title = "Engaging families configuration"
admin.site.index_title = "Configuration"
# The admin signs in through the same login (and the same MFA) as everyone else.
admin.site.login = case_views.admin_login_redirect

urlpatterns = [
    path("", case_views.home, name="home"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("cases/", include("cases.urls")),
    path("engagement/", include("engagement.urls")),
    path("practice/", include("engagement.practice.urls")),
    path("assessments/", include("riskassessment.urls")),
    path("flowchart/", include("flowchart.urls")),
    path("team/", include("insight.dashboard.urls")),
    path("social-work/", include("flowchart.social_work_urls")),
    path("insight/", include("insight.urls")),
    path("healthz", case_views.healthz, name="healthz"),
]

handler403 = "cases.views.permission_denied"
handler404 = "cases.views.page_not_found"
handler500 = "cases.views.server_error"
