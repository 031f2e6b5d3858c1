"""Hostile incidents reach the line manager and the allocated social worker at once; the case
carries a lone-working warning until the line manager lifts it.

Coventry (001): "If a violent incident occurs, make a judgement without delay and contact a
manager immediately". Camden (004, section 7): "Professionals should report any incidents of
hostility or contact with a service user that makes them feel uncomfortable or worried about their
personal safety to their line manager" and "should also report any incidents to the allocated
social worker who may convene a risk management meeting".
"""

import datetime as dt
import re

import pytest
from django.core import mail
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from cases.notifications import Notification, NotificationKind
from engagement.models import ContactAttempt
from engagement.safety.models import HostileIncident, HostileIncidentReview, LoneWorkingWarning
from engagement.safety.services import (
    HostileIncidentError,
    hostile_incident_record,
    hostile_incident_review_record,
    lone_working_warning_lift,
)
from flowchart.services import reminders_sweep
from tests.factories import (
    PractitionerFactory,
    RelationshipFactory,
    SocialWorkerMembershipFactory,
)

from .conftest import NOW

WHAT = "Grace's partner shouted from the window and threatened to set the dog on me."


@pytest.fixture
def parent(case, mother, child):
    RelationshipFactory(adult=mother, child=child, kind="mother")
    return mother


@pytest.fixture
def social_worker(case):
    """The allocated social worker: the role and a social-worker membership of the case (Camden 004)."""
    return SocialWorkerMembershipFactory(
        case=case, user__full_name="Sam Social Worker", user__email="sam.sw@example.test"
    ).user


def _date(prefix, day):
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year}


def _hostile_call(client, case, parent, lead):
    """A phone call on day 3 where the mother answered with threats: hostility ticked."""
    return client.post(
        reverse("engagement:attempt_record", kwargs={"case_pk": case.pk}),
        {
            "kind": "phone_call",
            **_date("occurred_on", NOW.date()),
            "occurred_time": "09:40",
            "outcome": "spoke",
            "with_person": parent.pk,
            "response": "hostile",
            "made_by": lead.pk,
            "notes": WHAT,
            "non_engagement_forms": ["hostility"],
        },
    )


def _incident_form(incident_url, client, parent, lead, **extra):
    return client.post(
        incident_url,
        {
            **_date("occurred_on", NOW.date()),
            "occurred_time": "09:40",
            "place": "On the telephone",
            "people": [parent.pk],
            "what_happened": WHAT,
            "involved": ["threats", "animals"],
            "staff_affected": [lead.pk],
            **extra,
        },
    )


def _record(case, by, person, **kwargs):
    defaults = {
        "occurred_at": NOW - dt.timedelta(hours=1),
        "place": "On the doorstep",
        "people": [person],
        "what_happened": WHAT,
    }
    return hostile_incident_record(case=case, by=by, **{**defaults, **kwargs})


def test_hostility_on_a_day_3_call_tells_the_manager_and_the_social_worker_once_each(
    case, parent, lead, manager, social_worker, lead_client, django_capture_on_commit_callbacks
):
    """Coventry (001): "If a violent incident occurs, make a judgement without delay and contact a
    manager immediately". Camden (004, section 7): report "to their line manager" and "to the
    allocated social worker who may convene a risk management meeting".

    Ticking "Hostility or violence" on a day-3 phone call saves the attempt, then takes the
    practitioner straight to the incident form, filled in from the attempt. Saving it tells the
    line manager and the allocated social worker, once each, in the app and by email."""
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = _hostile_call(lead_client, case, parent, lead)
    attempt = ContactAttempt.objects.get(case=case)  # saved first: nothing typed is lost
    form_url = reverse("engagement:hostile_incident_record", kwargs={"case_pk": case.pk})
    assert response.status_code == 302 and response["Location"] == f"{form_url}?attempt={attempt.pk}"

    page = lead_client.get(response["Location"]).content.decode()
    assert "Record the hostile incident now" in page
    assert 'value="09:40"' in page and 'value="On the telephone"' in page
    assert re.search(rf'value="{parent.pk}"[^>]*checked', page), "the person of the attempt is ticked"
    assert WHAT.replace("'", "&#x27;") in page, "what happened comes from the attempt's notes"

    with django_capture_on_commit_callbacks(execute=True):
        saved = _incident_form(f"{form_url}?attempt={attempt.pk}", lead_client, parent, lead)
    incident = HostileIncident.objects.get(case=case)
    assert saved["Location"] == reverse(
        "engagement:hostile_incident_detail", kwargs={"case_pk": case.pk, "pk": incident.pk}
    )
    assert incident.attempt == attempt and incident.threats and incident.animals and not incident.violence
    told = Notification.objects.filter(kind=NotificationKind.HOSTILE_INCIDENT).order_by(
        "recipient__full_name"
    )
    assert [n.recipient for n in told] == [manager, social_worker]
    assert {tuple(m.to) for m in mail.outbox if "hostile incident" in m.subject} == {
        (manager.email,),
        (social_worker.email,),
    }
    # Saving again (a resubmitted form) and the sweeps add nothing.
    with django_capture_on_commit_callbacks(execute=True):
        again = _incident_form(f"{form_url}?attempt={attempt.pk}", lead_client, parent, lead)
        reminders_sweep(now=timezone.now())
        reminders_sweep(now=timezone.now() + dt.timedelta(hours=8))
    assert again.status_code == 302 and HostileIncident.objects.count() == 1
    assert Notification.objects.filter(kind=NotificationKind.HOSTILE_INCIDENT).count() == 2
    assert len([m for m in mail.outbox if "hostile incident" in m.subject]) == 2


