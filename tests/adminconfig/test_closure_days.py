"""Service closure days: added in the admin, checked, kept in history, and honoured by the flow chart."""

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from flowchart import services
from flowchart.models import ClosureDay, Episode
from flowchart.selectors import calendar_in_force, episode_progress
from tests.factories import CaseFactory, ManagerFactory, PractitionerFactory, TeamFactory

from .conftest import assert_refused, at, last_history

ADD = reverse("admin:flowchart_closureday_add")
# Day 1 on Monday 2 November 2026: day 5 (the first unannounced visit) is Friday 6 November.
DAY1 = dt.date(2026, 11, 2)
FRIDAY = dt.date(2026, 11, 6)
NEXT_MONDAY = dt.date(2026, 11, 9)


def _day(typed: str) -> dict[str, str]:
    """The closure day as typed into the GOV.UK date input's three boxes: "29/12/2026"."""
    parts = typed.split("/") if typed else ["", "", ""]
    return {f"date_{i}": part for i, part in enumerate(parts)}


def _plan(start: dt.date) -> dict[str, str]:
    out = StringIO()
    call_command("flowchart_plan", start=start.isoformat(), stdout=out)
    return {row["title"]: row["due"] for row in json.loads(out.getvalue())}


def _first_visit(plan: dict[str, str]) -> str:
    return next(due for title, due in plan.items() if title.startswith("First unannounced"))


def test_a_closure_day_added_in_the_admin_is_kept_with_who_added_it(admin_client, admin_user):
    response = admin_client.post(ADD, {**_day("29/12/2026"), "reason": "  Council   closure day "})

    assert response.status_code == 302
    closure = ClosureDay.objects.get()
    assert (closure.date, closure.reason) == (dt.date(2026, 12, 29), "Council closure day")
    assert last_history(closure).history_user == admin_user
    history = admin_client.get(reverse("admin:flowchart_closureday_history", args=[closure.pk]))
    assert "Sam Systemowner" in history.content.decode()
    listing = admin_client.get(reverse("admin:flowchart_closureday_changelist")).content.decode()
    assert "Tuesday" in listing and "Council closure day" in listing


@pytest.mark.parametrize(
    ("date", "reason", "field_message"),
    [
        ("29/12/2026", "Office move", "29 December 2026 is already a closure day: change that one instead"),
        (
            "2/1/2027",
            "Office move",
            "Saturday 2 January 2027 is a weekend day, which is never counted: enter a weekday",
        ),
        (
            "28/12/2026",
            "Office move",
            "28 December 2026 is a bank holiday in England, which is never counted: enter another day",
        ),
        ("30/12/2026", "   ", "Enter why the service is shut on this day"),
        ("", "Office move", "Enter the closure day"),
        ("31/02/2027", "Office move", "Enter the closure day as a real date, for example 27 3 2026"),
        ("29/12/26", "Office move", "The year of the closure day must include 4 numbers, for example 2026"),
        ("29//2026", "Office move", "Enter the closure day"),
    ],
)
def test_an_invalid_closure_day_is_refused_and_nothing_saved(admin_client, date, reason, field_message):
    ClosureDay.objects.create(date=dt.date(2026, 12, 29), reason="Council closure day")

    response = admin_client.post(ADD, {**_day(date), "reason": reason})

    assert_refused(response, field_message)
    assert ClosureDay.objects.count() == 1


def test_a_working_day_made_a_closure_day_moves_the_flowchart_plan(admin_client, time_machine):
    time_machine.move_to(at(dt.date(2026, 10, 20)), tick=False)
    assert _first_visit(_plan(DAY1)) == FRIDAY.isoformat()

    response = admin_client.post(ADD, {**_day("04/11/2026"), "reason": "Staff training day"})
    assert response.status_code == 302

    assert not calendar_in_force().is_working_day(dt.date(2026, 11, 4))
    plan = _plan(DAY1)
    # Wednesday 4 November no longer counts: day 5 is the Monday after.
    assert _first_visit(plan) == NEXT_MONDAY.isoformat()
    assert dt.date(2026, 11, 4).isoformat() not in plan.values()


