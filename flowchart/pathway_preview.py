"""What publishing a pathway's draft would do, shown to the admin before they publish.

Two answers, neither of which reads a real case:

- a sample family (a fixed, made-up scenario, never a real case) replayed through the flow chart
  on the version in force now and on the draft (`flowchart.replay`, everything rolled back), day
  by day: which steps fall due and which are overdue;
- the episodes now running on each version of the pathway, as counts: they keep their version.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import Episode, Pathway, PathwayVersion
from .replay import EventSpec, PersonSpec, Scenario, replay
from .selectors import current_version

# The sample family: a mother and a child, never reached. The lead practitioner telephones on
# days 1 and 2 and nobody answers; nothing else is recorded, so every later step shows when it
# falls due and when it goes overdue. Monday 2 November 2026 is Day 1; the run covers the 19
# calendar days of 15 working days.
SAMPLE_START = dt.date(2026, 11, 2)
SAMPLE_UNTIL = dt.date(2026, 11, 20)
SAMPLE_DESCRIPTION = _(
    "A sample family (made up, not a real case): a mother and her child who never answer. The lead "
    "practitioner telephones on days 1 and 2 and nobody answers; nothing else is recorded. Day 1 is "
    "Monday 2 November 2026."
)


def _sample_scenario() -> Scenario:
    zone = timezone.get_default_timezone()
    calls = [
        EventSpec(
            index=index,
            at=dt.datetime.combine(day, dt.time(10, 0), tzinfo=zone),
            kind="attempt",
            body={"kind": "phone_call", "with": "mum", "outcomes": ["no_answer"]},
        )
        for index, day in enumerate([SAMPLE_START, SAMPLE_START + dt.timedelta(days=1)])
    ]
    return Scenario(
        start=SAMPLE_START,
        until=SAMPLE_UNTIL,
        people=(
            PersonSpec(ref="mum", relationship="mother", preferred_contact="phone"),
            PersonSpec(ref="kid", relationship="child"),
        ),
        events=tuple(calls),
    )


@dataclass(frozen=True)
class SampleDay:
    """One day of the sample family's run: what each version asks that day."""

    date: dt.date
    day_now: int | None
    day_new: int | None
    due_now: tuple[str, ...]
    due_new: tuple[str, ...]
    overdue_now: int
    overdue_new: int

    @property
    def changed(self) -> bool:
        return (self.day_now, self.due_now, self.overdue_now) != (
            self.day_new,
            self.due_new,
            self.overdue_new,
        )


@dataclass(frozen=True)
class RunningVersion:
    number: int
    is_published: bool
    running: int


@dataclass(frozen=True)
class Preview:
    published: PathwayVersion
    draft: PathwayVersion
    days: list[SampleDay]

    @property
    def changed_days(self) -> int:
        return sum(day.changed for day in self.days)


def _by_date(result: dict) -> dict[str, dict]:
    return {day["date"]: day for day in result["days"]}


def _due(day: dict) -> tuple[str, ...]:
    return tuple(
        gettext("Step %(order)s: %(title)s") % {"order": step["order"], "title": step["title"]}
        for step in day["steps"]
        if step["status"] == "due"
    )


def _overdue(day: dict) -> int:
    return sum(step["status"] == "overdue" for step in day["steps"])


def sample_family_days(published: PathwayVersion, draft: PathwayVersion) -> list[SampleDay]:
    """The sample family on both versions, day by day (two replays, both rolled back)."""
    scenario = _sample_scenario()
    now = _by_date(replay(scenario, version=published))
    new = _by_date(replay(scenario, version=draft))
    days = []
    for date in sorted(now):
        before, after = now[date], new[date]
        days.append(
            SampleDay(
                date=dt.date.fromisoformat(date),
                day_now=before["day"],
                day_new=after["day"],
                due_now=_due(before),
                due_new=_due(after),
                overdue_now=_overdue(before),
                overdue_new=_overdue(after),
            )
        )
    return days


def running_by_version(pathway: Pathway) -> list[RunningVersion]:
    """Episodes now running on each version of the pathway: counts only (no case is named)."""
    counts = dict(
        Episode.objects.filter(version__pathway=pathway, ended_on__isnull=True)
        .values_list("version_id")
        .annotate(n=Count("pk"))
        .values_list("version_id", "n")
    )
    return [
        RunningVersion(
            number=version.number, is_published=version.is_published, running=counts.get(version.pk, 0)
        )
        for version in pathway.versions.order_by("-number")
    ]


def pathway_preview(pathway: Pathway) -> Preview | None:
    """The sample family on the version in force and on the draft, or None without both."""
    draft = PathwayVersion.objects.filter(pathway=pathway, published_at__isnull=True).first()
    published = current_version(pathway.code)
    if draft is None or published is None:
        return None
    return Preview(
        published=published,
        draft=draft,
        days=sample_family_days(published, draft),
    )
