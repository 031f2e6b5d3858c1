"""Every read behind the insight pages: figures on how engagement work is going.

Who sees which cases is decided through cases.access: a line manager reads the teams they manage
(`cases_managed_by`), an admin counts every team's cases but never sees a case behind a number.
Each figure is one query whatever the number of cases, and takes the dates it needs as arguments
so tests can pin them. docs/insight.md gives the exact rule of every figure.
"""

import datetime as dt
import statistics
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import models
from django.db.models import Case as DbCase
from django.db.models import (
    CharField,
    Count,
    DateField,
    F,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import TruncMonth, TruncWeek
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from cases.access import cases_managed_by
from cases.compiled import compiled_read
from cases.models import LIVE_STATUSES, Case, Role, Team, User
from engagement import rules
from engagement.models import AttemptKind, AttemptOutcome, ContactAttempt, NonEngagementForm
from flowchart.models import Decision, DecisionOutcome
from riskassessment.models import SIGNED_STATUSES, Assessment

from .charts import BarChart, ColumnChart, Series, bar_chart, column_chart

# Outcomes where the practitioner tried to reach the family and did not: the family did not
# answer, was out, kept the door shut, cut the visit short or cancelled or missed it, or a
# message had to be left. A letter sent or a talk with another professional is neither a
# success nor a failure with the family, so it counts on its own and never in the drop rule.
UNSUCCESSFUL_OUTCOMES = (
    AttemptOutcome.NO_ANSWER,
    AttemptOutcome.NOT_AT_HOME,
    AttemptOutcome.REFUSED_ENTRY,
    AttemptOutcome.DOOR_NOT_OPENED,
    AttemptOutcome.VISIT_CUT_SHORT,
    AttemptOutcome.CANCELLED_BY_FAMILY,
    AttemptOutcome.APPOINTMENT_MISSED,
    AttemptOutcome.MESSAGE_LEFT,
)


class OutcomeGroup(models.TextChoices):
    AGREED = "agreed", _("A parent or carer agreed to work with us")
    CONTACT = "contact", _("Contact made with the family, no agreement yet")
    UNSUCCESSFUL = "unsuccessful", _("Not reached")
    OTHER = "other", _("Letter sent or professional discussion")


def outcome_group_expression():
    """Each attempt's group, worked out by the database from `engagement.rules`: agreement, then
    contact with the family, then an unsuccessful outcome, else other."""
    return DbCase(
        When(rules.agreement_q(), then=Value(OutcomeGroup.AGREED.value)),
        When(rules.family_contact_q(), then=Value(OutcomeGroup.CONTACT.value)),
        When(outcome__in=UNSUCCESSFUL_OUTCOMES, then=Value(OutcomeGroup.UNSUCCESSFUL.value)),
        default=Value(OutcomeGroup.OTHER.value),
        output_field=CharField(),
    )


class Period(models.TextChoices):
    MONTH = "month", _("Month")
    WEEK = "week", _("Week")


# ---------------------------------------------------------------------------------------------
# Who sees what, and the filters.


@dataclass(frozen=True)
class InsightScope:
    """The teams and cases whose figures one person may see, and how much they may see of them."""

    teams: QuerySet[Team]
    cases: QuerySet[Case]
    shows_cases: bool  # names and links to the cases behind a figure
    by_practitioner: bool  # may narrow the figures to one practitioner


def insight_scope(user: User) -> InsightScope:
    """Line managers: their teams. Admins: every team, in aggregate. Anyone else: 404."""
    if user.role == Role.LINE_MANAGER:
        return InsightScope(
            teams=Team.objects.filter(manager=user).order_by("name"),
            cases=cases_managed_by(user),
            shows_cases=True,
            by_practitioner=True,
        )
    if user.role == Role.ADMIN:
        # The system owner counts the service's work but reads no family's record, and the
        # figures of one practitioner are for their line manager, not for configuration.
        return InsightScope(
            teams=Team.objects.order_by("name"),
            cases=Case.objects.all(),
            shows_cases=False,
            by_practitioner=False,
        )
    raise Http404("Not found")


def practitioners_in(scope: InsightScope) -> QuerySet[User]:
    """Everyone whose figures the manager may narrow to: who leads a case, or works, in their teams."""
    return (
        User.objects.filter(
            Q(pk__in=scope.cases.values("lead_practitioner_id"))
            | Q(team__in=scope.teams, role=Role.LEAD_PRACTITIONER)
        )
        .distinct()
        .order_by("full_name")
    )


@dataclass(frozen=True)
class InsightFilter:
    date_from: dt.date
    date_to: dt.date
    period: str = Period.MONTH
    team: Team | None = None
    practitioner: User | None = None


def default_date_from(today: dt.date) -> dt.date:
    """The first day of the month eleven months back: twelve whole months with this one."""
    months = today.year * 12 + today.month - 1 - 11
    return dt.date(months // 12, months % 12 + 1, 1)


def insight_cases(scope: InsightScope, filters: InsightFilter) -> QuerySet[Case]:
    """The cases behind the figures: a practitioner's figures are those of the cases they lead."""
    cases = scope.cases
    if filters.team is not None:
        cases = cases.filter(team=filters.team)
    if filters.practitioner is not None:
        cases = cases.filter(lead_practitioner=filters.practitioner)
    return cases


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())


def _bounds(filters: InsightFilter) -> tuple[dt.datetime, dt.datetime]:
    """From the start of the first day to the start of the day after the last, local time."""
    return _day_start(filters.date_from), _day_start(filters.date_to + dt.timedelta(days=1))


@dataclass(frozen=True)
class PeriodSpan:
    start: dt.date
    label: str  # in tables: "November 2026", "Week beginning 2 November 2026"
    short_label: str  # under a column: "Nov 2026", "2 Nov"


def period_spans(filters: InsightFilter) -> list[PeriodSpan]:
    """Every month or week (from Monday) the date range touches, oldest first, empty ones too."""
    spans = []
    if filters.period == Period.WEEK:
        one_year = filters.date_from.year == filters.date_to.year
        start = filters.date_from - dt.timedelta(days=filters.date_from.weekday())
        while start <= filters.date_to:
            short = f"{start:%-d %b}" if one_year else f"{start:%-d %b %Y}"
            spans.append(
                PeriodSpan(start, gettext("Week beginning %(date)s") % {"date": f"{start:%-d %B %Y}"}, short)
            )
            start += dt.timedelta(days=7)
        return spans
    start = filters.date_from.replace(day=1)
    while start <= filters.date_to:
        spans.append(PeriodSpan(start, f"{start:%B %Y}", f"{start:%b %Y}"))
        start = (start + dt.timedelta(days=32)).replace(day=1)
    return spans


def period_count(filters: InsightFilter) -> int:
    return len(period_spans(filters))


@dataclass(frozen=True)
class Table:
    """A figure as rows: the page's "show the figures as a table" and its CSV download."""

    caption: str
    header: tuple[str, ...]
    rows: list[tuple]


# ---------------------------------------------------------------------------------------------
# 1. Attempts by kind and outcome over time.


@dataclass
class GroupCounts:
    agreed: int = 0
    contact: int = 0
    unsuccessful: int = 0
    other: int = 0

    def add(self, group: str, n: int) -> None:
        setattr(self, group, getattr(self, group) + n)

    @property
    def total(self) -> int:
        return self.agreed + self.contact + self.unsuccessful + self.other

    @property
    def reached(self) -> int:
        """Attempts that made contact with the family, with or without an agreement."""
        return self.agreed + self.contact

    @property
    def reached_percent(self) -> int | None:
        return round(100 * self.reached / self.total) if self.total else None

    def as_tuple(self) -> tuple[int, int, int, int]:
        return self.agreed, self.contact, self.unsuccessful, self.other


GROUP_ORDER = (OutcomeGroup.AGREED, OutcomeGroup.CONTACT, OutcomeGroup.UNSUCCESSFUL, OutcomeGroup.OTHER)


@dataclass(frozen=True)
class AttemptCount:
    period: PeriodSpan
    kind: str
    outcome: str
    group: str
    count: int


@dataclass
class AttemptsFigure:
    periods: list[tuple[PeriodSpan, GroupCounts]]
    kinds: list[tuple[str, GroupCounts]]
    counts: list[AttemptCount]
    total: GroupCounts

    def _series(self, rows) -> list[Series]:
        return [
            Series(name=OutcomeGroup(group).label, values=tuple(c.as_tuple()[i] for _, c in rows))
            for i, group in enumerate(GROUP_ORDER)
        ]

    def period_chart(self) -> ColumnChart | None:
        return column_chart(
            [span.short_label for span, _ in self.periods], self._series(self.periods), unit="attempts"
        )

    def kind_chart(self) -> BarChart | None:
        return bar_chart([label for label, _ in self.kinds], self._series(self.kinds), unit="attempts")

    def period_table(self) -> Table:
        header = (gettext("Period"), *(OutcomeGroup(g).label for g in GROUP_ORDER), gettext("All attempts"))
        rows = [(span.label, *c.as_tuple(), c.total) for span, c in self.periods]
        return Table(gettext("Attempts in each period, by outcome"), header, rows)

    def kind_table(self) -> Table:
        header = (
            gettext("Kind of attempt"),
            *(OutcomeGroup(g).label for g in GROUP_ORDER),
            gettext("All attempts"),
        )
        rows = [(label, *c.as_tuple(), c.total) for label, c in self.kinds]
        return Table(gettext("Attempts of each kind, by outcome"), header, rows)

    def table(self) -> Table:
        """Every period, kind and outcome with at least one attempt: the CSV download."""
        kinds = dict(AttemptKind.choices)
        outcomes = dict(AttemptOutcome.choices)
        header = (
            gettext("Period starting"),
            gettext("Period"),
            gettext("Kind of attempt"),
            gettext("Outcome"),
            gettext("Outcome group"),
            gettext("Attempts"),
        )
        rows = [
            (
                f"{c.period.start:%Y-%m-%d}",
                c.period.label,
                kinds.get(c.kind, c.kind),
                outcomes.get(c.outcome, c.outcome),
                OutcomeGroup(c.group).label,
                c.count,
            )
            for c in self.counts
        ]
        return Table(gettext("Attempts by period, kind and outcome"), header, rows)


def attempts_figure(cases: QuerySet[Case], filters: InsightFilter, today: dt.date) -> AttemptsFigure:
    """Contact attempts made in the date range, counted per period, kind and outcome (one query)."""
    start, end = _bounds(filters)
    trunc = TruncWeek if filters.period == Period.WEEK else TruncMonth
    rows = (
        ContactAttempt.objects.filter(case__in=cases, occurred_at__gte=start, occurred_at__lt=end)
        .annotate(period=trunc("occurred_at", output_field=DateField()), group=outcome_group_expression())
        .values_list("period", "kind", "outcome", "group")
        .annotate(n=Count("id"))
        .order_by("period", "kind", "outcome", "group")
    )
    spans = period_spans(filters)
    span_of = {span.start: span for span in spans}
    by_period = {span.start: GroupCounts() for span in spans}
    by_kind: dict[str, GroupCounts] = defaultdict(GroupCounts)
    total = GroupCounts()
    counts = []
    for period, kind, outcome, group, n in rows:
        # A week or month that began before the first date still belongs to its own period.
        period = period.date() if isinstance(period, dt.datetime) else period
        span = span_of[period]
        counts.append(AttemptCount(span, kind, outcome, group, n))
        by_period[period].add(group, n)
        by_kind[kind].add(group, n)
        total.add(group, n)
    kinds = [(label, by_kind[value]) for value, label in AttemptKind.choices if value in by_kind]
    kinds += [(value, c) for value, c in by_kind.items() if value not in AttemptKind.values]
    return AttemptsFigure(
        periods=[(span, by_period[span.start]) for span in spans], kinds=kinds, counts=counts, total=total
    )


# ---------------------------------------------------------------------------------------------
# 2. Time from referral to first successful contact.

# (fewest days, most days or None for no limit, label)
FIRST_CONTACT_BANDS = (
    (0, 2, _("0 to 2 days")),
    (3, 7, _("3 to 7 days")),
    (8, 14, _("8 to 14 days")),
    (15, 28, _("15 to 28 days")),
    (29, None, _("More than 28 days")),
)
NOT_YET_LABEL = _("No successful contact yet")


@dataclass
class FirstContactFigure:
    referred: int
    days: list[int]  # per case reached, days from referral to first successful contact
    bands: list[tuple[str, int]] = field(default_factory=list)

    @property
    def reached(self) -> int:
        return len(self.days)

    @property
    def not_reached(self) -> int:
        return self.referred - self.reached

    @property
    def median(self) -> float | None:
        return statistics.median(self.days) if self.days else None

    @property
    def median_label(self) -> str:
        median = self.median
        if median is None:
            return gettext("No case reached yet")
        number = f"{median:g}"
        if median != int(median):  # a median of an even count may be a half: 2.5 days
            return gettext("%(number)s days") % {"number": number}
        return ngettext("%(number)s day", "%(number)s days", int(median)) % {"number": number}

    def chart(self) -> ColumnChart | None:
        # Cases not reached yet have no time to show: their column has a pattern of its own.
        reached = tuple(n for _, n in self.bands[:-1])
        return column_chart(
            [label for label, _ in self.bands],
            [
                Series(name=gettext("Seen or spoken to"), values=(*reached, 0)),
                Series(name=NOT_YET_LABEL, values=(0,) * len(reached) + (self.not_reached,)),
            ],
            unit="cases",
        )

    def table(self) -> Table:
        rows = [
            *self.bands,
            (gettext("Median days, of the cases reached"), f"{self.median:g}" if self.days else ""),
        ]
        return Table(
            gettext("Cases by days from referral to first successful contact"),
            (gettext("Days"), gettext("Cases")),
            rows,
        )


def first_contact_figure(cases: QuerySet[Case], filters: InsightFilter, today: dt.date) -> FirstContactFigure:
    """Cases referred in the date range and how long until a family member was first seen or spoken to."""
    rows = (
        cases.filter(referral_date__gte=filters.date_from, referral_date__lte=filters.date_to)
        .annotate(
            first_engaged_at=Min(
                "contact_attempts__occurred_at",
                filter=rules.family_contact_q("contact_attempts__"),
            )
        )
        .order_by()
        .values_list("referral_date", "first_engaged_at")
    )
    referred = 0
    days = []
    for referral_date, first_engaged_at in rows:
        referred += 1
        if first_engaged_at is not None:
            # Calendar days, whatever the flow chart counts; a contact logged before the
            # referral date (the referral recorded late) counts as the same day.
            days.append(max(0, (timezone.localdate(first_engaged_at) - referral_date).days))
    bands = [
        (label, sum(1 for d in days if d >= low and (high is None or d <= high)))
        for low, high, label in FIRST_CONTACT_BANDS
    ]
    bands.append((NOT_YET_LABEL, referred - len(days)))
    return FirstContactFigure(referred=referred, days=sorted(days), bands=bands)


# ---------------------------------------------------------------------------------------------
# 3. Sharing the signed assessment within 5 working days.


class ShareState(models.TextChoices):
    ON_TIME = "on_time", _("Shared on time")
    LATE = "late", _("Shared late")
    OVERDUE = "overdue", _("Not yet shared and overdue")
    NOT_YET_DUE = "not_yet_due", _("Not yet shared, not yet due")


@dataclass
class SharingFigure:
    counts: dict[str, int]

    @property
    def signed(self) -> int:
        return sum(self.counts.values())

    @property
    def due(self) -> int:
        """Assessments whose deadline has come: the ones compliance is measured on."""
        return self.signed - self.counts[ShareState.NOT_YET_DUE]

    @property
    def on_time_percent(self) -> int | None:
        return round(100 * self.counts[ShareState.ON_TIME] / self.due) if self.due else None

    def chart(self) -> BarChart | None:
        return bar_chart(
            [label for _, label in ShareState.choices],
            [Series(name=gettext("Assessments"), values=tuple(self.counts[s] for s in ShareState.values))],
            unit="assessments",
        )

    def table(self) -> Table:
        rows = [(label, self.counts[state]) for state, label in ShareState.choices]
        return Table(
            gettext("Signed assessments by when they were shared"),
            (gettext("Sharing"), gettext("Assessments")),
            rows,
        )


def sharing_figure(cases: QuerySet[Case], filters: InsightFilter, today: dt.date) -> SharingFigure:
    """Assessments signed in the date range: shared by their due date, after it, or not yet."""
    start, end = _bounds(filters)
    shared = Q(shared_at__isnull=False)
    counts = Assessment.objects.filter(
        case__in=cases, status__in=SIGNED_STATUSES, signed_at__gte=start, signed_at__lt=end
    ).aggregate(
        # The day it was shared is the local calendar day; shared on the due date is on time.
        on_time=Count("id", filter=shared & Q(shared_at__date__lte=F("share_due_on"))),
        late=Count("id", filter=shared & Q(shared_at__date__gt=F("share_due_on"))),
        overdue=Count("id", filter=Q(shared_at__isnull=True, share_due_on__lt=today)),
        not_yet_due=Count("id", filter=Q(shared_at__isnull=True, share_due_on__gte=today)),
    )
    return SharingFigure(counts={state: counts[state] or 0 for state in ShareState.values})


# ---------------------------------------------------------------------------------------------
# 4. The decisions mix.


@dataclass
class DecisionsFigure:
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def chart(self) -> BarChart | None:
        return bar_chart(
            [label for _, label in DecisionOutcome.choices],
            [Series(name=gettext("Decisions"), values=tuple(self.counts[o] for o in DecisionOutcome.values))],
            unit="decisions",
        )

    def table(self) -> Table:
        rows = [(label, self.counts[outcome]) for outcome, label in DecisionOutcome.choices]
        return Table(
            gettext("Decisions on next steps by outcome"), (gettext("Decision"), gettext("Decisions")), rows
        )


def decisions_figure(cases: QuerySet[Case], filters: InsightFilter, today: dt.date) -> DecisionsFigure:
    """Flow-chart decisions recorded in the date range, by outcome (one query)."""
    start, end = _bounds(filters)
    found = dict(
        Decision.objects.filter(episode__case__in=cases, decided_at__gte=start, decided_at__lt=end)
        .values_list("outcome")
        .annotate(n=Count("id"))
        .order_by()
    )
    return DecisionsFigure(counts={outcome: found.get(outcome, 0) for outcome in DecisionOutcome.values})


# ---------------------------------------------------------------------------------------------
# 5. Forms of non-engagement recorded with attempts.


@dataclass
class FormsFigure:
    rows: list[tuple[str, int, int]]  # label, attempts recording it, cases recording it
    attempts_with_any: int

    def chart(self) -> BarChart | None:
        return bar_chart(
            [label for label, _, _ in self.rows],
            [Series(name=gettext("Attempts"), values=tuple(n for _, n, _ in self.rows))],
            unit="attempts",
            label_chars=44,
        )

    def table(self) -> Table:
        return Table(
            gettext("Forms of non-engagement recorded with attempts"),
            (
                gettext("Form of non-engagement"),
                gettext("Attempts recording it"),
                gettext("Cases recording it"),
            ),
            list(self.rows),
        )


def forms_figure(cases: QuerySet[Case], filters: InsightFilter, today: dt.date) -> FormsFigure:
    """What practitioners recorded under "forms of non-engagement" on attempts in the date range."""
    start, end = _bounds(filters)
    recorded = (
        ContactAttempt.objects.filter(case__in=cases, occurred_at__gte=start, occurred_at__lt=end)
        .exclude(non_engagement_forms=[])
        .order_by()
        .values_list("case_id", "non_engagement_forms")
    )
    attempts: Counter[str] = Counter()
    cases_with: dict[str, set[int]] = defaultdict(set)
    attempts_with_any = 0
    known = set(NonEngagementForm.values)
    for case_id, forms in recorded:
        forms = {f for f in forms or () if f in known}
        attempts_with_any += bool(forms)
        for form in forms:
            attempts[form] += 1
            cases_with[form].add(case_id)
    rows = [(label, attempts[value], len(cases_with[value])) for value, label in NonEngagementForm.choices]
    return FormsFigure(rows=rows, attempts_with_any=attempts_with_any)


FIGURES: dict[str, Callable] = {
    "attempts": attempts_figure,
    "first-contact": first_contact_figure,
    "sharing": sharing_figure,
    "decisions": decisions_figure,
    "non-engagement": forms_figure,
}


@dataclass
class InsightPage:
    """Every figure and chart of the insight page, read in a fixed number of queries."""

    attempts: AttemptsFigure
    first_contact: FirstContactFigure
    sharing: SharingFigure
    decisions: DecisionsFigure
    forms: FormsFigure
    sudden_drops: int
    attempts_period_chart: ColumnChart | None = None
    attempts_kind_chart: BarChart | None = None
    first_contact_chart: ColumnChart | None = None
    sharing_chart: BarChart | None = None
    decisions_chart: BarChart | None = None
    forms_chart: BarChart | None = None

    def __post_init__(self):
        self.attempts_period_chart = self.attempts.period_chart()
        self.attempts_kind_chart = self.attempts.kind_chart()
        self.first_contact_chart = self.first_contact.chart()
        self.sharing_chart = self.sharing.chart()
        self.decisions_chart = self.decisions.chart()
        self.forms_chart = self.forms.chart()


def insight_page(
    scope: InsightScope, filters: InsightFilter, *, now: dt.datetime | None = None
) -> InsightPage:
    now = now or timezone.now()
    today = timezone.localdate(now)
    cases = insight_cases(scope, filters)
    return InsightPage(
        attempts=attempts_figure(cases, filters, today),
        first_contact=first_contact_figure(cases, filters, today),
        sharing=sharing_figure(cases, filters, today),
        decisions=decisions_figure(cases, filters, today),
        forms=forms_figure(cases, filters, today),
        sudden_drops=sudden_drop_count(cases, now=now),
    )


# ---------------------------------------------------------------------------------------------
# The sudden drop in engagement.

# A family that was engaging: this many successful contacts within RUN_DAYS up to the latest.
SUDDEN_DROP_ENGAGED_CONTACTS = 2
SUDDEN_DROP_RUN_DAYS = 28
# Then, since that latest successful contact, either this many unsuccessful attempts...
SUDDEN_DROP_FAILED_ATTEMPTS = 3
# ...or at least one unsuccessful attempt and this many days with no successful contact.
SUDDEN_DROP_SILENT_DAYS = 14


@dataclass(frozen=True)
class SuddenDrop:
    last_engaged_at: dt.datetime
    failed_since: int
    last_failed_at: dt.datetime
    today: dt.date

    @property
    def days_since_engaged(self) -> int:
        return (self.today - timezone.localdate(self.last_engaged_at)).days

    @property
    def reason(self) -> str:
        words = ngettext(
            "%(count)d unsuccessful attempt and no successful contact in %(days)d days, after the family "
            "had been engaging",
            "%(count)d unsuccessful attempts and no successful contact in %(days)d days, after the family "
            "had been engaging",
            self.failed_since,
        )
        return words % {"count": self.failed_since, "days": self.days_since_engaged}


def sudden_drop_cases(cases: QuerySet[Case], *, now: dt.datetime | None = None) -> QuerySet[Case]:
    """Open cases that were engaging and have stopped: the warning sign of Camden's guidance.

    Each row carries `last_engaged_at`, `failed_since` and `last_failed_at`. One query.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    last_engaged = (
        ContactAttempt.objects.filter(rules.family_contact_q(), case=OuterRef("pk"), occurred_at__lte=now)
        .order_by("-occurred_at", "-id")
        .values("occurred_at")[:1]
    )
    failed_since = Q(
        contact_attempts__outcome__in=UNSUCCESSFUL_OUTCOMES,
        contact_attempts__occurred_at__gt=F("last_engaged_at"),
        contact_attempts__occurred_at__lte=now,
    )
    engaged_run = rules.family_contact_q("contact_attempts__") & Q(
        contact_attempts__occurred_at__gte=F("last_engaged_at") - dt.timedelta(days=SUDDEN_DROP_RUN_DAYS),
        contact_attempts__occurred_at__lte=F("last_engaged_at"),
    )
    # Last successful contact on or before this day: SILENT_DAYS or more without one.
    silent_before = _day_start(today - dt.timedelta(days=SUDDEN_DROP_SILENT_DAYS - 1))
    return (
        cases.filter(status__in=LIVE_STATUSES)
        .annotate(last_engaged_at=Subquery(last_engaged))
        .filter(last_engaged_at__isnull=False)
        .annotate(
            engaged_run=Count("contact_attempts", filter=engaged_run),
            failed_since=Count("contact_attempts", filter=failed_since),
            last_failed_at=Max("contact_attempts__occurred_at", filter=failed_since),
        )
        .filter(engaged_run__gte=SUDDEN_DROP_ENGAGED_CONTACTS)
        .filter(
            Q(failed_since__gte=SUDDEN_DROP_FAILED_ATTEMPTS)
            | Q(failed_since__gte=1, last_engaged_at__lt=silent_before)
        )
    )


@compiled_read
def _live_case_attempts(*, case: int):
    # Compiled once a process (`cases.compiled`); "not after now" is tested in Python, as a slot
    # holds no time of day.
    return (
        ContactAttempt.objects.filter(case_id=case, case__status__in=LIVE_STATUSES)
        .order_by()
        .values_list("occurred_at", "kind", "outcome", "with_person_id")
    )


def case_sudden_drop(case: Case, *, now: dt.datetime | None = None) -> SuddenDrop | None:
    """The case's sudden drop in engagement, or None: the tests of `sudden_drop_cases` applied to
    the case's attempts in Python (one plain query). For one case on the case page, building that
    query's SQL cost several times more than reading the few columns it looks at."""
    now = now or timezone.now()
    attempts = [row for row in _live_case_attempts(case=case.pk) if row[0] <= now]
    contacts = [
        at
        for at, kind, outcome, with_person_id in attempts
        if rules.is_family_contact(kind=kind, outcome=outcome, with_person_id=with_person_id)
    ]
    if not contacts:
        return None
    last_engaged_at = max(contacts)
    run_from = last_engaged_at - dt.timedelta(days=SUDDEN_DROP_RUN_DAYS)
    if sum(1 for at in contacts if run_from <= at <= last_engaged_at) < SUDDEN_DROP_ENGAGED_CONTACTS:
        return None
    failed = [
        at for at, _, outcome, _ in attempts if outcome in UNSUCCESSFUL_OUTCOMES and at > last_engaged_at
    ]
    today = timezone.localdate(now)
    silent_before = _day_start(today - dt.timedelta(days=SUDDEN_DROP_SILENT_DAYS - 1))
    if len(failed) >= SUDDEN_DROP_FAILED_ATTEMPTS or (failed and last_engaged_at < silent_before):
        return SuddenDrop(last_engaged_at, len(failed), max(failed), today)
    return None


@dataclass(frozen=True)
class FlaggedCase:
    case: Case
    drop: SuddenDrop


def flagged_cases(cases: QuerySet[Case], *, now: dt.datetime | None = None) -> list[FlaggedCase]:
    """The flagged cases with their lead practitioner and team, longest without contact first."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    rows = (
        sudden_drop_cases(cases, now=now)
        .select_related("lead_practitioner", "team")
        .order_by("last_engaged_at", "reference")
    )
    return [
        FlaggedCase(
            case=c,
            drop=SuddenDrop(
                last_engaged_at=c.last_engaged_at,
                failed_since=c.failed_since,
                last_failed_at=c.last_failed_at,
                today=today,
            ),
        )
        for c in rows
    ]


def sudden_drop_count(cases: QuerySet[Case], *, now: dt.datetime | None = None) -> int:
    return sudden_drop_cases(cases, now=now).count()
