from django.urls import path

from . import views
from .messaging import views as messaging_views

app_name = "cases"
urlpatterns = [
    path("", views.my_cases, name="my_cases"),
    path("new/", views.case_create, name="case_create"),
    path("outbox/", messaging_views.outbox, name="outbox"),
    path("<int:case_pk>/", views.case_detail, name="case_detail"),
    path("<int:case_pk>/edit/", views.case_edit, name="case_edit"),
    path("<int:case_pk>/close/", views.case_close, name="case_close"),
    path("<int:case_pk>/reassign/", views.case_reassign, name="case_reassign"),
    path("<int:case_pk>/people/add/<str:kind>/", views.person_add, name="person_add"),
    path("<int:case_pk>/people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("<int:case_pk>/people/<int:pk>/returns/", views.person_returns, name="person_returns"),
    path("<int:case_pk>/episode-codes/", views.case_episode_codes, name="case_episode_codes"),
    path("<int:case_pk>/members/add/", views.membership_add, name="membership_add"),
    path("<int:case_pk>/members/<int:pk>/end/", views.membership_end, name="membership_end"),
    path("<int:case_pk>/members/<int:pk>/decide/", views.membership_decide, name="membership_decide"),
]
