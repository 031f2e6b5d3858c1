"""My work today: the lead practitioner's open cases as cards, what is owed first.

Reads the user's open cases with only what a card shows of them (one query, with engagement's
lone-working warning), the flow chart's stored summaries of the live runs and their pathways'
length (flowchart.selectors.live_charts, a fixed number of queries) and the families' people (one
query): the same count for one case or two hundred.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property

from django.urls import reverse
from django.utils import timezone

from cases.access import cases_visible_to
from cases.models import OPEN_STATUSES, Case, Person, User
from engagement.case_pages import lone_working_incident_at
from engagement.selectors import ContactPerson, contact_people
from flowchart.choices import StepRequirement
from flowchart.schedule import Status, Summary
from flowchart.selectors import live_charts


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
    url: str = ""  # the case page
    attempt_url: str = ""  # where an attempt on the case is recorded

    @cached_property
    def next_step(self):
        # Asked for a handful of times by each card's markup; the summary works it out each time.
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


def case_links(route: str) -> Callable[[int], str]:
    """`reverse(route, kwargs={"case_pk": pk})` for each card at the cost of one `reverse`: the
    route's URL for one case with the case's id in place (a card has two links; a page, 25 cards)."""
    marker = "2147483647"
    url = reverse(route, kwargs={"case_pk": int(marker)})
    if url.count(marker) != 1:
        return lambda pk: reverse(route, kwargs={"case_pk": pk})
    before, _, after = url.partition(marker)
    return lambda pk: f"{before}{pk}{after}"


def _open_cases(user: User) -> list[Case]:
    """The cases the user works on that are open, as My cases lists them, with only what a card
    shows: not the case list's other columns, which cost more to build than to read."""
    return list(
        cases_visible_to(user)
        .filter(status__in=OPEN_STATUSES)
        .only("reference", "family_name", "status")
        .annotate(lone_working_incident_at=lone_working_incident_at())
        .order_by("referral_date", "id")
    )


def my_work_today(user: User, today: dt.date | None = None) -> list[Section]:
    """The user's open cases as cards in four sections, in order: overdue, due today, due this
    week, then the rest (later steps, and cases whose flow chart is not running). Within a
    section the step due first comes first. Empty sections are left out."""
    today = today or timezone.localdate()
    cases = _open_cases(user)
    if not cases:
        return []
    ids = [case.pk for case in cases]
    charts = live_charts(cases, today)
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
    case_url, attempt_url = case_links("cases:case_detail"), case_links("engagement:attempt_record")
    cards = {}
    for case in cases:
        chart = charts.get(case.pk)
        summary = chart.summary if chart else None
        cards[case.pk] = Card(
            case=case,
            summary=summary,
            chart_days=chart.last_day if chart else None,
            group=_group(summary, today),
            contact=contacts.get(case.pk),
            url=case_url(case.pk),
            attempt_url=attempt_url(case.pk),
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
