"""Supporting Families on a case: needs at the start, outcomes at closure, sustained six months on,
and the reminder on the day six months after closure."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from cases.models import AccessLogEntry
from cases.notifications import Notification, NotificationKind
from engagement.supporting_families import services
from engagement.supporting_families.models import ClosureOutcome, FamilyNeed, HeadlineOutcome, Sustained
from engagement.supporting_families.services import Answer, SupportingFamiliesError
from engagement.tasks import supporting_families_sustained_reminders
from tests.factories.supporting_families import FamilyNeedFactory, close


def _at(year, month, day, hour=10):
    return time_machine.travel(dt.datetime(year, month, day, hour, tzinfo=dt.UTC), tick=False)


def test_the_ten_headline_outcomes_are_the_guidances():
    """Supporting Families programme guidance 2022 to 2025, chapter 5: "The 10 headline outcomes
    are: Getting a good education; Good early years development; Improved mental and physical
    health; Better managed substance use; Improved family relationships; Children safe from abuse
    and exploitation; Families diverted from crime; Safe from domestic abuse; Secure housing;
    Financial stability"."""
    assert [label for _, label in HeadlineOutcome.choices] == [
        "Getting a good education",
        "Good early years development",
        "Improved mental and physical health",
        "Better managed substance use",
        "Improved family relationships",
        "Children safe from abuse and exploitation",
        "Families diverted from crime",
        "Safe from domestic abuse",
        "Secure housing",
        "Financial stability",
    ]


def _live(case):
    return sorted(
        FamilyNeed.objects.filter(case=case, withdrawn_at__isnull=True).values_list("headline", flat=True)
    )


def test_needs_are_recorded_at_the_start_and_an_untick_is_kept_as_withdrawn(case, lead):
    services.family_needs_record(case=case, by=lead, headlines=["education", "housing", "health"])
    services.family_needs_record(case=case, by=lead, headlines=["education", "health"])

    assert _live(case) == ["education", "health"]
    housing = FamilyNeed.objects.get(case=case, headline="housing")
    assert housing.withdrawn_by == lead and housing.withdrawn_at is not None
    assert housing.history.count() == 2  # recorded, then withdrawn: nothing deleted

    services.family_needs_record(case=case, by=lead, headlines=["education", "health", "housing"])
    assert _live(case) == ["education", "health", "housing"]
    assert FamilyNeed.objects.filter(case=case).count() == 3  # the same row, live again


@pytest.mark.parametrize(
    ("headlines", "message"),
    [([], "Select the family's needs"), (["education", "astrology"], "Select needs from the list")],
)
def test_needs_must_come_from_the_ten(case, lead, headlines, message):
    with pytest.raises(SupportingFamiliesError, match=message):
        services.family_needs_record(case=case, by=lead, headlines=headlines)


def test_needs_are_not_identified_on_a_closed_case(case, lead):
    close(case, dt.date(2026, 11, 4))
    with pytest.raises(SupportingFamiliesError, match="This case is closed"):
        services.family_needs_record(case=case, by=lead, headlines=["education"])


def _needs(case, lead, *headlines):
    services.family_needs_record(case=case, by=lead, headlines=list(headlines))
    return {need.headline: need for need in FamilyNeed.objects.filter(case=case)}


def test_outcomes_are_recorded_at_closure_with_evidence_for_every_need(case, lead):
    needs = _needs(case, lead, "education", "housing")
    answers = [
        Answer(need_id=needs["education"].pk, value=ClosureOutcome.ACHIEVED, evidence="Attendance 97%."),
        Answer(need_id=needs["housing"].pk, value=ClosureOutcome.PARTLY, evidence="Rent arrears halved."),
    ]
    with pytest.raises(SupportingFamiliesError, match="once the case is closed"):
        services.need_outcomes_record(case=case, by=lead, answers=answers)

    close(case, dt.date(2026, 11, 5))
    with pytest.raises(SupportingFamiliesError, match="Record an answer for each"):
        services.need_outcomes_record(case=case, by=lead, answers=answers[:1])
    with pytest.raises(
        SupportingFamiliesError, match="Enter the evidence of the outcome for “Secure housing”"
    ):
        services.need_outcomes_record(
            case=case, by=lead, answers=[answers[0], Answer(needs["housing"].pk, "partly", " ")]
        )

    services.need_outcomes_record(case=case, by=lead, answers=answers)

    education = FamilyNeed.objects.get(pk=needs["education"].pk)
    assert (education.outcome, education.outcome_evidence, education.outcome_recorded_by) == (
        "achieved",
        "Attendance 97%.",
        lead,
    )
    assert FamilyNeed.objects.get(pk=needs["housing"].pk).outcome == "partly"


