"""Nothing written goes to a household with domestic abuse without the manager's approval (issue 17).

The Walsh household: Siobhan (the mother) has a domestic abuse concern and a safe-contact plan of
her own mobile only, never by letter; Lee, her partner, lives at the same address; Connor is
their child; Dean, Connor's father, lives elsewhere. Day 1 was Monday 2 November 2026; the clock
stands on day 10, Friday 13 November, when the day-10 letter is due.
"""

import datetime as dt
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse
from django.utils.html import escape

from cases.models import Document, RelationshipKind, SafeContact
from cases.notifications import Notification
from engagement.documents import services
from engagement.documents.models import Letter, LetterStatus, LetterStep
from engagement.models import AttemptKind, AttemptOutcome, ContactAttempt
from engagement.services import ContactAttemptError, contact_attempt_record, contact_attempt_update
from flowchart.schedule import Status
from flowchart.selectors import case_flowchart
from tests.factories import (
    AdultFactory,
    CaseFactory,
    ChildFactory,
    ManagerFactory,
    PractitionerFactory,
    RelationshipFactory,
    TeamFactory,
)
from tests.factories.flowchart import EpisodeFactory

LONDON = ZoneInfo("Europe/London")
DAY_1 = dt.date(2026, 11, 2)
DAY_10 = dt.datetime(2026, 11, 13, 10, 0, tzinfo=LONDON)
LETTER_STEP = 10  # Knowsley's "Send a letter asking the family to make contact within 5 days"


@pytest.fixture
def walsh(db, org_certificate, time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 2, 9, 0, tzinfo=LONDON), tick=False)
    manager = ManagerFactory(full_name="Morgan Manager", email="morgan@example.test")
    team = TeamFactory(name="North Early Help Team", manager=manager)
    manager.team = team
    manager.save()
    lead = PractitionerFactory(full_name="Priya Patel", team=team, email="priya@example.test")
    case = CaseFactory(lead_practitioner=lead, family_name="Walsh family", referral_date=DAY_1)
    connor = ChildFactory(case=case, full_name="Connor Walsh", date_of_birth=dt.date(2012, 5, 1))
    siobhan = AdultFactory(
        case=case,
        full_name="Siobhan Walsh",
        domestic_abuse_concern=True,
        safe_contact=[SafeContact.PHONE_ONLY, SafeContact.NO_LETTERS],
        safe_contact_notes="The referrer says: contact Siobhan only on her mobile, never by letter.",
    )
    lee = AdultFactory(case=case, full_name="Lee Parker")
    dean = AdultFactory(case=case, full_name="Dean Walsh", lives_in_household=False)
    for adult, kind in ((siobhan, RelationshipKind.MOTHER), (lee, RelationshipKind.PARTNER)):
        RelationshipFactory(adult=adult, child=connor, kind=kind)
    RelationshipFactory(adult=dean, child=connor, kind=RelationshipKind.FATHER)
    episode = EpisodeFactory(case=case)
    time_machine.move_to(DAY_10, tick=False)
    return SimpleNamespace(
        manager=manager,
        lead=lead,
        case=case,
        connor=connor,
        siobhan=siobhan,
        lee=lee,
        dean=dean,
        episode=episode,
        clock=time_machine,
    )


def ready(w, person, *, step=LetterStep.DAY_10, **changes):
    letter = services.letter_draft(case=w.case, by=w.lead, step=step, recipient=person)
    values = {
        "address": "7 Mill Lane\nNorthshire NS3 1AA",
        "subject": letter.subject,
        "body": "Please ring me.",
    }
    values.update(changes)
    return services.letter_update(letter=letter, by=w.lead, **values)


def told(kind, **filters):
    return list(Notification.objects.filter(kind=kind, **filters))


def step_status(w, order=LETTER_STEP):
    chart = case_flowchart(w.case)
    return next(s for s in chart.steps if s.step.order == order)


