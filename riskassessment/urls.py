from django.urls import path

from . import views

app_name = "riskassessment"
urlpatterns = [
    path("shared/", views.shared_list, name="shared_list"),
]
