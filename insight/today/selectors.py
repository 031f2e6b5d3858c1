"""My work today: the lead practitioner's open cases as cards, what is owed first.

Reads the user's open cases with only what a card shows of them (one query, with engagement's
lone-working warning), the flow chart's stored summaries of the live runs and their pathways'
length (flowchart.selectors.practitioners_live_charts, a fixed number of queries) and the
families' people (one query): the same count for one case or two hundred. The page is the lead
practitioner's alone, so each read's SQL is the same for every user but for their id, and is
compiled once a process (cases/compiled.py).
"""

import datetime as dt
from collections import namedtuple
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from cases.access import practitioner_cases_by_id
from cases.compiled import compiled_read, record_from
from cases.models import OPEN_STATUSES, Case, Person, Role, User
from engagement.case_pages import lone_working_incident_at
from engagement.selectors import ContactPerson, contact_people
from flowchart.choices import StepRequirement
from flowchart.schedule import Status, Summary
from flowchart.selectors import practitioners_live_charts
from insight.links import links


class Group(StrEnum):
    OVERDUE = "overdue"
    DUE_TODAY = "due_today"
    THIS_WEEK = "this_week"
    REST = "rest"


GROUP_HEADINGS = {
    Group.OVERDUE: gettext_lazy("Overdue"),
    Group.DUE_TODAY: gettext_lazy("Due today"),
    Group.THIS_WEEK: gettext_lazy("Due in the next 7 days"),
    Group.REST: gettext_lazy("Later, and cases not in the flow chart"),
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
    def flow_chart(self) -> str:
        """Where the family is in its flow chart ("Day 6 of 15"), or why it is not running: one
        value for the card's markup rather than four lookups and two conditions in it."""
        if self.summary is None:
            # Translators: %(status)s is the case's status in lower case, for example "closed".
            return _("Not running (%(status)s)") % {"status": self.case.get_status_display().lower()}
        if self.chart_days:
            return _("Day %(day)s of %(days)s") % {"day": self.summary.day_number, "days": self.chart_days}
        return _("Day %(day)s") % {"day": self.summary.day_number}

    # What the card's markup shows, each as one value: every lookup, condition and filter in the
    # template costs a few microseconds a card, and the cards' markup is most of the page's time.
    @property
    def reference(self) -> str:
        return self.case.reference

    @property
    def family_name(self) -> str:
        return self.case.family_name

    @property
    def record_attempt_url(self) -> str:
        """The attempt form for the next step, when attempts meet it ("Record an attempt")."""
        return f"{self.attempt_url}?step={self.next_step.step.order}" if self.takes_attempt else ""

    @property
    def record_attempt_hidden(self) -> str:
        """What "Record an attempt" is on, for screen readers."""
        if not self.takes_attempt:
            return ""
        # Translators: read after "Record an attempt", with its leading space.
        return _(" on %(reference)s: %(step)s") % {
            "reference": self.case.reference,
            "step": self.next_step.step.title,
        }

    @property
    def next_step_title(self) -> str:
        step = self.next_step
        return _("Day %(day)s: %(step)s") % {"day": step.step.day, "step": step.step.title} if step else ""

    @property
    def overdue(self) -> bool:
        return self.next_step is not None and self.next_step.status == Status.OVERDUE

    @property
    def due_today(self) -> bool:
        return self.next_step is not None and self.next_step.status == Status.DUE_TODAY

    @property
    def more_overdue_text(self) -> str:
        """The line under the next step: "and 2 more overdue steps", or nothing."""
        more = self.more_overdue
        if not more:
            return ""
        return ngettext("and %(count)d more overdue step", "and %(count)d more overdue steps", more) % {
            "count": more
        }

    @property
    def contact_text(self) -> str:
        """The contact link's words: "Call Sam Okafor on 07700 900123" (or "Text ..." under a
        text-only safe-contact plan)."""
        contact = self.contact
        if contact is None:
            return ""
        words = {"name": contact.person.full_name, "phone": contact.phone}
        if contact.text_only:
            return _("Text %(name)s on %(phone)s") % words
        return _("Call %(name)s on %(phone)s") % words

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


# The caseload's reads, compiled once a process (`cases.compiled`): building the three querysets
# (the cases with their lone-working warnings, their episodes, their people) cost Django about
# 2 ms of every load of the page, more than running them.
def _open_case_ids(practitioner: int):
    return practitioner_cases_by_id(practitioner).filter(status__in=OPEN_STATUSES)


_CASE_COLUMNS = ("id", "reference", "family_name", "status")


@compiled_read
def _open_case_rows(*, practitioner: int):
    """The cases the practitioner works on that are open, as My cases lists them, with only what a
    card shows: not the case list's other columns, which cost more to build than to read."""
    return (
        _open_case_ids(practitioner)
        .annotate(lone_working_incident_at=lone_working_incident_at())
        .order_by("referral_date", "id")
        .values_list(*_CASE_COLUMNS, "lone_working_incident_at")
    )


def _open_cases(practitioner: User) -> list[Case]:
    cases = []
    for *values, incident_at in _open_case_rows(practitioner=practitioner.pk):
        case = record_from(Case, _CASE_COLUMNS, values)
        case.lone_working_incident_at = incident_at
        cases.append(case)
    return cases


# What the cards show of a family's people, and what picks whom to contact
# (`engagement.selectors.contact_people`): as plain rows, a family has three or four people and a
# caseload thirty families, and a model instance for each cost more than reading them.
PersonRow = namedtuple(
    "PersonRow",
    (
        "pk",
        "case_id",
        "kind",
        "full_name",
        "lives_in_household",
        "phone",
        "safe_contact",
        "needs_interpreter",
        "language",
        "domestic_abuse_concern",
    ),
)


@compiled_read
def _people_rows(*, practitioner: int):
    return Person.objects.filter(case__in=_open_case_ids(practitioner).values("pk")).values_list(
        *PersonRow._fields
    )


def my_work_today(user: User, today: dt.date | None = None) -> list[Section]:
    """The user's open cases as cards in four sections, in order: overdue, due today, due this
    week, then the rest (later steps, and cases whose flow chart is not running). Within a
    section the step due first comes first. Empty sections are left out."""
    today = today or timezone.localdate()
    if not (user.is_active and user.role == Role.LEAD_PRACTITIONER):
        return []  # the page is the lead practitioner's; its reads are written for one
    cases = _open_cases(user)
    if not cases:
        return []
    charts = practitioners_live_charts(user, today)
    people = [PersonRow(*row) for row in _people_rows(practitioner=user.pk)]
    contacts = contact_people(people)
    case_url = links("cases:case_detail", "case_pk")
    attempt_url = links("engagement:attempt_record", "case_pk")
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
