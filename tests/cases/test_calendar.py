import datetime as dt

import pytest

from cases.calendar import Calendar, Nation

D = dt.date
ENGLAND = Calendar(working_days=True, nation=Nation.ENGLAND)


def test_five_working_days_after_23_december_is_4_january():
    # Christmas Day, Boxing Day (substitute Monday 28th) and New Year's Day are skipped.
    assert ENGLAND.add(D(2026, 12, 23), 5) == D(2027, 1, 4)


def test_calendar_days_ignore_weekends_and_holidays():
    assert Calendar(working_days=False).add(D(2026, 12, 23), 5) == D(2026, 12, 28)


def test_nations_have_their_own_bank_holidays():
    st_andrews = D(2026, 11, 30)
    assert ENGLAND.is_working_day(st_andrews)
    assert not Calendar(nation=Nation.SCOTLAND).is_working_day(st_andrews)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D(2026, 12, 17), 1),  # Thursday: Day 1
        (D(2026, 12, 18), 2),  # Friday
        (D(2026, 12, 19), 2),  # Saturday counts as the last working day
        (D(2026, 12, 21), 3),  # Monday
        (D(2026, 12, 29), 7),  # Tuesday after Christmas and the Boxing Day substitute
        (D(2027, 1, 4), 10),  # after New Year's Day
        (D(2026, 12, 16), 0),  # before the referral
    ],
)
def test_day_number_counts_working_days_from_day_1(today, expected):
    assert ENGLAND.day_number(D(2026, 12, 17), today) == expected


def test_date_of_day_and_day_number_agree():
    day1 = D(2026, 12, 17)
    for n in range(1, 30):
        assert ENGLAND.day_number(day1, ENGLAND.date_of_day(day1, n)) == n


def test_service_closures_are_not_working_days():
    calendar = Calendar(closures=frozenset({D(2026, 12, 24)}))
    assert calendar.add(D(2026, 12, 23), 1) == D(2026, 12, 29)


@pytest.mark.django_db
def test_the_kernel_reads_the_calendar_the_admin_set():
    """Risk assessment counts its deadlines on this without importing the flow chart."""
    from cases.calendar import calendar_in_force
    from flowchart.models import FlowchartSettings

    FlowchartSettings.objects.update_or_create(
        pk=1, defaults={"working_days": False, "nation": Nation.SCOTLAND}
    )
    assert calendar_in_force() == Calendar(working_days=False, nation=Nation.SCOTLAND, closures=frozenset())