def test_the_email_says_where_to_look_not_what_happened(case, parent, lead, social_worker):
    """Issue 17: the email carries the case reference, that an incident was recorded, and a link."""
    from django.conf import settings

    from cases.notifications import notification_deliver

    incident = _record(case, lead, parent)
    notification = Notification.objects.get(kind=NotificationKind.HOSTILE_INCIDENT, recipient=social_worker)
    mail.outbox.clear()
    notification_deliver(notification_id=notification.pk)
    (email,) = mail.outbox
    assert case.reference in email.subject and "hostile incident was recorded" in email.subject
    url = reverse("engagement:hostile_incident_detail", kwargs={"case_pk": case.pk, "pk": incident.pk})
    assert f"{settings.SITE_URL}{url}" in email.body
    for detail in (WHAT, "dog", "doorstep", parent.full_name, case.family_name):
        assert detail not in email.body and detail not in email.subject


def test_the_warning_shows_on_the_case_my_cases_and_the_attempt_form(case, parent, lead, lead_client):
    """Issue 17: "the case and 'My cases' show a lone-working warning ('Visit in pairs', with the
    incident's date), and the attempt form for that case shows it too"."""
    _record(case, lead, parent, occurred_at=NOW - dt.timedelta(days=1))
    warning = LoneWorkingWarning.objects.get(case=case)
    assert warning.is_live and warning.raised_on == NOW.date()
    for name, kwargs, on in (
        ("cases:case_detail", {"case_pk": case.pk}, "4 November 2026"),
        ("cases:my_cases", {}, "4 Nov 2026"),
        ("engagement:attempt_record", {"case_pk": case.pk}, "4 November 2026"),
    ):
        page = lead_client.get(reverse(name, kwargs=kwargs)).content.decode()
        assert "govuk-warning-text" in page
        assert f"Visit in pairs: hostile incident on {on}" in page, name
    my_cases = lead_client.get(reverse("cases:my_cases")).content.decode()
    row = my_cases.split(case.family_name, 1)[1].split("</tr>", 1)[0]
    assert "Visit in pairs" in row, "the warning is on the family's row"


