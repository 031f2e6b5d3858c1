from django.urls import path

from . import views

app_name = "returns"
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:slug>/", views.return_detail, name="return_detail"),
    path("<slug:slug>/errors.csv", views.return_errors_csv, name="return_errors_csv"),
    path("<slug:slug>/<slug:table>.csv", views.return_csv, name="return_csv"),
]
