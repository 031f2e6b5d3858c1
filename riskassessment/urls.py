from django.urls import path

from . import views

app_name = "riskassessment"
urlpatterns = [
    # Multi-agency meeting members.
    path("shared/", views.shared_list, name="shared_list"),
    path("shared/<int:pk>/", views.shared_detail, name="shared_detail"),
    path("shared/<int:pk>/acknowledge/", views.shared_acknowledge, name="shared_acknowledge"),
    path("shared/<int:pk>/comment/", views.shared_comment, name="shared_comment"),
    path("shared/<int:pk>/signed.pdf", views.shared_pdf, name="shared_pdf"),
    # The case team.
    path("case/<int:case_pk>/", views.case_assessments, name="case_assessments"),
    path("case/<int:case_pk>/start/", views.assessment_start, name="assessment_start"),
    path("case/<int:case_pk>/<int:pk>/", views.assessment_detail, name="assessment_detail"),
    # The retired one-page edit form's address, kept so old bookmarks reach the task list.
    path("case/<int:case_pk>/<int:pk>/edit/", views.assessment_edit_moved, name="assessment_edit_moved"),
    # The draft as a task list: each section on its own page, one factor or action a page.
    path("case/<int:case_pk>/<int:pk>/tasks/", views.assessment_tasks, name="assessment_tasks"),
    path("case/<int:case_pk>/<int:pk>/tasks/about/", views.assessment_about, name="assessment_about"),
    path(
        "case/<int:case_pk>/<int:pk>/tasks/analysis/", views.assessment_analysis, name="assessment_analysis"
    ),
    path(
        "case/<int:case_pk>/<int:pk>/tasks/factors/<slug:side>/",
        views.assessment_factors,
        name="assessment_factors",
    ),
    path(
        "case/<int:case_pk>/<int:pk>/tasks/factors/<slug:side>/add/",
        views.assessment_factor,
        name="assessment_factor_add",
    ),
    path(
        "case/<int:case_pk>/<int:pk>/tasks/factors/<slug:side>/<int:factor_pk>/",
        views.assessment_factor,
        name="assessment_factor_change",
    ),
    path(
        "case/<int:case_pk>/<int:pk>/tasks/factors/<slug:side>/<int:factor_pk>/remove/",
        views.assessment_factor_remove,
        name="assessment_factor_remove",
    ),
    path("case/<int:case_pk>/<int:pk>/tasks/actions/", views.assessment_actions, name="assessment_actions"),
    path(
        "case/<int:case_pk>/<int:pk>/tasks/actions/add/",
        views.assessment_action,
        name="assessment_action_add",
    ),
    path(
        "case/<int:case_pk>/<int:pk>/tasks/actions/<int:action_pk>/",
        views.assessment_action,
        name="assessment_action_change",
    ),
    path(
        "case/<int:case_pk>/<int:pk>/tasks/actions/<int:action_pk>/remove/",
        views.assessment_action_remove,
        name="assessment_action_remove",
    ),
    path("case/<int:case_pk>/<int:pk>/submit/", views.assessment_submit, name="assessment_submit"),
    path("case/<int:case_pk>/<int:pk>/oversight/", views.assessment_oversight, name="assessment_oversight"),
    path("case/<int:case_pk>/<int:pk>/sign/", views.assessment_sign, name="assessment_sign"),
    path("case/<int:case_pk>/<int:pk>/return/", views.assessment_return, name="assessment_return"),
    path("case/<int:case_pk>/<int:pk>/amend/", views.assessment_amend, name="assessment_amend"),
    path("case/<int:case_pk>/<int:pk>/share/", views.assessment_share, name="assessment_share"),
    path("case/<int:case_pk>/<int:pk>/changes/", views.assessment_changes, name="assessment_changes"),
    path("case/<int:case_pk>/<int:pk>/signed.pdf", views.assessment_pdf, name="assessment_pdf"),
]
