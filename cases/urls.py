from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("", views.my_cases, name="my_cases"),
    path("new/", views.case_create, name="case_create"),
    path("<int:case_pk>/", views.case_detail, name="case_detail"),
]