def test_the_warning_stays_until_the_line_manager_lifts_it_with_a_reason(
    case, parent, lead, manager, social_worker, client, django_capture_on_commit_callbacks
):
    """DOMAIN: "the case carries a lone-working warning until the manager lifts it". The lead
    practitioner cannot lift it (404 on the page, the service refuses), nor the allocated social
    worker; the line manager can, and must say why."""
    incident = _record(case, lead, parent)
    warning = LoneWorkingWarning.objects.get(case=case)
    url = reverse("engagement:warning_lift", kwargs={"case_pk": case.pk, "pk": warning.pk})
    for who in (lead, social_worker):
        client.force_login(who)
        assert client.get(url).status_code == 404
        assert client.post(url, {"reason": "Family moved"}).status_code == 404
        with pytest.raises(HostileIncidentError, match="Only the case's line manager can lift"):
            lone_working_warning_lift(warning=warning, by=who, reason="Family moved")
    client.force_login(manager)
    refused = client.post(url, {"reason": "  "})
    assert refused.status_code == 200 and "Enter why the warning can be lifted" in refused.content.decode()
    with pytest.raises(HostileIncidentError, match="Enter why the warning can be lifted"):
        lone_working_warning_lift(warning=warning, by=manager, reason="")
    warning.refresh_from_db()
    assert warning.is_live
    with django_capture_on_commit_callbacks(execute=True):
        lifted = client.post(
            url, {"reason": "The risk management meeting agreed single visits at the office."}
        )
    assert lifted.status_code == 302
    warning.refresh_from_db()
    assert not warning.is_live and warning.lifted_by == manager and warning.lift_reason.startswith("The risk")
    assert (
        "Visit in pairs"
        not in client.get(reverse("cases:case_detail", kwargs={"case_pk": case.pk})).content.decode()
    )
    # The lead practitioner and the social worker are told it was lifted.
    assert set(
        Notification.objects.filter(kind=NotificationKind.WARNING_LIFTED).values_list("recipient", flat=True)
    ) == {
        lead.pk,
        social_worker.pk,
    }
    with pytest.raises(HostileIncidentError, match="already lifted"):
        lone_working_warning_lift(warning=warning, by=manager, reason="Again")
    assert incident.lone_working_warnings.get() == warning
    versions = list(warning.history.order_by("history_date", "history_id"))
    assert versions[0].lifted_at is None and versions[0].history_user == lead  # raised
    assert versions[-1].lifted_by_id == manager.pk and versions[-1].history_user == manager  # lifted


def test_a_later_incident_while_the_warning_is_live_joins_the_same_warning(case, parent, lead, manager):
    """One live warning per case: a second incident is added to it, so the case shows one warning
    and lifting it is one judgement over both. After it is lifted a new incident raises a new one."""
    first = _record(case, lead, parent, occurred_at=NOW - dt.timedelta(days=2))
    second = _record(case, lead, parent, occurred_at=NOW - dt.timedelta(hours=2))
    warning = LoneWorkingWarning.objects.get(case=case)
    assert warning.incident == first and set(warning.incidents.all()) == {first, second}
    from engagement.safety.selectors import live_warning

    assert live_warning(case).incident_on == timezone.localdate(second.occurred_at)
    lone_working_warning_lift(warning=warning, by=manager, reason="Agreed at the meeting.")
    third = _record(case, lead, parent)
    assert LoneWorkingWarning.objects.filter(case=case).count() == 2
    assert LoneWorkingWarning.objects.get(case=case, lifted_at__isnull=True).incident == third


def test_two_incidents_recorded_at_once_share_one_warning(case, parent, lead, monkeypatch):
    """Issue finding 15: concurrent duplicates "answered with the existing record". Both requests
    look for a live warning before either has made one; the second insert meets the one-live-
    warning constraint and its incident joins the first's warning instead of failing."""
    first = _record(case, lead, parent, occurred_at=NOW - dt.timedelta(hours=2))
    first_of = QuerySet.first
    monkeypatch.setattr(
        QuerySet, "first", lambda self: None if self.model is LoneWorkingWarning else first_of(self)
    )

    second = _record(case, lead, parent)

    warning = LoneWorkingWarning.objects.get(case=case)
    assert warning.incident == first and set(warning.incidents.all()) == {first, second}


def test_the_manager_and_the_social_worker_review_and_nobody_else(
    case, parent, lead, manager, social_worker, client
):
    """Camden (004, section 7): the social worker "may convene a risk management meeting"; the
    line manager monitors "under the organisation's safe working policies". The review records
    the meeting, its date, the safety plan and whether the warning stays."""
    incident = _record(case, lead, parent)
    url = reverse("engagement:hostile_incident_review", kwargs={"case_pk": case.pk, "pk": incident.pk})
    client.force_login(lead)
    assert client.get(url).status_code == 404
    with pytest.raises(
        HostileIncidentError, match="Only the case's line manager or its allocated social worker"
    ):
        hostile_incident_review_record(incident=incident, by=lead, meeting_held=False, safety_plan="x")
    client.force_login(social_worker)
    assert client.get(url).status_code == 200
    missing = client.post(url, {"meeting_held": "yes", "safety_plan": "Joint visits only."})
    assert "Enter the date of the meeting" in missing.content.decode()
    done = client.post(
        url,
        {
            "meeting_held": "yes",
            **_date("meeting_on", NOW.date()),
            "safety_plan": "Joint visits only, in daylight.",
            "warning_stays": "no",
        },
    )
    assert done.status_code == 302 and done["Location"].endswith(f"/hostile-incidents/{incident.pk}/")
    review = HostileIncidentReview.objects.get()
    assert review.reviewed_by == social_worker and review.meeting_on == NOW.date()
    assert review.warning_stays is False
    assert LoneWorkingWarning.objects.get().is_live, "only the line manager lifts the warning"
    told = Notification.objects.get(kind=NotificationKind.HOSTILE_REVIEW, recipient=manager)
    assert "only the line manager can lift it" in told.body
    # The manager's own review, saying the warning can go, leads straight to lifting it.
    client.force_login(manager)
    response = client.post(
        url, {"meeting_held": "no", "safety_plan": "Office meetings.", "warning_stays": "no"}
    )
    warning = LoneWorkingWarning.objects.get()
    assert response["Location"] == reverse(
        "engagement:warning_lift", kwargs={"case_pk": case.pk, "pk": warning.pk}
    )


