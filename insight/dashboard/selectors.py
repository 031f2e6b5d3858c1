"""Reads for the managers' team dashboard: each figure, and the cases behind it, for one team.

Every figure counts families (cases), so a number on the dashboard is exactly the number of rows
on the page it links to. The flow-chart figures come from `flowchart.selectors.episodes_summaries`,
the same arithmetic as the case page, the reminders and the oversight queue, never a second copy
of the rules. Each group of figures is read in a fixed number of queries, however large the team.
The rules are written out for managers in docs/dashboard.md.
"""

import datetime as dt
import inspect
from collections import defaultdict, namedtuple
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from django.db.models import OuterRef, Q, QuerySet, Subquery, TextField
from django.db.models.functions import Cast
from django.http import Http404
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from cases.access import cases_managed_by_id, has_role, is_line_manager
from cases.calendar import Calendar
from cases.compiled import compiled_objects, compiled_read
from cases.models import LIVE_STATUSES, Case, Role, Team, User
from flowchart.models import ManagerInformed
from flowchart.schedule import Requirement, Status, day_number
from flowchart.selectors import (
    SUMMARY_VALUES,
    closure_days,
    episode_calendar,
    episodes_summaries,
    stored_summary,
)
from riskassessment.models import SIGNED_STATUSES, AssessmentStatus, Share

LAST_DAY = 15  # the day the flow chart asks for a decision by; later days are counted together
DUE_SOON_DAYS = 2  # a decision due today or in the next 2 counted days is "due soon"
HOSTILE_WINDOW_DAYS = 30  # today and the 29 days before it

FLOWCHART = "flowchart"
SHARING = "sharing"
SAFETY = "safety"
BEYOND = f"beyond_day_{LAST_DAY}"


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    group: str  # which read works it out


def _day_key(day: int) -> str:
    return f"day_{day}" if day <= LAST_DAY else BEYOND


FIGURES: dict[str, Figure] = {
    figure.key: figure
    for figure in (
        Figure("in_flowchart", gettext_lazy("In the flow chart"), FLOWCHART),
        *(
            Figure(
                _day_key(day), format_lazy(gettext_lazy("On day {day} of the flow chart"), day=day), FLOWCHART
            )
            for day in range(1, LAST_DAY + 1)
        ),
        Figure(
            BEYOND, format_lazy(gettext_lazy("Beyond day {day} of the flow chart"), day=LAST_DAY), FLOWCHART
        ),
        Figure("overdue", gettext_lazy("A flow-chart step is overdue"), FLOWCHART),
        Figure("awaiting_oversight", gettext_lazy("Awaiting your management oversight"), FLOWCHART),
        Figure("decision_overdue", gettext_lazy("Decision on next steps overdue"), FLOWCHART),
        Figure(
            "decision_due_soon",
            format_lazy(gettext_lazy("Decision on next steps due within {days} days"), days=DUE_SOON_DAYS),
            FLOWCHART,
        ),
        Figure("share_late", gettext_lazy("Signed assessment not shared in time"), SHARING),
        Figure("share_unacknowledged", gettext_lazy("Shared assessment not acknowledged in time"), SHARING),
        Figure(
            "hostile",
            format_lazy(gettext_lazy("Hostile incident in the last {days} days"), days=HOSTILE_WINDOW_DAYS),
            SAFETY,
        ),
    )
}
DAY_KEYS = [_day_key(day) for day in range(1, LAST_DAY + 2)]


@dataclass
class TeamFigures:
    """For each figure worked out: the cases behind it, each with what puts it there."""

    today: dt.date
    reasons: dict[str, dict[int, list[str]]] = field(default_factory=lambda: defaultdict(dict))
    day_numbers: dict[int, int] = field(default_factory=dict)  # case id → flow-chart day
    # case id → its lead practitioner's id, for every case behind a figure: read with the figures
    # (one more column on rows already read), so "What is slipping" needs no query of its own.
    leads: dict[int, int] = field(default_factory=dict)

    def count(self, key: str) -> int:
        return len(self.reasons.get(key, {}))

    def cases_behind(self, key: str) -> dict[int, list[str]]:
        return self.reasons.get(key, {})

    def _add(self, key: str, case_id: int, reason: str) -> None:
        self.reasons[key].setdefault(case_id, []).append(reason)


