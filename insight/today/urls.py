from django.urls import path

from . import offline, views

app_name = "today"
urlpatterns = [
    path("", views.my_work_today, name="my_work"),
    # Working with no connection (insight.today.offline).
    path("offline/", offline.offline_page, name="offline"),
    path("offline/cases.json", offline.offline_cases, name="offline_cases"),
]