def _closed_with_outcomes(case, lead, closed_on, **outcomes):
    needs = _needs(case, lead, *outcomes)
    close(case, closed_on)
    services.need_outcomes_record(
        case=case,
        by=lead,
        answers=[Answer(needs[h].pk, value, f"Evidence for {h}.") for h, value in outcomes.items()],
    )
    return {need.headline: need for need in FamilyNeed.objects.filter(case=case)}


def test_sustained_is_recorded_from_six_months_after_closure_for_outcomes_achieved_or_partly(case, lead):
    """ "Pre-determined family needs and sub-outcomes with success determined six months after case
    closure" (Hertfordshire Families First, on the 2022 framework)."""
    needs = _closed_with_outcomes(
        case, lead, dt.date(2026, 5, 31), education="achieved", housing="partly", health="not_achieved"
    )
    answers = [
        Answer(needs["education"].pk, Sustained.SUSTAINED, "Attendance still 96%."),
        Answer(needs["housing"].pk, Sustained.NOT_SUSTAINED, "Arrears back up."),
    ]
    # Six months after 31 May is 30 November (there is no 31st).
    with pytest.raises(SupportingFamiliesError, match="from 30 November 2026"):
        services.need_sustained_record(case=case, by=lead, answers=answers, today=dt.date(2026, 11, 29))
    with pytest.raises(SupportingFamiliesError, match="Record an answer for each need"):
        services.need_sustained_record(
            case=case,
            by=lead,
            answers=[*answers, Answer(needs["health"].pk, "sustained", "x")],
            today=dt.date(2026, 11, 30),
        )

    services.need_sustained_record(case=case, by=lead, answers=answers, today=dt.date(2026, 11, 30))

    assert dict(FamilyNeed.objects.filter(case=case).values_list("headline", "sustained")) == {
        "education": "sustained",
        "housing": "not_sustained",
        "health": "",
    }
    # Once sustained is recorded the outcome at closure it judged cannot change.
    with pytest.raises(SupportingFamiliesError, match="can no longer change"):
        services.need_outcomes_record(
            case=case,
            by=lead,
            answers=[
                Answer(needs["education"].pk, "partly", "Evidence for education."),
                Answer(needs["housing"].pk, "partly", "Evidence for housing."),
                Answer(needs["health"].pk, "not_achieved", "Evidence for health."),
            ],
        )


def _reminders():
    return list(Notification.objects.filter(kind=NotificationKind.SUSTAINED_OUTCOME_DUE))


def test_the_reminder_goes_once_on_the_day_six_months_after_closure(
    case, lead, django_capture_on_commit_callbacks
):
    """ "For a successful claim, all identified family needs must evidence a positive outcome that
    is sustained for at least six months after closure.\""""
    _closed_with_outcomes(case, lead, dt.date(2026, 5, 15), education="achieved", housing="achieved")
    mail.outbox.clear()
    with _at(2026, 11, 14):
        assert supporting_families_sustained_reminders.delay().get() == 0
    with _at(2026, 11, 15), django_capture_on_commit_callbacks(execute=True):
        assert supporting_families_sustained_reminders.delay().get() == 1
        assert supporting_families_sustained_reminders.delay().get() == 0
    with _at(2026, 11, 16), django_capture_on_commit_callbacks(execute=True):
        assert supporting_families_sustained_reminders.delay().get() == 0

    [reminder] = _reminders()
    assert reminder.recipient == lead
    assert reminder.url == reverse("engagement:supporting_families", kwargs={"case_pk": case.pk})
    [email] = mail.outbox
    assert email.to == [lead.email]
    assert "15 November 2026" in email.body
    # The email names the case, never the family's needs or the evidence.
    assert "housing" not in email.body.lower() and "Evidence" not in email.body