def teams_managed_by(user: User) -> QuerySet[Team]:
    """The teams whose dashboard this user may open."""
    if not has_role(user, Role.LINE_MANAGER):
        return Team.objects.none()
    return Team.objects.filter(manager=user)


@compiled_objects
def _team_managed(*, manager: int, team: int):
    return Team.objects.filter(manager_id=manager, pk=team)


def team_for(user: User, pk) -> Team:
    """A team this user manages; any other team answers 404, exactly like one that does not exist."""
    try:
        pk = int(pk)
    except (ValueError, TypeError):
        pk = 0
    # Ids are positive 64-bit integers: anything else is no team (the database is not asked).
    found = (
        _team_managed(manager=user.pk, team=pk)
        if 0 < pk < 2**63 and has_role(user, Role.LINE_MANAGER)
        else []
    )
    if not found:
        raise Http404("No such team")
    return found[0]


@compiled_objects
def _practitioners(*, team: int):
    leads = Case.objects.filter(team_id=team).values("lead_practitioner_id")
    return (
        User.objects.filter(Q(team_id=team, role=Role.LEAD_PRACTITIONER, is_active=True) | Q(pk__in=leads))
        .distinct()
        .order_by("full_name", "pk")
    )


def team_practitioners(team: Team) -> list[User]:
    """Whom the dashboard can be narrowed to: the team's practitioners and anyone leading its cases."""
    return _practitioners(team=team.pk)


@dataclass(frozen=True)
class Scope:
    """Whose cases the figures are drawn from, by id: the manager's, of one team, and of one lead
    practitioner if the dashboard is narrowed to them."""

    manager: int
    team: int
    practitioner: int | None = None


def _team_read(rows_of: Callable[..., QuerySet]) -> Callable[..., list[tuple]]:
    """A read of the scope's cases (`rows_of(cases, **slots)` gives its values_list), compiled once
    a process (`cases.compiled`) in its two shapes: the whole team, and one practitioner's
    families. Building and compiling the dashboard's reads afresh on every view was a sixth of
    its time. `rows_of`'s own keyword arguments, annotated, are slots of the read as well."""
    own = {
        name: kind
        for name, kind in inspect.get_annotations(rows_of, eval_str=True).items()
        if name not in ("cases", "return")
    }

    def whole_team(*, manager, team, **values):
        return rows_of(cases_managed_by_id(manager).filter(team_id=team), **values)

    def one_practitioner(*, manager, team, practitioner, **values):
        cases = cases_managed_by_id(manager).filter(team_id=team, lead_practitioner_id=practitioner)
        return rows_of(cases, **values)

    whole_team.__annotations__ = {"manager": int, "team": int, **own}
    one_practitioner.__annotations__ = {"manager": int, "team": int, "practitioner": int, **own}
    for build in (whole_team, one_practitioner):
        build.__qualname__ = f"{rows_of.__qualname__}.{build.__name__}"
    whole, one = compiled_read(whole_team), compiled_read(one_practitioner)

    def read(scope: Scope, **values) -> list[tuple]:
        if scope.practitioner is None:
            return whole(manager=scope.manager, team=scope.team, **values)
        return one(manager=scope.manager, team=scope.team, practitioner=scope.practitioner, **values)

    return read