@pytest.fixture
def running(pathways, time_machine):
    """A family in the flow chart since Monday 2 November 2026, seen on Tuesday 3 November."""
    manager = ManagerFactory()
    team = TeamFactory(manager=manager)
    lead = PractitionerFactory(team=team)
    time_machine.move_to(at(dt.date(2026, 11, 3)), tick=False)
    case = CaseFactory(lead_practitioner=lead, team=team, referral_date=DAY1)
    return services.episode_start(case=case, by=lead)


def _due(episode, title_start: str) -> dt.date:
    return next(s.due_on for s in episode_progress(episode).steps if s.step.title.startswith(title_start))


def test_a_closure_day_moves_the_due_dates_of_a_family_already_in_the_flow_chart(admin_client, running):
    assert _due(running, "First unannounced") == FRIDAY
    assert running.next_due_on == dt.date(2026, 11, 3)  # the phone call before day 3

    response = admin_client.post(ADD, {**_day("03/11/2026"), "reason": "Council closure day"})
    assert response.status_code == 302

    running.refresh_from_db()
    assert _due(running, "First unannounced") == NEXT_MONDAY
    # The stored next due date the reminders read moved with it.
    assert running.next_due_on == dt.date(2026, 11, 4)

    closure = ClosureDay.objects.get()
    response = admin_client.post(
        reverse("admin:flowchart_closureday_delete", args=[closure.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    running.refresh_from_db()
    assert _due(running, "First unannounced") == FRIDAY
    assert running.next_due_on == dt.date(2026, 11, 3)
    deleted = ClosureDay.history.filter(history_type="-").get()
    assert deleted.history_user.full_name == "Sam Systemowner"


def test_families_counted_in_calendar_days_are_not_moved(admin_client, running):
    Episode.objects.filter(pk=running.pk).update(working_days=False)
    running.refresh_from_db()
    before = _due(running, "First unannounced")

    admin_client.post(ADD, {**_day("04/11/2026"), "reason": "Staff training day"})

    assert _due(running, "First unannounced") == before == dt.date(2026, 11, 6)


def test_the_closure_day_is_typed_in_the_govuk_date_input_and_kept_when_refused(admin_client):
    """Day, month and year boxes as everywhere else in the product, not the admin's calendar; a
    refused day is shown back as typed, with the box that is wrong named."""
    page = admin_client.get(ADD).content.decode()
    assert all(f'name="date_{i}"' in page for i in range(3))
    assert "vDateField" not in page and "DateTimeShortcuts" not in page

    response = admin_client.post(ADD, {**_day("29/12/26"), "reason": "Office move"})
    html = response.content.decode()
    assert 'name="date_0" value="29"' in html and 'name="date_2" value="26"' in html
    assert 'value="Office move"' in html
    assert not ClosureDay.objects.exists()


def test_moving_a_closure_day_puts_right_the_due_dates_of_the_day_it_left(admin_client, running):
    """The change page shows the day in its boxes; moving it to a later day refreshes the families
    whose due dates the old day had moved (save_model reads the day it was moved from)."""
    admin_client.post(ADD, {**_day("03/11/2026"), "reason": "Council closure day"})
    running.refresh_from_db()
    assert running.next_due_on == dt.date(2026, 11, 4)
    closure = ClosureDay.objects.get()
    change = reverse("admin:flowchart_closureday_change", args=[closure.pk])
    page = admin_client.get(change).content.decode()
    assert 'name="date_0" value="3"' in page and 'name="date_1" value="11"' in page

    response = admin_client.post(change, {**_day("30/11/2026"), "reason": "Council closure day"})

    assert response.status_code == 302
    closure.refresh_from_db()
    assert closure.date == dt.date(2026, 11, 30)
    running.refresh_from_db()
    assert running.next_due_on == dt.date(2026, 11, 3)  # 3 November counts again
