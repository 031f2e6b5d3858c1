from django.urls import path

from . import views

app_name = "insight"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("figures/<slug:figure>.csv", views.figure_csv, name="figure_csv"),
    path("sudden-drops/", views.sudden_drops, name="sudden_drops"),
]
