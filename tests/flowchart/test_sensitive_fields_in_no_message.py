"""What the returns need about a person never leaves in an email or a notification.

Issue 22: sensitive fields are "recorded, shown only where needed, logged when read, covered by
retention; never in emails or notifications". The reminders, escalations and requests of a
fortnight's work on a family whose child has every one of them recorded carry none.
"""

import datetime as dt
import re
import uuid

import time_machine
from django.core import mail

from cases import services as case_services
from cases.models import SENSITIVE_FIELDS, Ethnicity, MembershipRole
from cases.notifications import Notification, NotificationKind
from tests.factories import ChildFactory, EpisodeFactory, ManagerFactory, PractitionerFactory, TeamFactory

from .conftest import at

UPN = "A123456789012"
NHS = "9434765919"


def test_no_notification_or_email_carries_a_sensitive_field(family, walk):
    child = ChildFactory(case=family.case, full_name="Amara Adeyemi")
    case_services.person_returns_details_record(
        person=child,
        by=family.lead,
        sex="F",
        gender="I",
        ethnicity="BAFR",
        disability="yes",
        upn=UPN,
        nhs_number=NHS,
    )
    assert set(SENSITIVE_FIELDS) == {
        "sex",
        "gender",
        "ethnicity",
        "disability",
        "upn",
        "upn_status",
        "nhs_number",
        "nhs_number_status",
    }
    walk.to(at(walk.day(1), 9))
    EpisodeFactory(case=family.case)
    # A co-worker from another team asks to join: the manager is asked, then the answer sent.
    other_team = TeamFactory(name="South", manager=ManagerFactory())
    with walk.committed():
        membership = case_services.membership_add(
            case=family.case,
            by=family.lead,
            user=PractitionerFactory(team=other_team),
            role=MembershipRole.CO_WORKER,
        )
    with walk.committed():
        case_services.membership_decide(membership=membership, by=family.manager, approve=True)
    for day in range(1, 17):  # a fortnight of reminders and escalations, nothing done
        walk.to(at(walk.day(day), 9))
        walk.sweep()

    told = [f"{n.subject}\n{n.body}" for n in Notification.objects.all()]
    told += [f"{m.subject}\n{m.body}" for m in mail.outbox]
    assert len(told) > 5, told  # the fortnight was told about, at length
    said = "\n".join(told)
    child.refresh_from_db()
    assert child.upn == UPN and child.nhs_number == NHS
    for value in (
        UPN,
        NHS,
        "943 476 5919",
        "BAFR",
        str(Ethnicity.BAFR.label),
        "African",
        "non-binary",
        "Disability",
    ):
        assert value not in said, value


def _record_every_answer(person, by, **values):
    """Every returns field set on `person`; returns what must never be told: each value and the
    words it is shown as."""
    answers = {
        "sex": "R",
        "gender": "I",
        "ethnicity": "WROM",
        "disability": "yes",
        "upn": UPN,
        "nhs_number": NHS,
        **values,
    }
    case_services.person_returns_details_record(person=person, by=by, **answers)
    person.refresh_from_db()
    assert {name: getattr(person, name) for name in answers} == answers
    secrets = [UPN, NHS, "943 476 5919", "WROM", "Gypsy", "Roma", "non-binary", "chose not to say"]
    return secrets


def _told(since_mail: int = 0) -> str:
    told = [f"{n.subject}\n{n.body}\n{n.url}" for n in Notification.objects.all()]
    told += [f"{m.subject}\n{m.body}" for m in mail.outbox[since_mail:]]
    return "\n".join(told)


def _assert_nothing_sensitive(said: str, secrets: list[str]) -> None:
    for value in secrets:
        assert value not in said, value
    # The one-letter codes (sex R, gender I) are told by their field's name: never said at all.
    assert not re.search(r"\b(sex|gender|ethnicity|disability|pupil number|NHS)\b", said, re.I), said


def test_the_supporting_families_reminder_carries_no_sensitive_field(
    case, lead, django_capture_on_commit_callbacks
):
    """The six-month reminder to record whether an outcome was sustained names the case only."""
    from engagement.supporting_families import services as sf
    from engagement.supporting_families.models import FamilyNeed
    from engagement.supporting_families.services import Answer
    from engagement.tasks import supporting_families_sustained_reminders
    from tests.factories.supporting_families import close

    child = ChildFactory(case=case, full_name="Amara Adeyemi")
    secrets = _record_every_answer(child, lead)
    sf.family_needs_record(case=case, by=lead, headlines=["education"])
    close(case, dt.date(2026, 5, 15))
    need = FamilyNeed.objects.get(case=case)
    sf.need_outcomes_record(case=case, by=lead, answers=[Answer(need.pk, "achieved", "Attends daily.")])
    mail.outbox.clear()
    with (
        time_machine.travel(dt.datetime(2026, 11, 15, 10, tzinfo=dt.UTC), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert supporting_families_sustained_reminders.delay().get() == 1
    assert Notification.objects.filter(kind=NotificationKind.SUSTAINED_OUTCOME_DUE).count() == 1
    assert len(mail.outbox) == 1
    _assert_nothing_sensitive(_told(), secrets)


def test_the_messages_notifications_carry_no_sensitive_field(
    case, lead, manager, django_capture_on_commit_callbacks
):
    """A text that fails, a text held for the manager and decided, a text received: each tells
    someone, and none of them carries what the returns need about the person."""
    from engagement.messages.models import Channel
    from engagement.messages.services import (
        message_decide,
        message_send,
        message_status_record,
        text_receive,
    )
    from tests.factories import AdultFactory

    mother = AdultFactory(
        case=case, full_name="Grace Okafor", phone="07700 900123", preferred_contact_method="text"
    )
    secrets = _record_every_answer(mother, lead, sex="F", gender="", ethnicity="BAFR")
    secrets += ["BAFR", "African", "Female"]
    child = ChildFactory(case=case, full_name="Amara Okafor")
    secrets += _record_every_answer(child, lead)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sent = message_send(case=case, person=mother, by=lead, channel=Channel.SMS, body="Hello Grace")
    with django_capture_on_commit_callbacks(execute=True):
        message_status_record(notify_id=str(sent.notify_id), status="permanent-failure")
    with django_capture_on_commit_callbacks(execute=True):
        text_receive(
            notify_id=str(uuid.uuid4()),
            from_number="07700900123",
            body="Thanks, see you Thursday",
            received_at=dt.datetime(2026, 11, 4, 9, tzinfo=dt.UTC),
        )
    mother.domestic_abuse_concern = True
    mother.save()
    with django_capture_on_commit_callbacks(execute=True):
        held = message_send(case=case, person=mother, by=lead, channel=Channel.SMS, body="Hello again")
    with django_capture_on_commit_callbacks(execute=True):
        message_decide(message=held, by=manager, approve=True)
    kinds = set(Notification.objects.values_list("kind", flat=True))
    assert {
        NotificationKind.MESSAGE_FAILED,
        NotificationKind.MESSAGE_RECEIVED,
        NotificationKind.MESSAGE_HELD,
        NotificationKind.MESSAGE_DECIDED,
    } <= kinds, kinds
    assert mail.outbox
    _assert_nothing_sensitive(_told(), secrets)
