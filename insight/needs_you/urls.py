from django.urls import path

from . import views

app_name = "needs_you"
urlpatterns = [
    path("", views.needs_you, name="queue"),
]
