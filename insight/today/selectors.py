"""My work today: the lead practitioner's open cases as cards, what is owed first.

Reads the kernel's case list (cases.selectors.my_cases, one query with engagement's columns), the
flow chart's stored summaries of the live runs (flowchart.selectors.my_cases_flowchart, a fixed
number of queries), the families' people (one query) and the length of each run's pathway (one
query): the same count for one case or two hundred.
"""

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from django.db.models import Max
from django.utils import timezone

from cases import selectors as case_selectors
from cases.models import Case, Person, User
from engagement.selectors import ContactPerson, contact_people
from flowchart.choices import StepRequirement
from flowchart.models import Episode
from flowchart.schedule import Status, Summary
from flowchart.selectors import my_cases_flowchart


class Group(StrEnum):
    OVERDUE = "overdue"
    DUE_TODAY = "due_today"
    THIS_WEEK = "this_week"
    REST = "rest"


GROUP_HEADINGS = {
    Group.OVERDUE: "Overdue",
    Group.DUE_TODAY: "Due today",
    Group.THIS_WEEK: "Due in the next 7 days",
    Group.REST: "Later, and cases not in the flow chart",
}


@dataclass
class Card:
    """One family on the practitioner's day: where its flow chart is and what it owes next."""

    case: Case
    summary: Summary | None
    chart_days: int | None  # the pathway's last day ("Day 6 of 15")
    group: Group
    contact: ContactPerson | None = None
    domestic_abuse: bool = False
    interpreter_languages: list[str] = field(default_factory=list)

    @property
    def next_step(self):
        return self.summary.next_step if self.summary else None

    @property
    def more_overdue(self) -> int:
        """Overdue steps besides the next one."""
        return max(len(self.summary.overdue) - 1, 0) if self.summary else 0

    @property
    def takes_attempt(self) -> bool:
        """Whether the next step is met by contact attempts (so "Record an attempt" is offered)."""
        step = self.next_step
        return step is not None and step.step.requirement == StepRequirement.ATTEMPTS

    # The next step's due date as `|date:"j M"` and `|date:"D j M"` give it in the service's English
    # locale, without the filter's DateFormat (about 45 µs a date, for every card).
    @property
    def due_short(self) -> str:
        step = self.next_step
        return f"{step.due_on:%-d %b}" if step else ""

    @property
    def due_with_weekday(self) -> str:
        step = self.next_step
        return f"{step.due_on:%a %-d %b}" if step else ""

    @property
    def lone_working_incident_at(self) -> dt.datetime | None:
        return getattr(self.case, "lone_working_incident_at", None)


@dataclass
class Section:
    group: Group
    cards: list[Card]

    @property
    def heading(self) -> str:
        return GROUP_HEADINGS[self.group]


def _group(summary: Summary | None, today: dt.date) -> Group:
    step = summary.next_step if summary else None
    if step is None:
        return Group.REST
    if step.status == Status.OVERDUE:
        return Group.OVERDUE
    if step.status == Status.DUE_TODAY:
        return Group.DUE_TODAY
    # A rolling week, not the calendar's: on a Friday, Monday's step is the next thing to plan for,
    # not something to find under "later".
    if step.due_on <= today + dt.timedelta(days=7):
        return Group.THIS_WEEK
    return Group.REST


def _chart_days(case_ids: list[int]) -> dict[int, int]:
    """The last step's day of each live run's pathway version, by case id. One query."""
    return dict(
        Episode.objects.filter(case_id__in=case_ids, ended_on__isnull=True)
        .annotate(last_day=Max("version__steps__day"))
        .values_list("case_id", "last_day")
    )


def my_work_today(user: User, today: dt.date | None = None) -> list[Section]:
    """The user's open cases as cards in four sections, in order: overdue, due today, due this
    week, then the rest (later steps, and cases whose flow chart is not running). Within a
    section the step due first comes first. Empty sections are left out."""
    today = today or timezone.localdate()
    cases = list(case_selectors.my_cases(user))
    if not cases:
        return []
    ids = [case.pk for case in cases]
    summaries = my_cases_flowchart(cases, today)
    chart_days = _chart_days(ids)
    people = list(
        Person.objects.filter(case_id__in=ids).only(
            "case_id",
            "kind",
            "full_name",
            "lives_in_household",
            "phone",
            "safe_contact",
            "needs_interpreter",
            "language",
            "domestic_abuse_concern",
        )
    )
    contacts = contact_people(people)
    cards = {}
    for case in cases:
        summary = summaries.get(case.pk)
        cards[case.pk] = Card(
            case=case,
            summary=summary,
            chart_days=chart_days.get(case.pk),
            group=_group(summary, today),
            contact=contacts.get(case.pk),
        )
    for person in sorted(people, key=lambda p: p.full_name):
        card = cards[person.case_id]
        card.domestic_abuse = card.domestic_abuse or person.domestic_abuse_concern
        if person.needs_interpreter and (person.language or "") not in card.interpreter_languages:
            card.interpreter_languages.append(person.language or "")
    far = dt.date.max

    def order(card: Card):
        step = card.next_step
        return (
            step.due_on if step else far,
            step.step.order if step else 0,
            card.case.family_name,
            card.case.pk,
        )

    sections = []
    for group in Group:
        found = sorted((c for c in cards.values() if c.group == group), key=order)
        if found:
            sections.append(Section(group=group, cards=found))
    return sections