def team_figures(
    *,
    user: User,
    team: Team,
    today: dt.date,
    practitioner: User | None = None,
    groups=None,
    reasons: bool = True,
) -> TeamFigures:
    """Every figure for the team on `today` (or only those of `groups`), in a constant number of queries.

    `reasons=False`: the cases behind each figure without what puts them there (for the
    dashboard, which shows only the numbers); the flow-chart figures are then counted from the
    dates the stored summaries keep, without going through each step.
    """
    groups = set(groups or (FLOWCHART, SHARING, SAFETY))
    figures = TeamFigures(today=today)
    if not is_line_manager(user):  # the reads below name the manager by id alone
        return figures
    scope = Scope(user.pk, team.pk, practitioner.pk if practitioner is not None else None)
    if FLOWCHART in groups:
        _flowchart_figures(figures, scope, today, reasons=reasons)
    if SHARING in groups:
        _sharing_figures(figures, scope, today, reasons=reasons)
    if SAFETY in groups:
        _safety_figures(figures, scope, today)
    return figures


def cases_for(case_ids) -> list[Case]:
    """The cases behind a figure, for listing with links to them. One query."""
    return list(
        Case.objects.filter(pk__in=list(case_ids))
        .select_related("lead_practitioner")
        .order_by("family_name", "reference")
    )


# A live episode as the figures read it: the fields `flowchart.selectors.episodes_summaries` needs.
EpisodeRow = namedtuple("EpisodeRow", SUMMARY_VALUES)
# Live episodes on open cases: the ones the reminder sweep also reads. The open cases first (an
# index on team and status), then their live episodes: read the other way round, the database
# would look for an episode on every case the team ever had. As plain rows: a team has
# hundreds, and only these columns are read.
# Both reads are joins from the cases (not "episode in (cases)"), so that PostgreSQL looks up
# each open case's episode rather than reading every live episode to match them.
# Each in one filter() call, so that every condition and column is on the same episode.
# (`episodes__isnull=False` too: "ended_on is null" alone would match a case with no episode.)
LIVE = {"status__in": LIVE_STATUSES, "episodes__isnull": False, "episodes__ended_on__isnull": True}


@_team_read
def _live_episodes(cases: QuerySet[Case]) -> QuerySet:
    # Day 1 and the stored summary come as the database keeps them, as text, each decoded once
    # per distinct value (`_day`, `stored_summary`): a team's five hundred families share a few
    # dozen Day 1s, and their summaries change only with their records. Converting each row's
    # values afresh was a fifth of the read. With each, when its lead practitioner first told
    # the manager of the non-engagement (`ManagerInformed`), if they have.
    first_informed = ManagerInformed.objects.filter(episode=OuterRef("episodes__id")).order_by("informed_at")
    return (
        cases.filter(**LIVE)
        .annotate(
            summary_text=Cast("episodes__summary", TextField()),
            day1_text=Cast("episodes__day1", TextField()),
            informed_at=Subquery(first_informed.values("informed_at")[:1]),
        )
        .order_by()
        .values_list(
            "episodes__id",
            "pk",
            "episodes__version_id",
            "episodes__working_days",
            "episodes__nation",
            "lead_practitioner_id",
            "summary_text",
            "day1_text",
            "informed_at",
        )
    )


@lru_cache(maxsize=4096)
def _day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


@lru_cache(maxsize=4096)
def _on(day: dt.date) -> str:
    return f"{day:%-d %b %Y}"


