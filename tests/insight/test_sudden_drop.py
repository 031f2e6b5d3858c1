"""The sudden drop in engagement: flagged when a family that was engaging stops (docs/insight.md)."""

import datetime as dt

import pytest
from django.urls import reverse

from cases.models import Case, CaseStatus
from engagement.models import AttemptKind, AttemptOutcome
from insight.selectors import case_sudden_drop, flagged_cases, sudden_drop_cases
from tests.factories import CaseFactory

from .conftest import NOW, at, attempt

SEEN, SPOKE = AttemptOutcome.SEEN, AttemptOutcome.SPOKE
NO_ANSWER, NOT_AT_HOME = AttemptOutcome.NO_ANSWER, AttemptOutcome.NOT_AT_HOME
DOOR, LETTER = AttemptOutcome.DOOR_NOT_OPENED, AttemptOutcome.LETTER_SENT


@pytest.fixture
def family(people):
    return CaseFactory(
        lead_practitioner=people.priya, family_name="Taylor family", referral_date=dt.date(2026, 10, 1)
    )


def record(case, *history):
    """(month, day, outcome) in order: the case's attempts."""
    for month, day, outcome in history:
        attempt(case, at(month, day), AttemptKind.UNANNOUNCED_VISIT, outcome)


class TestFlagged:
    def test_engaging_then_three_unsuccessful_attempts(self, family):
        record(
            family, (11, 2, SEEN), (11, 9, SPOKE), (11, 12, NO_ANSWER), (11, 16, NOT_AT_HOME), (11, 19, DOOR)
        )
        drop = case_sudden_drop(family)
        assert drop.last_engaged_at == at(11, 9)
        assert drop.failed_since == 3 and drop.last_failed_at == at(11, 19)
        assert drop.days_since_engaged == 11

    def test_engaging_then_fourteen_days_without_contact(self, family):
        # Weekly visits, one unanswered, then nothing that reached the family for 24 days.
        record(family, (10, 20, SEEN), (10, 27, SPOKE), (11, 3, NO_ANSWER))
        drop = case_sudden_drop(family)
        assert drop.failed_since == 1 and drop.days_since_engaged == 24

    def test_fourteen_days_exactly(self, family):
        record(family, (10, 30, SEEN), (11, 6, SPOKE), (11, 10, NO_ANSWER))
        assert case_sudden_drop(family) is not None
        assert case_sudden_drop(family, now=NOW - dt.timedelta(days=1)) is None  # 13 days

    def test_letters_and_liaison_do_not_count_either_way(self, family):
        record(
            family,
            (11, 2, SEEN),
            (11, 9, SPOKE),
            (11, 10, NO_ANSWER),
            (11, 11, LETTER),
            (11, 12, AttemptOutcome.MESSAGE_LEFT),
            (11, 13, AttemptOutcome.DISCUSSED),
            (11, 16, AttemptOutcome.CANCELLED_BY_FAMILY),
        )
        assert case_sudden_drop(family).failed_since == 3

    def test_the_flag_goes_when_the_family_is_reached_again(self, family):
        record(
            family,
            (11, 2, SEEN),
            (11, 9, SPOKE),
            (11, 12, NO_ANSWER),
            (11, 16, NO_ANSWER),
            (11, 17, NO_ANSWER),
        )
        assert case_sudden_drop(family) is not None
        record(family, (11, 19, SPOKE))
        assert case_sudden_drop(family) is None


class TestNotFlagged:
    def test_a_family_that_never_engaged(self, family):
        record(family, *[(11, day, NO_ANSWER) for day in (2, 5, 9, 12, 16, 19)])
        assert case_sudden_drop(family) is None

    def test_a_family_still_engaging(self, family):
        record(
            family, (11, 2, SEEN), (11, 9, SPOKE), (11, 12, NO_ANSWER), (11, 16, SEEN), (11, 19, NO_ANSWER)
        )
        assert case_sudden_drop(family) is None

    def test_one_contact_is_not_a_pattern_of_engagement(self, family):
        record(family, (11, 2, SEEN), (11, 9, NO_ANSWER), (11, 12, NO_ANSWER), (11, 16, NO_ANSWER))
        assert case_sudden_drop(family) is None

    def test_two_contacts_too_far_apart(self, family):
        record(
            family, (9, 1, SEEN), (10, 15, SPOKE), (11, 2, NO_ANSWER), (11, 9, NO_ANSWER), (11, 16, NO_ANSWER)
        )
        assert case_sudden_drop(family) is None

    def test_two_unsuccessful_attempts_within_fourteen_days(self, family):
        record(family, (11, 2, SEEN), (11, 9, SPOKE), (11, 12, NO_ANSWER), (11, 16, NO_ANSWER))
        assert case_sudden_drop(family) is None

    def test_no_attempt_since_is_not_the_family_dropping_off(self, family):
        record(family, (10, 1, SEEN), (10, 8, SPOKE))
        assert case_sudden_drop(family) is None

    def test_a_closed_case(self, family):
        record(
            family,
            (11, 2, SEEN),
            (11, 9, SPOKE),
            (11, 12, NO_ANSWER),
            (11, 16, NO_ANSWER),
            (11, 19, NO_ANSWER),
        )
        Case.objects.filter(pk=family.pk).update(status=CaseStatus.CLOSED, closed_on=dt.date(2026, 11, 19))
        assert case_sudden_drop(family) is None


