"""The admin's flow-chart settings, the closure days, and the calendars that deadlines are counted on."""

import datetime as dt

from django.db.models import QuerySet

from cases.calendar import Calendar
from cases.compiled import compiled_read

from ..models import (
    ClosureDay,
    Episode,
    FlowchartSettings,
)


def settings_in_force() -> FlowchartSettings:
    """The admin's settings row (created with the defaults if an admin removed it)."""
    settings, _ = FlowchartSettings.objects.get_or_create(pk=1)
    return settings


@compiled_read
def _closure_days():
    return ClosureDay.objects.order_by().values_list("date")


def closure_days() -> frozenset[dt.date]:
    """Every day the admin has marked as a service closure day. One query, its SQL compiled once
    a process (`cases.compiled`): every busy page reads them."""
    return frozenset(day for (day,) in _closure_days())


def calendar_in_force() -> Calendar:
    """The calendar new deadlines are counted on: working or calendar days, the nation's holidays
    and the service's closure days."""
    settings = settings_in_force()
    return Calendar(working_days=settings.working_days, nation=settings.nation, closures=closure_days())


def episode_calendar(episode: Episode, closures: frozenset[dt.date]) -> Calendar:
    """The episode's own calendar (kept from its start) with today's closure days.

    Closure days reach episodes already running: nobody can visit on a day the service is shut.
    """
    return Calendar(working_days=episode.working_days, nation=episode.nation, closures=closures)


def step_escalation_due(
    *, due_on: dt.date, today: dt.date, settings: FlowchartSettings, calendar: Calendar
) -> bool:
    """Whether an overdue step has been overdue long enough to tell the line manager."""
    return settings.escalate_overdue_steps and calendar.add(due_on, settings.escalate_after_days) <= today


def episodes_for_closure_change(day: dt.date) -> QuerySet[Episode]:
    """Live working-day episodes whose stored next due date a closure on `day` may move."""
    return Episode.objects.filter(
        ended_on__isnull=True, working_days=True, day1__lte=day, next_due_on__gte=day
    ).select_related("case")
