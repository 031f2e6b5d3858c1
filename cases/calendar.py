"""The one place where days are counted: calendar or working days, weekends and bank holidays.

Whether the flow chart's days are calendar or working days is not stated in the guidance, so it
is an admin setting; working days skip weekends and the bank holidays of the authority's nation.
The settings live with the flow chart, which hands the kernel their reader when it starts
(`calendar_reader_set`), so the records below it can count days without importing it.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

import holidays
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.translation import gettext_lazy as _


class Nation(models.TextChoices):
    ENGLAND = "ENG", _("England")
    WALES = "WLS", _("Wales")
    SCOTLAND = "SCT", _("Scotland")
    NORTHERN_IRELAND = "NIR", _("Northern Ireland")


@lru_cache(maxsize=64)
def bank_holidays(nation: str, year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("GB", subdiv=nation, years=year))


@dataclass(frozen=True)
class Calendar:
    working_days: bool = True
    nation: str = Nation.ENGLAND
    closures: frozenset[dt.date] = field(default_factory=frozenset)  # extra days the service is shut

    def is_working_day(self, day: dt.date) -> bool:
        if not self.working_days:
            return True
        return (
            day.weekday() < 5 and day not in bank_holidays(self.nation, day.year) and day not in self.closures
        )

    def add(self, start: dt.date, days: int) -> dt.date:
        """The date `days` counted days after `start` (0 gives `start` itself)."""
        if not self.working_days:
            return start + dt.timedelta(days=days)
        step = 1 if days >= 0 else -1
        current, remaining = start, abs(days)
        while remaining:
            current += dt.timedelta(days=step)
            if self.is_working_day(current):
                remaining -= 1
        return current

    def date_of_day(self, day1: dt.date, day_number: int) -> dt.date:
        """The date of flow-chart day N, where Day 1 is the referral date."""
        return self.add(day1, day_number - 1)

    def day_number(self, day1: dt.date, today: dt.date) -> int:
        """Which flow-chart day `today` is (1 on Day 1; days before Day 1 give 0 or less)."""
        if today <= day1:
            return 1 - (day1 - today).days if today < day1 else 1
        if not self.working_days:
            return (today - day1).days + 1
        count, current = 1, day1
        while current < today:
            current += dt.timedelta(days=1)
            if self.is_working_day(current):
                count += 1
        return count

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Counted days after `start` up to and including `end`."""
        return max(0, self.day_number(start, end) - 1)


_reader: Callable[[], Calendar] | None = None


def calendar_reader_set(reader: Callable[[], Calendar]) -> None:
    """Name the function that reads the calendar in force from the admin's settings."""
    global _reader  # set once, when the app that owns the settings starts
    _reader = reader


def calendar_in_force() -> Calendar:
    """The calendar new deadlines are counted on, as the admin set it (read from the database)."""
    if _reader is None:
        raise ImproperlyConfigured("No app has set the calendar's reader: flowchart sets it in its ready()")
    return _reader()
