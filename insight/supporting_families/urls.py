from django.urls import path

from . import views

app_name = "supporting_families"
urlpatterns = [
    path("claims/", views.claim_list, name="claim_list"),
    path("claims.csv", views.claim_list_csv, name="claim_list_csv"),
]