def test_a_letter_to_the_partner_of_a_flagged_mother_at_the_same_address_is_held(
    walsh, django_capture_on_commit_callbacks
):
    """Camden 004: "the professional network may need to develop strategies for contacting the
    victim without the perpetrator's knowledge"; Knowsley 000, Appendix 4, day 10: "Send the
    family a letter asking them to contact us within 5 days if they require support (if DV
    ensure your letter would not increase risk)".

    Lee has no concern of his own; the letter is held because Siobhan lives at the same address.
    The manager is told at once, exactly once, by email too, with no case notes in it."""
    letter = ready(walsh, walsh.lee)
    assert letter.flow_step.order == LETTER_STEP and letter.episode == walsh.episode
    with django_capture_on_commit_callbacks(execute=True):
        letter = services.letter_send(letter=letter, by=walsh.lead)

    assert letter.status == LetterStatus.HELD and letter.held_by == walsh.lead
    assert not Document.objects.exists() and not ContactAttempt.objects.exists()
    assert [r.person for r in services.letter_hold_reasons(letter)] == [walsh.siobhan]
    with pytest.raises(services.LetterError, match="cannot be sent"):
        services.letter_send(letter=letter, by=walsh.lead)
    [held] = told("letter_held")
    assert held.recipient == walsh.manager and held.case == walsh.case
    assert held.url == reverse("engagement:letter_decide", kwargs={"case_pk": walsh.case.pk, "pk": letter.pk})
    [email] = mail.outbox
    assert email.to == [walsh.manager.email]
    assert walsh.case.reference in email.subject and "waiting for your approval" in email.subject
    assert "never by letter" not in email.body and "Siobhan" not in email.body
    # The same letter is never held twice, and asking again for the same step waits for the decision.
    with pytest.raises(services.LetterError, match="already waiting"):
        services.letter_draft(case=walsh.case, by=walsh.lead, step=LetterStep.DAY_10, recipient=walsh.lee)
    assert len(told("letter_held")) == 1
    step = step_status(walsh)
    assert step.status == Status.DUE_TODAY  # held is not sent: the step is still owed


def test_the_practitioner_is_told_of_an_approval_and_the_sent_letter_meets_the_step(
    walsh, django_capture_on_commit_callbacks
):
    """Knowsley 000, Appendix 4, day 10: "Send the family a letter asking them to contact us
    within 5 days". Approved, then sent: it counts as the step's letter."""
    letter = services.letter_send(letter=ready(walsh, walsh.lee), by=walsh.lead)
    with django_capture_on_commit_callbacks(execute=True):
        services.letter_decide(
            letter=letter, by=walsh.manager, approve=True, notes="Siobhan agreed on her mobile."
        )
    [approved] = told("letter_approved")
    assert approved.recipient == walsh.lead
    assert "approved" in approved.subject and "Siobhan agreed" not in approved.body
    assert [m.to for m in mail.outbox] == [[walsh.lead.email]]

    letter.refresh_from_db()
    letter = services.letter_send(letter=letter, by=walsh.lead)
    assert letter.status == LetterStatus.SENT and letter.document is not None
    attempt = letter.contact_attempt
    assert (attempt.kind, attempt.counts_as, attempt.outcome) == (
        AttemptKind.LETTER,
        AttemptKind.LETTER,
        AttemptOutcome.LETTER_SENT,
    )
    assert "Approved by Morgan Manager" in attempt.notes
    assert step_status(walsh).status == Status.DONE
    assert len(told("letter_held")) == 1 and len(told("letter_approved")) == 1


def test_a_refused_letter_closes_its_step_as_not_sent_unsafe_with_the_reason(
    walsh, client, django_capture_on_commit_callbacks
):
    """Knowsley 000, Appendix 4, day 10: "(if DV ensure your letter would not increase risk)".
    The step is closed, not overdue, on the day and after; the reason is on the flow chart and
    the letter, and not in the practitioner's email."""
    letter = services.letter_send(letter=ready(walsh, walsh.siobhan), by=walsh.lead)
    reason = "Her partner opens the post. Ring her own mobile between 9 and 11 instead."
    with django_capture_on_commit_callbacks(execute=True):
        services.letter_decide(letter=letter, by=walsh.manager, approve=False, notes=reason)
    letter.refresh_from_db()
    assert letter.status == LetterStatus.REFUSED
    with pytest.raises(services.LetterError, match="cannot be sent"):
        services.letter_send(letter=letter, by=walsh.lead)
    [refused] = told("letter_refused")
    assert refused.recipient == walsh.lead and "not sent: unsafe" in refused.body
    assert reason not in refused.body and all(reason not in m.body for m in mail.outbox)

    step = step_status(walsh)
    assert step.status == Status.NOT_SENT_UNSAFE and step.not_sent == letter
    assert step.status_label == "Not sent: unsafe (manager's decision)"
    walsh.clock.move_to(DAY_10 + dt.timedelta(days=4), tick=False)  # Tuesday, day 12
    assert step_status(walsh).status == Status.NOT_SENT_UNSAFE
    client.force_login(walsh.lead)
    page = client.get(reverse("flowchart:case_flowchart", kwargs={"case_pk": walsh.case.pk})).content.decode()
    assert "Not sent: unsafe (manager&#x27;s decision)" in page
    assert "Her partner opens the post." in page


