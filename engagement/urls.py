from django.urls import path

from . import views

app_name = "engagement"
urlpatterns = [
    path("cases/<int:case_pk>/chronology/", views.chronology, name="chronology"),
    path("cases/<int:case_pk>/chronology.csv", views.chronology_csv, name="chronology_csv"),
    path("cases/<int:case_pk>/attempts/new/", views.attempt_record, name="attempt_record"),
    path("cases/<int:case_pk>/attempts/<int:pk>/", views.attempt_detail, name="attempt_detail"),
    path("cases/<int:case_pk>/attempts/<int:pk>/edit/", views.attempt_edit, name="attempt_edit"),
]
