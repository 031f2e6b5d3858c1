from django.urls import path

from . import views

app_name = "dashboard"
urlpatterns = [
    path("", views.teams, name="teams"),
    path("<int:team_pk>/", views.team_dashboard, name="team_dashboard"),
    path("<int:team_pk>/cases/", views.figure_cases, name="figure_cases"),
]