def test_a_letter_attempt_on_a_flagged_household_cannot_skip_approval(walsh, client):
    """Camden 004: contact the victim "without the perpetrator's knowledge". Recording a "Letter"
    attempt does not go around the hold: not to the partner, not to the household as a whole,
    not by pointing at a letter still held, not by correcting a call into a letter."""
    now = DAY_10 - dt.timedelta(minutes=5)
    for person in (walsh.lee, walsh.siobhan, None):
        with pytest.raises(ContactAttemptError, match="needs the team manager's approval first"):
            contact_attempt_record(
                case=walsh.case,
                by=walsh.lead,
                kind=AttemptKind.LETTER,
                outcome=AttemptOutcome.LETTER_SENT,
                occurred_at=now,
                with_person=person,
            )
    held = services.letter_send(letter=ready(walsh, walsh.lee), by=walsh.lead)
    with pytest.raises(ContactAttemptError, match="needs the team manager's approval first"):
        contact_attempt_record(
            case=walsh.case,
            by=walsh.lead,
            kind=AttemptKind.LETTER,
            outcome=AttemptOutcome.LETTER_SENT,
            occurred_at=now,
            with_person=walsh.lee,
            letter=held,
        )
    call = contact_attempt_record(
        case=walsh.case,
        by=walsh.lead,
        kind=AttemptKind.PHONE_CALL,
        outcome=AttemptOutcome.NO_ANSWER,
        occurred_at=now,
        with_person=walsh.siobhan,
    )
    with pytest.raises(ContactAttemptError, match="needs the team manager's approval first"):
        contact_attempt_update(
            attempt=call, by=walsh.lead, kind=AttemptKind.LETTER, outcome=AttemptOutcome.LETTER_SENT
        )
    assert ContactAttempt.objects.count() == 1

    # Through the attempt form: the GOV.UK message, and the ways to a letter the manager sees.
    client.force_login(walsh.lead)
    url = reverse("engagement:attempt_record", kwargs={"case_pk": walsh.case.pk})
    response = client.post(
        url,
        {
            "kind": "letter",
            "occurred_on_0": "13",
            "occurred_on_1": "11",
            "occurred_on_2": "2026",
            "occurred_time": "09:00",
            "outcome": "letter_sent",
            "with_person": walsh.lee.pk,
            "made_by": walsh.lead.pk,
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in page
    assert "needs the team manager&#x27;s approval first" in page
    assert reverse("engagement:letter_outside", kwargs={"case_pk": walsh.case.pk}) in page
    assert reverse("engagement:letter_start", kwargs={"case_pk": walsh.case.pk}) in page
    assert ContactAttempt.objects.count() == 1


def test_a_letter_to_a_household_with_no_concern_is_not_held(walsh, django_capture_on_commit_callbacks):
    """Knowsley 000, Appendix 4, day 10: the letter goes; only a household with a concern waits.
    Dean lives elsewhere: a letter to him is not held for the Walsh household's plans."""
    other = CaseFactory(lead_practitioner=walsh.lead, family_name="Okafor family", referral_date=DAY_1)
    grace = AdultFactory(case=other, full_name="Grace Okafor")
    ChildFactory(case=other)
    EpisodeFactory(case=other)
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.letter_send(
            letter=services.letter_update(
                letter=services.letter_draft(
                    case=other, by=walsh.lead, step=LetterStep.DAY_10, recipient=grace
                ),
                by=walsh.lead,
                address="2 Oak Road",
                subject="Please get in touch",
                body="Please ring me.",
            ),
            by=walsh.lead,
        )
        to_dean = services.letter_send(letter=ready(walsh, walsh.dean), by=walsh.lead)
    assert sent.status == LetterStatus.SENT and to_dean.status == LetterStatus.SENT
    assert services.letter_hold_reasons(to_dean) == []
    assert not told("letter_held") and mail.outbox == []


def test_someone_living_elsewhere_is_held_for_their_own_record_only(walsh):
    """A father recorded as living elsewhere is at another address: his own concern holds a
    letter to him; recorded as living in the household, the household's concerns hold it too."""
    walsh.dean.safe_contact = [SafeContact.NO_LETTERS]
    walsh.dean.save()
    held = services.letter_send(letter=ready(walsh, walsh.dean), by=walsh.lead)
    assert held.status == LetterStatus.HELD
    assert [r.person for r in services.letter_hold_reasons(held)] == [walsh.dean]

    walsh.dean.safe_contact = []
    walsh.dean.lives_in_household = True
    walsh.dean.save()
    assert [r.person for r in services.letter_hold_reasons(held)] == [walsh.siobhan]


def test_a_safe_contact_plan_that_rules_letters_out_holds_the_household_without_a_concern(walsh):
    """A plan of "text messages only" on someone at the address rules a letter out as surely as a
    recorded concern: Lee's letter is held for it."""
    walsh.siobhan.domestic_abuse_concern = False
    walsh.siobhan.safe_contact = [SafeContact.TEXT_ONLY]
    walsh.siobhan.save()
    held = services.letter_send(letter=ready(walsh, walsh.lee), by=walsh.lead)
    assert held.status == LetterStatus.HELD
    [reason] = services.letter_hold_reasons(held)
    assert reason.person == walsh.siobhan and "text messages only" in reason.because


def test_a_letter_written_outside_the_system_is_held_then_recorded_as_sent(walsh, client):
    """The attempt form's way round a refused "Letter" attempt: a letter written by hand is
    recorded before it goes, held like any other, and marked sent once the manager approves it."""
    client.force_login(walsh.lead)
    url = reverse("engagement:letter_outside", kwargs={"case_pk": walsh.case.pk})
    response = client.post(
        url,
        {
            "step": LetterStep.DAY_10,
            "recipient": walsh.lee.pk,
            "address": "7 Mill Lane",
            "subject": "A note from Priya",
            "body": "Handwritten: please ring me on 07700 900123.",
        },
    )
    letter = Letter.objects.get()
    assert response["Location"] == reverse(
        "engagement:letter_detail", kwargs={"case_pk": walsh.case.pk, "pk": letter.pk}
    )
    assert letter.outside_system and letter.status == LetterStatus.HELD
    assert len(told("letter_held")) == 1
    services.letter_decide(letter=letter, by=walsh.manager, approve=True)
    page = client.get(response["Location"]).content.decode()
    assert "Record that it was sent" in page
    letter.refresh_from_db()
    letter = services.letter_send(letter=letter, by=walsh.lead)
    assert letter.status == LetterStatus.SENT and letter.document is None
    assert "Written outside the system." in letter.contact_attempt.notes
    assert step_status(walsh).status == Status.DONE


def test_the_letter_offers_a_translated_or_easy_read_version_where_the_language_is_not_english(walsh, client):
    """Coventry 001: "Consider language barriers or learning difficulties"; Knowsley 000: "some
    parents/carers are not be able to read letters". A line in the letter and a mark on the
    record; nothing is machine translated."""
    walsh.lee.language = "Polish"
    walsh.lee.save()
    letter = ready(
        walsh, walsh.lee, body="Please ring me.\n\nWith best wishes,\n\nPriya Patel", reader_note=True
    )
    line = services.reader_note_line(walsh.lee)
    assert "in Polish, or in easy read" in line
    assert letter.reader_note and letter.body.count(line) == 1
    assert letter.body.index(line) < letter.body.index("With best wishes")
    again = services.letter_update(
        letter=letter,
        by=walsh.lead,
        address=letter.address,
        subject=letter.subject,
        body=letter.body,
        reader_note=True,
    )
    assert again.body.count(line) == 1
    off = services.letter_update(
        letter=letter, by=walsh.lead, address=letter.address, subject=letter.subject, body=letter.body
    )
    assert line not in off.body and not off.reader_note

    client.force_login(walsh.lead)
    edit = reverse("engagement:letter_edit", kwargs={"case_pk": walsh.case.pk, "pk": letter.pk})
    assert "Offer this letter in Polish or in easy read" in client.get(edit).content.decode()
    with pytest.raises(services.LetterError, match="untick the offer"):
        ready(walsh, walsh.dean, reader_note=True)
    assert (
        "Offer this letter"
        not in client.get(
            reverse(
                "engagement:letter_edit",
                kwargs={"case_pk": walsh.case.pk, "pk": ready(walsh, walsh.dean).pk},
            )
        ).content.decode()
    )


def test_the_safe_contact_plan_is_shown_wherever_someone_chooses_how_to_contact_the_family(walsh, client):
    """Camden 004: contact the victim "without the perpetrator's knowledge": the plan is beside
    the attempt form, the letter forms, a held letter and the manager's decision."""
    held = services.letter_send(letter=ready(walsh, walsh.lee), by=walsh.lead)
    pages = {
        "attempt form": ("lead", reverse("engagement:attempt_record", kwargs={"case_pk": walsh.case.pk})),
        "write a letter": ("lead", reverse("engagement:letter_start", kwargs={"case_pk": walsh.case.pk})),
        "outside the system": (
            "lead",
            reverse("engagement:letter_outside", kwargs={"case_pk": walsh.case.pk}),
        ),
        "held letter": (
            "lead",
            reverse("engagement:letter_detail", kwargs={"case_pk": walsh.case.pk, "pk": held.pk}),
        ),
        "decide": (
            "manager",
            reverse("engagement:letter_decide", kwargs={"case_pk": walsh.case.pk, "pk": held.pk}),
        ),
    }
    for name, (role, url) in pages.items():
        client.force_login(walsh.lead if role == "lead" else walsh.manager)
        page = client.get(url).content.decode()
        assert "Their own mobile phone only" in page, name
        assert "Never by letter" in page, name
        assert "contact Siobhan only on her mobile, never by letter." in page, name
    # The manager's queue names the letter and links to its decision page, which shows why it
    # is held and the plans (above).
    decide = client.get(pages["decide"][1]).content.decode()
    assert "Siobhan Walsh: a domestic abuse concern is recorded" in decide
    queue = client.get(reverse("needs_you:queue")).content.decode()
    assert "Letter held for your approval: to Lee Parker" in queue
    assert reverse("engagement:letter_decide", kwargs={"case_pk": walsh.case.pk, "pk": held.pk}) in queue

    response = client.post(
        reverse("engagement:letter_decide", kwargs={"case_pk": walsh.case.pk, "pk": held.pk}),
        {"decision": "approve"},
    )
    assert response["Location"] == reverse("needs_you:queue")
    assert "Letter held for your approval" not in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize("approve", [True, False])
def test_the_managers_held_letter_notification_is_done_once_they_decide(walsh, approve):
    """Issue 20: notifications "mark themselves done when the task they ask for is done"."""
    letter = services.letter_send(letter=ready(walsh, walsh.lee), by=walsh.lead)
    [held] = told("letter_held")
    assert (held.task, held.task_object_id, held.done_at) == ("decide_letter", letter.pk, None)
    services.letter_decide(letter=letter, by=walsh.manager, approve=approve, notes="Siobhan was asked.")
    held.refresh_from_db()
    assert held.done_at is not None and len(told("letter_held")) == 1


def test_the_manager_reads_the_held_letter_before_approving_it(walsh, client):
    """Content first (issue 20): the decision page shows the letter, its subject and body, above
    the approve or refuse control, so the manager decides on what they have read."""
    held = services.letter_send(letter=ready(walsh, walsh.lee), by=walsh.lead)
    client.force_login(walsh.manager)
    page = client.get(
        reverse("engagement:letter_decide", kwargs={"case_pk": walsh.case.pk, "pk": held.pk})
    ).content.decode()
    control = page.index('name="decision"')
    assert page.index(escape(held.subject)) < control
    assert page.index(escape(held.body.splitlines()[0])) < control