def test_a_social_worker_whose_place_ended_cannot_review(case, parent, lead, social_worker, client):
    incident = _record(case, lead, parent)
    from cases.services import membership_end

    membership_end(membership=social_worker.case_memberships.get(), by=lead)
    client.force_login(social_worker)
    url = reverse("engagement:hostile_incident_review", kwargs={"case_pk": case.pk, "pk": incident.pk})
    assert client.get(url).status_code == 404
    detail = reverse("engagement:hostile_incident_detail", kwargs={"case_pk": case.pk, "pk": incident.pk})
    assert client.get(detail).status_code == 404


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"place": " "}, "Enter where it happened"),
        ({"people": []}, "Select who from the family was involved"),
        ({"what_happened": ""}, "Describe what happened"),
        ({"police_reference": "CAD 123"}, "tick 'The police were called' or remove the reference"),
        ({"occurred_at": NOW + dt.timedelta(hours=1)}, "The time of the incident must be now or in the past"),
        ({"occurred_at": dt.datetime(2026, 11, 1, 9, tzinfo=dt.UTC)}, "on or after the referral date"),
    ],
)
def test_an_incident_that_cannot_be_recorded_is_refused_with_what_to_do(case, parent, lead, change, message):
    with pytest.raises(HostileIncidentError, match=message):
        _record(case, lead, parent, **change)
    assert not HostileIncident.objects.exists() and not LoneWorkingWarning.objects.exists()


def test_someone_of_another_family_or_off_the_case_is_refused(case, parent, lead):
    from tests.factories import AdultFactory

    stranger = AdultFactory()
    with pytest.raises(HostileIncidentError, match="is not part of this family"):
        _record(case, lead, stranger)
    outsider = PractitionerFactory(full_name="Olu Outsider")
    with pytest.raises(HostileIncidentError, match="does not work on this case"):
        _record(case, lead, parent, staff_affected=[outsider])
    with pytest.raises(HostileIncidentError, match="does not work on this case"):
        _record(case, outsider, parent)


def test_correcting_an_attempt_to_add_hostility_leads_to_the_incident_form(case, parent, lead, lead_client):
    """Hostility ticked later, on correcting the record, takes the practitioner to the form too."""
    from engagement.services import contact_attempt_record

    attempt = contact_attempt_record(
        case=case,
        by=lead,
        kind="unannounced_visit",
        outcome="refused_entry",
        occurred_at=NOW - dt.timedelta(hours=2),
        with_person=parent,
        response="declined",
        notes="Grace said through the door she did not want a visit.",
    )
    response = lead_client.post(
        reverse("engagement:attempt_edit", kwargs={"case_pk": case.pk, "pk": attempt.pk}),
        {
            "kind": "unannounced_visit",
            **_date("occurred_on", NOW.date()),
            "occurred_time": timezone.localtime(attempt.occurred_at).strftime("%H:%M"),
            "outcome": "refused_entry",
            "with_person": parent.pk,
            "response": "hostile",
            "made_by": lead.pk,
            "notes": attempt.notes,
            "non_engagement_forms": ["hostility"],
        },
    )
    assert response.status_code == 302 and response["Location"].endswith(f"?attempt={attempt.pk}")
    page = lead_client.get(response["Location"]).content.decode()
    assert "At the family&#x27;s home (unannounced home visit)" in page, "where, if a visit"