def _flowchart_figures(figures: TeamFigures, scope: Scope, today: dt.date, *, reasons: bool) -> None:
    episodes = []
    informed: dict[int, dt.date] = {}  # the day each episode's manager was first told
    for pk, case_id, version_id, working_days, nation, lead_id, text, day1, informed_at in _live_episodes(
        scope
    ):
        episodes.append(
            EpisodeRow(pk, case_id, version_id, _day(day1), working_days, nation, stored_summary(text))
        )
        figures.leads[case_id] = lead_id
        if informed_at is not None:
            informed[pk] = timezone.localdate(informed_at)
    closures = closure_days()
    calendars: dict[tuple[bool, str], tuple[Calendar, dt.date]] = {}  # with the last day "due soon"

    def calendar_of(episode) -> tuple[Calendar, dt.date]:
        found = calendars.get((episode.working_days, episode.nation))
        if found is None:
            calendar = episode_calendar(episode, closures)
            found = calendars[(episode.working_days, episode.nation)] = (
                calendar,
                calendar.add(today, DUE_SOON_DAYS),
            )
        return found

    if not reasons:
        # Counting only (the dashboard itself): read the dates the stored summary keeps for it.
        episodes = _count_from_summaries(figures, episodes, today, informed, calendar_of)
    progress_by_id = episodes_summaries(episodes, today, closures=closures)
    for episode in episodes:
        result = progress_by_id[episode.pk]
        if result.ended_on is not None:
            # The records already show the end (the family engaged, an escalation, a decision);
            # the services close the episode at their next refresh. Nothing is due on it.
            continue
        case_id = episode.case_id
        # A Day 1 still in the future is counted as day 1: the chart has nothing earlier.
        day = max(result.day_number, 1)
        figures.day_numbers[case_id] = day
        figures._add("in_flowchart", case_id, _("Day %(day)s") % {"day": day})
        figures._add(_day_key(day), case_id, _("Day 1 was %(date)s") % {"date": _on(episode.day1)})
        for step in result.overdue:
            figures._add("overdue", case_id, _due_by(step))
        informed_on = informed.get(episode.pk)
        soon = calendar_of(episode)[1]
        for step in result.open_steps:
            if step.step.requirement == Requirement.OVERSIGHT_RECORDED and (
                informed_on is not None or step.status != Status.UPCOMING
            ):
                words = {
                    "step": step.step.title,
                    "date": _on(step.due_on),
                    "status": step.status_label.lower(),
                    "informed": _on(informed_on) if informed_on else "",
                }
                if informed_on:
                    # Translators: %(status)s is the step's state in lower case, for example "overdue".
                    reason = _("%(step)s: due by %(date)s (%(status)s; informed on %(informed)s)") % words
                else:
                    reason = _("%(step)s: due by %(date)s (%(status)s; not yet informed)") % words
                figures._add("awaiting_oversight", case_id, reason)
            if step.step.requirement == Requirement.DECISION_MADE:
                if step.status == Status.OVERDUE:
                    figures._add("decision_overdue", case_id, _due_by(step))
                elif step.due_on <= soon:
                    figures._add("decision_due_soon", case_id, _due_by(step))


def _due_by(step) -> str:
    return _("%(step)s: due by %(date)s") % {"step": step.step.title, "date": _on(step.due_on)}


def _count_from_summaries(
    figures: TeamFigures, episodes: list, today: dt.date, informed, calendar_of
) -> list:
    """Count each figure from the dates kept in the stored summaries, the same tests as the
    reasons above make step by step (a due date before today is overdue, on or before today is
    no longer upcoming); returns the episodes whose summary cannot say, to be worked out in full.
    """
    today_text = today.isoformat()  # ISO dates compare as text
    left = []
    # A team's families share a few dozen Day 1s and one or two calendars: each day's figure and
    # each calendar's last day "due soon" are worked out once, not once per family.
    day_keys: dict[tuple, str] = {}
    soon_texts: dict[tuple, str] = {}
    behind = figures.reasons

    def add(key: str, case_id: int) -> None:
        # Counted, not explained: no list of reasons for each case (a tuple: nothing can add one).
        behind[key][case_id] = ()

    for episode in episodes:
        record = episode.summary
        if not record or record.get("on", "9999") > today_text or "decision" not in record:
            left.append(episode)
            continue
        if record["ended_on"]:
            continue
        case_id = episode.case_id
        on_calendar = (episode.working_days, episode.nation)
        day_key = day_keys.get((*on_calendar, episode.day1))
        if day_key is None:
            calendar, soon = calendar_of(episode)
            soon_texts[on_calendar] = soon.isoformat()
            day = max(day_number(calendar, episode.day1, today), 1)
            day_key = day_keys[(*on_calendar, episode.day1)] = _day_key(day)
        add("in_flowchart", case_id)
        add(day_key, case_id)
        if record["next"] and record["next"] < today_text:
            add("overdue", case_id)
        if record["oversight"] and (episode.pk in informed or min(record["oversight"]) <= today_text):
            add("awaiting_oversight", case_id)
        for due in record["decision"]:
            if due < today_text:
                add("decision_overdue", case_id)
            elif due <= soon_texts[on_calendar]:
                add("decision_due_soon", case_id)
    return left


