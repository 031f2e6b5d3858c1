from django.urls import path

from . import views

app_name = "practice"
urlpatterns = [
    path("cases/<int:case_pk>/", views.overview, name="overview"),
    path("cases/<int:case_pk>/cycle-of-change/<int:person_pk>/", views.stage, name="stage"),
    path("cases/<int:case_pk>/signs-of-safety/", views.safety, name="safety"),
    path("cases/<int:case_pk>/signs-of-safety/new/", views.safety_new, name="safety_new"),
    path("cases/<int:case_pk>/signs-of-safety/<int:pk>/", views.safety_detail, name="safety_detail"),
    path("cases/<int:case_pk>/safety-scale/new/", views.scale_rating_new, name="scale_rating_new"),
    path("cases/<int:case_pk>/goals/", views.goals, name="goals"),
    path("cases/<int:case_pk>/goals/new/", views.goal_new, name="goal_new"),
    path("cases/<int:case_pk>/goals/<int:pk>/edit/", views.goal_edit, name="goal_edit"),
    path("cases/<int:case_pk>/supervision/", views.supervision, name="supervision"),
    path("cases/<int:case_pk>/supervision/new/", views.supervision_new, name="supervision_new"),
    path("cases/<int:case_pk>/supervision/<int:pk>/", views.supervision_detail, name="supervision_detail"),
    path(
        "cases/<int:case_pk>/supervision/<int:pk>/family/",
        views.supervision_family,
        name="supervision_family",
    ),
]
