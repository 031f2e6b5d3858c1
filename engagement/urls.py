from django.urls import path

from cases.documents.views import document_verify

from . import offline, views
from .documents import agreement_views, letter_views
from .messages import views as message_views
from .partners import views as partner_views
from .safety import views as safety_views
from .supporting_families import views as supporting_families_views

app_name = "engagement"
urlpatterns = [
    path("cases/<int:case_pk>/chronology/", views.chronology, name="chronology"),
    path("cases/<int:case_pk>/chronology.csv", views.chronology_csv, name="chronology_csv"),
    path("cases/<int:case_pk>/attempts/new/", views.attempt_record, name="attempt_record"),
    # The device's outbox sends an attempt recorded with no connection (engagement.offline).
    path("cases/<int:case_pk>/attempts/offline/", offline.attempt_sync, name="attempt_sync"),
    path("cases/<int:case_pk>/attempts/<int:pk>/", views.attempt_detail, name="attempt_detail"),
    path("cases/<int:case_pk>/attempts/<int:pk>/edit/", views.attempt_edit, name="attempt_edit"),
    # Texts and emails to families through GOV.UK Notify (engagement.messages).
    path(
        "cases/<int:case_pk>/people/<int:person_pk>/message/",
        message_views.message_write,
        name="message_write",
    ),
    path("cases/<int:case_pk>/messages/<int:pk>/", message_views.message_detail, name="message_detail"),
    path("notify/costs/", message_views.message_costs, name="message_costs"),
    path("notify/texts/unknown-numbers/", message_views.unmatched_texts, name="unmatched_texts"),
    path(
        "notify/texts/unknown-numbers/<int:pk>/",
        message_views.unmatched_text_place,
        name="unmatched_text_place",
    ),
    # Notify's callbacks: not pages, authenticated by the bearer token given to Notify.
    path("notify/callbacks/delivery/", message_views.delivery_callback, name="notify_delivery_callback"),
    path(
        "notify/callbacks/returned-letter/",
        message_views.returned_letter_callback,
        name="notify_returned_letter_callback",
    ),
    path("notify/callbacks/inbound-text/", message_views.inbound_callback, name="notify_inbound_callback"),
    # Staff safety: hostile incidents, their reviews, the lone-working warning.
    path(
        "cases/<int:case_pk>/hostile-incidents/new/",
        safety_views.hostile_incident_record,
        name="hostile_incident_record",
    ),
    path(
        "cases/<int:case_pk>/hostile-incidents/<int:pk>/",
        safety_views.hostile_incident_detail,
        name="hostile_incident_detail",
    ),
    path(
        "cases/<int:case_pk>/hostile-incidents/<int:pk>/review/",
        safety_views.hostile_incident_review,
        name="hostile_incident_review",
    ),
    path(
        "cases/<int:case_pk>/lone-working-warnings/<int:pk>/lift/",
        safety_views.warning_lift,
        name="warning_lift",
    ),
    # Supporting Families: the family's needs, their outcomes at closure and six months on.
    path(
        "cases/<int:case_pk>/supporting-families/",
        supporting_families_views.supporting_families,
        name="supporting_families",
    ),
    path(
        "cases/<int:case_pk>/supporting-families/needs/",
        supporting_families_views.needs_record,
        name="supporting_families_needs",
    ),
    path(
        "cases/<int:case_pk>/supporting-families/outcomes/",
        supporting_families_views.outcomes_record,
        name="supporting_families_outcomes",
    ),
    path(
        "cases/<int:case_pk>/supporting-families/sustained/",
        supporting_families_views.sustained_record,
        name="supporting_families_sustained",
    ),
    # Working together agreements.
    path("cases/<int:case_pk>/agreements/", agreement_views.agreement_list, name="agreement_list"),
    path("cases/<int:case_pk>/agreements/start/", agreement_views.agreement_start, name="agreement_start"),
    path(
        "cases/<int:case_pk>/agreements/<int:pk>/", agreement_views.agreement_detail, name="agreement_detail"
    ),
    path(
        "cases/<int:case_pk>/agreements/<int:pk>/edit/", agreement_views.agreement_edit, name="agreement_edit"
    ),
    path(
        "cases/<int:case_pk>/agreements/<int:pk>/sign/", agreement_views.agreement_sign, name="agreement_sign"
    ),
    path(
        "cases/<int:case_pk>/agreements/<int:pk>/signed.pdf",
        agreement_views.agreement_pdf,
        name="agreement_pdf",
    ),
    # Letters to families.
    path("cases/<int:case_pk>/letters/", letter_views.letter_list, name="letter_list"),
    path("cases/<int:case_pk>/letters/new/", letter_views.letter_start, name="letter_start"),
    path("cases/<int:case_pk>/letters/outside/", letter_views.letter_outside, name="letter_outside"),
    path("cases/<int:case_pk>/letters/<int:pk>/", letter_views.letter_detail, name="letter_detail"),
    path("cases/<int:case_pk>/letters/<int:pk>/edit/", letter_views.letter_edit, name="letter_edit"),
    path("cases/<int:case_pk>/letters/<int:pk>/send/", letter_views.letter_send, name="letter_send"),
    path("cases/<int:case_pk>/letters/<int:pk>/decide/", letter_views.letter_decide, name="letter_decide"),
    path("cases/<int:case_pk>/letters/<int:pk>/signed.pdf", letter_views.letter_pdf, name="letter_pdf"),
    # A multi-agency member reports non-engagement on a case they sit on.
    path("cases/<int:case_pk>/partner-report/", partner_views.partner_report, name="partner_report"),
    # Anyone signed in can check that a PDF is exactly as the organisation signed it.
    path("documents/verify/", document_verify, name="document_verify"),
]