@_team_read
def _signed_versions(cases: QuerySet[Case]) -> QuerySet:
    # The team's signed versions, as a join from its cases (an index on team, lead practitioner
    # and id) like the flow-chart figures; in one filter() call, so every condition and column is
    # on the same assessment.
    return (
        cases.filter(assessments__status__in=SIGNED_STATUSES)
        .order_by()
        .values_list(
            "pk",
            "assessments__id",
            "assessments__version",
            "assessments__status",
            "assessments__share_due_on",
            "lead_practitioner_id",
        )
    )


@compiled_read
def _team_shares_overdue(*, team: int, today: dt.date):
    # The team's outstanding shares past their deadline, through the team each share keeps (an
    # index on team and due date): a few dozen, whichever versions they are of. A member whose
    # place on the case has ended can no longer open it, so cannot acknowledge it.
    return (
        Share.objects.filter(
            team_id=team, acknowledged_at__isnull=True, due_on__lt=today, membership__ended_at__isnull=True
        )
        .order_by("due_on", "member__full_name", "pk")
        .values_list("assessment_id", "member__full_name", "due_on")
    )


def _sharing_figures(figures: TeamFigures, scope: Scope, today: dt.date, *, reasons: bool) -> None:
    # Each case's newest signed version (an amended, re-signed assessment replaces the one
    # before) is picked here from the few hundred a team has, rather than by a "no newer signed
    # version" subquery in both reads: compiling those was most of this figure.
    newest: dict[int, tuple] = {}
    for row in _signed_versions(scope):
        if row[0] not in newest or row[2] > newest[row[0]][2]:
            newest[row[0]] = row
    # "Signed" rather than "shared" means no member has been sent it yet.
    for case_id, _assessment_id, version, status, due_on, lead_id in sorted(newest.values()):
        if status == AssessmentStatus.SIGNED and due_on is not None and due_on < today:
            figures.leads[case_id] = lead_id
            reason = (
                _("Version %(version)s was due to be shared by %(date)s: not shared yet")
                % {"version": version, "date": _on(due_on)}
                if reasons
                else ""
            )
            figures._add("share_late", case_id, reason)
    # The overdue shares of those newest versions (of the practitioner's cases, if narrowed):
    # their cases and leads are those of the versions above.
    of_version = {row[1]: row for row in newest.values()}
    for assessment_id, member, due_on in _team_shares_overdue(team=scope.team, today=today):
        version = of_version.get(assessment_id)
        if version is None:
            continue  # an older version's, or another practitioner's family
        case_id, *_columns, lead_id = version
        figures.leads[case_id] = lead_id
        reason = (
            _("%(member)s: not acknowledged, due by %(date)s") % {"member": member, "date": _on(due_on)}
            if reasons
            else ""
        )
        figures._add("share_unacknowledged", case_id, reason)


@_team_read
def _hostile_attempts(cases: QuerySet[Case], *, start: dt.datetime) -> QuerySet:
    # `hostile` is kept from the forms of non-engagement by the attempt services, with an index.
    # A join from the team's cases, so that each case's hostile attempts are looked up in that
    # partial index (on SQLite "attempt in (team cases)" took 9 times as long).
    return (
        cases.filter(contact_attempts__hostile=True, contact_attempts__occurred_at__gte=start)
        .order_by("contact_attempts__occurred_at", "contact_attempts__id")
        .values_list("pk", "contact_attempts__occurred_at", "lead_practitioner_id")
    )