def test_the_incident_and_its_review_are_in_the_chronology(case, parent, lead, manager, lead_client):
    """Issue 17: "The incident and the review enter the chronology": a clearly marked section,
    newest first, the lifted warning too."""
    incident = _record(case, lead, parent, occurred_at=NOW - dt.timedelta(days=1))
    hostile_incident_review_record(
        incident=incident,
        by=manager,
        meeting_held=False,
        safety_plan="Office visits only.",
        warning_stays=False,
    )
    lone_working_warning_lift(
        warning=LoneWorkingWarning.objects.get(), by=manager, reason="Agreed in supervision."
    )
    page = lead_client.get(reverse("engagement:chronology", kwargs={"case_pk": case.pk})).content.decode()
    section = page.split('id="hostile-incidents"', 1)[1].split("</section>", 1)[0]
    order = [
        section.index("Lone-working warning lifted"),
        section.index("Review of the hostile incident of 4 November 2026"),
        section.index("Hostile incident\n"),
    ]
    assert order == sorted(order), "newest first"
    assert "Office visits only." in section and "Agreed in supervision." in section
    assert "threatened to set the dog on me" in section


def test_the_incident_is_in_the_managers_queue_until_reviewed(case, parent, lead, manager, client):
    incident = _record(case, lead, parent)
    client.force_login(manager)
    queue = reverse("needs_you:queue")
    page = client.get(queue).content.decode()
    assert "Hostile incident to review" in page and case.family_name in page
    hostile_incident_review_record(
        incident=incident, by=manager, meeting_held=False, safety_plan="Joint visits.", warning_stays=True
    )
    assert "Hostile incident to review" not in client.get(queue).content.decode()


def test_a_closed_case_takes_no_new_incident(case, parent, lead):
    case.status, case.closed_on, case.closure_reason = "closed", NOW.date(), "Moved out of the area."
    case.save()
    with pytest.raises(HostileIncidentError, match="This case was closed"):
        _record(case, lead, parent)


def test_a_hostile_response_alone_leads_to_the_incident_form(case, parent, lead, lead_client):
    """'Responded with hostility or abuse', without ticking the form of non-engagement, is hostility too."""
    response = lead_client.post(
        reverse("engagement:attempt_record", kwargs={"case_pk": case.pk}),
        {
            "kind": "unannounced_visit",
            **_date("occurred_on", NOW.date()),
            "occurred_time": "09:15",
            "outcome": "refused_entry",
            "with_person": parent.pk,
            "response": "hostile",
            "made_by": lead.pk,
            "notes": "Shouted through the letterbox at me to go away.",
            "another": "Save and record another",
        },
    )
    attempt = ContactAttempt.objects.get(case=case)
    assert attempt.hostile and response["Location"].endswith(f"/hostile-incidents/new/?attempt={attempt.pk}")


def test_an_attempt_without_hostility_goes_on_as_before(case, parent, lead, lead_client):
    response = lead_client.post(
        reverse("engagement:attempt_record", kwargs={"case_pk": case.pk}),
        {
            "kind": "phone_call",
            **_date("occurred_on", NOW.date()),
            "occurred_time": "09:15",
            "outcome": "no_answer",
            "with_person": parent.pk,
            "made_by": lead.pk,
        },
    )
    assert response["Location"] == reverse("engagement:chronology", kwargs={"case_pk": case.pk})
    assert not HostileIncident.objects.exists() and not LoneWorkingWarning.objects.exists()


def test_an_attempt_of_another_case_cannot_be_named(case, parent, lead, lead_client):
    from tests.factories import CaseFactory, ContactAttemptFactory

    theirs = ContactAttemptFactory(case=CaseFactory(lead_practitioner=lead))
    url = reverse("engagement:hostile_incident_record", kwargs={"case_pk": case.pk})
    assert lead_client.get(f"{url}?attempt={theirs.pk}").status_code == 404
    assert lead_client.get(f"{url}?attempt=nonsense").status_code == 404


def test_one_review_marks_done_what_asked_the_manager_and_the_social_worker_to_review(
    case, parent, lead, manager, social_worker
):
    """Issue 20: notifications "mark themselves done when the task they ask for is done", by
    whoever does it: the social worker's review ends the manager's task too."""
    incident = _record(case, lead, parent)
    asked = Notification.objects.filter(kind=NotificationKind.HOSTILE_INCIDENT)
    assert {n.recipient for n in asked} == {manager, social_worker}
    assert {(n.task, n.task_object_id, n.done_at) for n in asked} == {
        ("review_hostile_incident", incident.pk, None)
    }
    hostile_incident_review_record(
        incident=incident, by=social_worker, meeting_held=False, safety_plan="Pairs.", warning_stays=True
    )
    assert asked.count() == 2 and not asked.filter(done_at__isnull=True).exists()
