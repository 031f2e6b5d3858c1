from django.urls import path

from . import pathway_views, views

app_name = "flowchart"
urlpatterns = [
    path("cases/<int:case_pk>/", views.case_flowchart, name="case_flowchart"),
    path("cases/<int:case_pk>/start/", views.episode_start, name="episode_start"),
    path("cases/<int:case_pk>/evidence/", views.evidence, name="evidence"),
    path(
        "cases/<int:case_pk>/steps/<int:order>/not-possible/",
        views.step_not_possible,
        name="step_not_possible",
    ),
    path("cases/<int:case_pk>/inform-manager/", views.manager_inform, name="manager_inform"),
    path("cases/<int:case_pk>/escalate/", views.safeguarding_escalate, name="safeguarding_escalate"),
    path("cases/<int:case_pk>/oversight/", views.oversight_record, name="oversight_record"),
    path("cases/<int:case_pk>/decision/", views.decision_record, name="decision_record"),
    path("cases/<int:case_pk>/decisions/<int:pk>/share/", views.decision_share, name="decision_share"),
    path("cases/<int:case_pk>/close/", views.case_close, name="case_close"),
    path("cases/<int:case_pk>/close/ask/", views.closure_request, name="closure_request"),
    path("cases/<int:case_pk>/close/requests/<int:pk>/", views.case_close, name="closure_decide"),
    path("oversight/", views.oversight_queue, name="oversight_queue"),
    path("pathways/", pathway_views.pathway_list, name="pathway_list"),
    path("pathways/<int:pk>/", pathway_views.pathway_steps, name="pathway_steps"),
    path("pathways/<int:pk>/draft/", pathway_views.pathway_draft_create, name="pathway_draft_create"),
    path(
        "pathways/<int:pk>/draft/steps/<int:order>/",
        pathway_views.pathway_step_change,
        name="pathway_step_change",
    ),
    path("pathways/<int:pk>/draft/publish/", pathway_views.pathway_publish, name="pathway_publish"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/<int:pk>/read/", views.notification_read, name="notification_read"),
]