def _safety_figures(figures: TeamFigures, scope: Scope, today: dt.date) -> None:
    since = today - dt.timedelta(days=HOSTILE_WINDOW_DAYS - 1)
    rows = _hostile_attempts(scope, start=timezone.make_aware(dt.datetime.combine(since, dt.time())))
    incidents: dict[int, list[dt.date]] = defaultdict(list)
    for case_id, occurred_at, lead_id in rows:
        incidents[case_id].append(timezone.localdate(occurred_at))
        figures.leads[case_id] = lead_id
    for case_id, days in incidents.items():
        words = ngettext(
            "%(count)d incident, the latest on %(date)s",
            "%(count)d incidents, the latest on %(date)s",
            len(days),
        )
        figures._add("hostile", case_id, words % {"count": len(days), "date": _on(max(days))})


# What is slipping, in the order the dashboard names it for each practitioner: the figures that
# are problems (how many families are in the flow chart, or on which day, is not one), with the
# words for how many, for one and for more.
SLIPPING = (
    (
        "overdue",
        lambda n: ngettext(
            "%(count)d family with a step overdue", "%(count)d families with a step overdue", n
        ),
    ),
    ("decision_overdue", lambda n: ngettext("%(count)d decision overdue", "%(count)d decisions overdue", n)),
    (
        "decision_due_soon",
        lambda n: ngettext("%(count)d decision due soon", "%(count)d decisions due soon", n),
    ),
    (
        "awaiting_oversight",
        lambda n: ngettext("%(count)d awaiting your oversight", "%(count)d awaiting your oversight", n),
    ),
    (
        "share_late",
        lambda n: ngettext(
            "%(count)d assessment not shared in time", "%(count)d assessments not shared in time", n
        ),
    ),
    (
        "share_unacknowledged",
        lambda n: ngettext(
            "%(count)d share not acknowledged in time", "%(count)d shares not acknowledged in time", n
        ),
    ),
    (
        "hostile",
        lambda n: ngettext(
            "%(count)d family with a recent hostile incident",
            "%(count)d families with a recent hostile incident",
            n,
        ),
    ),
)


@dataclass(frozen=True)
class Slip:
    key: str
    count: int
    words: str  # with the count: "3 decisions overdue"


@dataclass(frozen=True)
class Slipping:
    """One practitioner's problems on the dashboard, e.g. "Priya Patel: 3 families with a step
    overdue, 1 decision due soon"; only the figures that are not zero."""

    practitioner: User
    slips: list[Slip]

    @property
    def total(self) -> int:
        return sum(slip.count for slip in self.slips)


def slipping_by_practitioner(figures: TeamFigures, practitioners: list[User]) -> list[Slipping]:
    """Each lead practitioner with something slipping, the most first, from figures already
    worked out. No query: the figures read who leads each family behind them (`TeamFigures.leads`)."""
    behind = {key: figures.cases_behind(key) for key, _words in SLIPPING}
    lead_of = figures.leads
    by_pk = {p.pk: p for p in practitioners}
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for key, cases in behind.items():
        for case_id in cases:
            counts[lead_of[case_id]][key] += 1
    found = []
    # The same few counts recur from one practitioner to the next: each one's words once.
    said: dict[tuple[str, int], str] = {}

    def say(key: str, words, count: int) -> str:
        text = said.get((key, count))
        if text is None:
            text = said[(key, count)] = words(count) % {"count": count}
        return text

    for lead_id, theirs in counts.items():
        practitioner = by_pk.get(lead_id)
        if practitioner is None:
            continue  # every lead of the team's cases is among the practitioners
        slips = [
            Slip(key, theirs[key], say(key, words, theirs[key])) for key, words in SLIPPING if theirs.get(key)
        ]
        found.append(Slipping(practitioner, slips))
    found.sort(key=lambda s: (-s.total, s.practitioner.full_name, s.practitioner.pk))
    return found