def test_a_reminder_missed_while_the_scheduler_was_down_is_sent_the_next_day(case, lead):
    _closed_with_outcomes(case, lead, dt.date(2026, 5, 15), education="achieved")
    with _at(2026, 11, 20):
        assert services.sustained_reminders_send() == 1
        assert services.sustained_reminders_send() == 0


def test_no_reminder_when_nothing_is_left_to_judge(case, lead, team):
    """Nothing achieved at closure, or sustained already recorded: nothing to remind of."""
    _closed_with_outcomes(case, lead, dt.date(2026, 5, 15), education="not_achieved")
    other = FamilyNeedFactory(case__lead_practitioner=lead, met=True)
    close(other.case, dt.date(2026, 5, 15))
    with _at(2026, 11, 15):
        assert services.sustained_reminders_send() == 0
    assert _reminders() == []


def test_the_reminder_goes_to_the_manager_when_the_lead_has_left(case, lead, manager):
    _closed_with_outcomes(case, lead, dt.date(2026, 5, 15), education="achieved")
    lead.is_active = False
    lead.save()
    with _at(2026, 11, 15):
        assert services.sustained_reminders_send() == 1
    assert [n.recipient for n in _reminders()] == [manager]


def test_the_pages_record_needs_outcomes_and_sustained(client, case, lead):
    client.force_login(lead)
    page = reverse("engagement:supporting_families", kwargs={"case_pk": case.pk})
    needs_url = reverse("engagement:supporting_families_needs", kwargs={"case_pk": case.pk})

    response = client.post(needs_url, {})
    assert "Select the family&#x27;s needs" in response.content.decode()

    response = client.post(needs_url, {"headlines": ["education", "domestic_abuse", "housing"]})
    assert response.status_code == 302 and response["Location"] == page
    body = client.get(page).content.decode()
    assert "Getting a good education" in body and "Safe from domestic abuse" in body
    assert (
        AccessLogEntry.objects.filter(case=case, what="Supporting Families needs and outcomes").count() == 1
    )

    close(case, dt.date(2026, 5, 15))
    needs = {n.headline: n for n in FamilyNeed.objects.filter(case=case)}
    outcomes_url = reverse("engagement:supporting_families_outcomes", kwargs={"case_pk": case.pk})
    data = {}
    for headline, need in needs.items():
        data[f"answer_{need.pk}"] = "achieved"
        data[f"evidence_{need.pk}"] = f"Evidence for {headline}"
    data[f"evidence_{needs['housing'].pk}"] = ""
    response = client.post(outcomes_url, data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Enter the evidence of the outcome for “Secure housing”" in body
    assert "Evidence for education" in body  # nothing typed is lost
    data[f"evidence_{needs['housing'].pk}"] = "Tenancy secured"
    assert client.post(outcomes_url, data)["Location"] == page

    sustained_url = reverse("engagement:supporting_families_sustained", kwargs={"case_pk": case.pk})
    answers = {}
    for need in needs.values():
        answers[f"answer_{need.pk}"] = "sustained"
        answers[f"evidence_{need.pk}"] = "Still so"
    response = client.post(sustained_url, answers)
    # Today (5 November 2026) is before six months after closure.
    assert (
        "can be recorded from 15 November 2026, six months after the case closed" in response.content.decode()
    )
    with _at(2026, 11, 16):
        client.force_login(lead)
        assert client.post(sustained_url, answers)["Location"] == page
    assert set(FamilyNeed.objects.filter(case=case).values_list("sustained", flat=True)) == {"sustained"}