def test_the_list_takes_one_query_and_puts_the_longest_silence_first(people, django_assert_num_queries):
    recent = CaseFactory(lead_practitioner=people.priya, reference="EF-R")
    longer = CaseFactory(lead_practitioner=people.pat, reference="EF-L")
    steady = CaseFactory(lead_practitioner=people.pat, reference="EF-S")
    record(
        recent, (11, 2, SEEN), (11, 9, SPOKE), (11, 12, NO_ANSWER), (11, 16, NO_ANSWER), (11, 19, NO_ANSWER)
    )
    record(longer, (10, 1, SEEN), (10, 8, SPOKE), (10, 20, NO_ANSWER))
    record(steady, (11, 2, SEEN), (11, 9, SPOKE))
    with django_assert_num_queries(1):
        rows = flagged_cases(Case.objects.all())
        assert [(r.case.reference, r.case.lead_practitioner.full_name) for r in rows] == [
            ("EF-L", "Pat Jones"),
            ("EF-R", "Priya Patel"),
        ]
    assert sudden_drop_cases(Case.objects.filter(pk=steady.pk)).count() == 0


class TestCasePage:
    def url(self, case):
        return reverse("cases:case_detail", kwargs={"case_pk": case.pk})

    def test_the_case_page_warns_of_a_sudden_drop(self, client, people, family):
        record(
            family, (11, 2, SEEN), (11, 9, SPOKE), (11, 12, NO_ANSWER), (11, 16, NOT_AT_HOME), (11, 19, DOOR)
        )
        client.force_login(people.priya)
        html = client.get(self.url(family)).content.decode()
        assert 'id="sudden-drop-warning"' in html and "govuk-warning-text" in html
        assert "Sudden drop in engagement" in html
        assert "since 9 November 2026 and the 3 attempts since then were unsuccessful" in html
        assert "such as a new partner" in html

    def test_no_warning_while_the_family_engages(self, client, people, family):
        record(family, (11, 2, SEEN), (11, 9, SPOKE), (11, 19, NO_ANSWER))
        client.force_login(people.morgan)
        response = client.get(self.url(family))
        assert response.status_code == 200
        assert "sudden-drop-warning" not in response.content.decode()


def test_the_case_page_check_is_one_query(family, django_assert_num_queries):
    record(
        family, (11, 2, SEEN), (11, 9, SPOKE), (11, 12, NO_ANSWER), (11, 16, NO_ANSWER), (11, 19, NO_ANSWER)
    )
    with django_assert_num_queries(1):
        assert case_sudden_drop(family) is not None


@pytest.mark.parametrize(
    "history",
    [
        ((11, 2, SEEN), (11, 9, SPOKE), (11, 12, NO_ANSWER), (11, 16, NOT_AT_HOME), (11, 19, DOOR)),
        ((10, 20, SEEN), (10, 27, SPOKE), (11, 3, NO_ANSWER)),
        ((10, 1, SEEN), (11, 9, SPOKE), (11, 12, NO_ANSWER), (11, 16, NO_ANSWER), (11, 19, NO_ANSWER)),
        ((11, 2, SEEN), (11, 9, SPOKE), (11, 12, NO_ANSWER), (11, 16, LETTER), (11, 19, NO_ANSWER)),
        ((11, 2, SEEN), (11, 9, SPOKE), (11, 12, NO_ANSWER), (11, 16, SEEN), (11, 19, NO_ANSWER)),
        ((11, 2, NO_ANSWER), (11, 9, NO_ANSWER), (11, 12, NO_ANSWER)),
        (),
    ],
)
def test_the_case_page_check_agrees_with_the_lists(family, history):
    """The case page reads one case's attempts and applies the rule in Python; the lists ask the
    database. Both flag the same families with the same figures."""
    record(family, *history)
    row = (
        sudden_drop_cases(Case.objects.filter(pk=family.pk))
        .values("last_engaged_at", "failed_since", "last_failed_at")
        .first()
    )
    drop = case_sudden_drop(family)
    if row is None:
        assert drop is None
    else:
        assert (drop.last_engaged_at, drop.failed_since, drop.last_failed_at) == (
            row["last_engaged_at"],
            row["failed_since"],
            row["last_failed_at"],
        )
