from django.urls import path

from . import views

app_name = "today"
urlpatterns = [
    path("", views.my_work_today, name="my_work"),
]
