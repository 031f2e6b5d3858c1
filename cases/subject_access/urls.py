from django.urls import path

from . import views

app_name = "subject_access"
urlpatterns = [
    path("", views.request_list, name="request_list"),
    path("new/", views.request_new, name="request_new"),
    path("<int:pk>/", views.request_detail, name="request_detail"),
    path("<int:pk>/items/<int:item_pk>/", views.item_review, name="item_review"),
    path("<int:pk>/release/", views.request_release, name="request_release"),
    path("<int:pk>/bundle.pdf", views.bundle_pdf, name="bundle_pdf"),
]
