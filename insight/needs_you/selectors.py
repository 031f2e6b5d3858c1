"""What waits for a line manager across their teams, in one queue: the "Needs you" page.

Each kind of item is one read, scoped to the manager's cases (`cases.access.managed_by`, a join
to the case's team, or `cases_managed_by`), so the page runs the same queries for one item as
for two hundred. The flow chart's oversight
and decisions come from the summaries the services keep on each episode: only the episodes
with something due on or before today are read (or those whose summary cannot say, worked out
in full as the case page does), never every live episode of the teams.
"""

import datetime as dt
from collections import namedtuple
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property, lru_cache

from django.db.models import Exists, OuterRef, Q, TextField
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_noop as N_

from cases.access import cases_managed_by_id, is_line_manager, managed_by_id
from cases.compiled import compiled_read
from cases.models import (
    LIVE_STATUSES,
    OPEN_STATUSES,
    Case,
    CaseMembership,
    CaseStatus,
    MembershipStatus,
    User,
)
from cases.notifications.models import Notification
from engagement.documents.models import Letter, LetterStatus
from engagement.safety.models import HostileIncident, HostileIncidentReview
from flowchart.models import ClosureRequest, Episode, ManagerInformed
from flowchart.schedule import Requirement, Status, open_steps_from_record
from flowchart.selectors import SUMMARY_VALUES, episodes_summaries, steps_for, stored_summary
from insight.links import links
from riskassessment.models import Assessment, AssessmentStatus, Share

# The kinds of item, in the order they are listed when equally urgent.
DECISION = "decision"
OVERSIGHT = "oversight"
SIGN = "sign"
LETTER = "letter"
HOSTILE = "hostile"
CLOSURE = "closure"
SHARE = "share"
ESCALATION = "escalation"
CO_WORKER = "co_worker"
KINDS = (DECISION, OVERSIGHT, SIGN, LETTER, HOSTILE, CLOSURE, SHARE, ESCALATION, CO_WORKER)


@lru_cache(maxsize=1024)
def _translated(language: str, words: str) -> str:
    """`words` in the active language (`language`, which keys the cache): a page's items say the
    same few things, and each translation looked the language up afresh."""
    return gettext(words)


# Not frozen: a frozen dataclass sets each of its fields through object.__setattr__, and the
# queue makes hundreds of items a request (timed: 0.68 ms for 206 frozen, against 0.17 ms). Nothing
# changes an item once made.
@dataclass(eq=False)
class NeedsYouItem:
    """One thing waiting for the manager: which family, whose case, what to do and by when.

    Built from plain values, not model instances: the queue reads every waiting item to order
    them (hundreds for a manager of 500 families) and a page shows 25. `case` and
    `practitioner` are made from those values when asked for (a test, say); the page reads
    `family_name`, `reference` and `practitioner_name`.
    `due_on`: the deadline the records set, if any; `since`: when it began to wait.
    `route` and `route_kwargs`: the page that does it (`url`). `notification`: for a
    notification, the one to mark read on opening it (a POST), so it leaves the queue once seen.
    """

    kind: str
    case_id: int
    family_name: str
    reference: str
    practitioner_id: int | None
    practitioner_name: str
    # What is needed and what to do, as messages of the catalogue (marked with gettext_noop) and
    # the values their placeholders take: translated when shown (`what`, `action`), for the
    # page's 25 items rather than for the hundreds the queue reads to order them.
    what_words: str
    action_words: str
    route: str
    route_kwargs: tuple[tuple[str, int], ...]
    since: dt.date
    today: dt.date
    due_on: dt.date | None = None
    notification_id: int | None = None
    what_values: tuple[tuple[str, object], ...] = ()

    @cached_property
    def what(self) -> str:
        words = _translated(get_language(), self.what_words)
        return words % dict(self.what_values) if self.what_values else words

    @cached_property
    def action(self) -> str:
        return _translated(get_language(), self.action_words)

    @cached_property
    def case(self) -> Case:
        return Case(pk=self.case_id, family_name=self.family_name, reference=self.reference)

    @cached_property
    def practitioner(self) -> User | None:
        if self.practitioner_id is None:
            return None
        return User(pk=self.practitioner_id, full_name=self.practitioner_name)

    @property
    def url(self) -> str:
        # Worked out when shown: a manager's queue holds hundreds of items, a page shows 25.
        return reverse(self.route, kwargs=dict(self.route_kwargs))

    @cached_property
    def days_overdue(self) -> int:
        if self.due_on is None or self.due_on >= self.today:
            return 0
        return (self.today - self.due_on).days

    @cached_property
    def due_today(self) -> bool:
        return self.due_on == self.today

    @cached_property
    def days_waiting(self) -> int:
        return max((self.today - self.since).days, 0)

    def urgency(self) -> tuple:
        """Most overdue first, then due today, then the rest by deadline, then longest waiting."""
        # Worked out here rather than through the cached properties: the queue orders every
        # item it reads, and shows the properties for 25.
        due_on, today = self.due_on, self.today
        if due_on is None:
            return (0, True, dt.date.max, self.since, KINDS.index(self.kind), self.family_name, self.case_id)
        return (
            (due_on - today).days if due_on < today else 0,
            due_on != today,
            due_on,
            self.since,
            KINDS.index(self.kind),
            self.family_name,
            self.case_id,
        )


# What the page shows of a case and of its lead practitioner, read as plain values alongside each
# item: the queue reads every waiting item to order them, and model instances for each cost more
# than the reads themselves.
SHOWN = (
    "case_id",
    "case__family_name",
    "case__reference",
    "case__lead_practitioner_id",
    "case__lead_practitioner__full_name",
)


def _shown(prefix: str, *extra: str) -> tuple[str, ...]:
    """`SHOWN` under another model's path to the case (`prefix`), with the read's own columns."""
    return (*(f"{prefix}__{name}" for name in SHOWN), *extra)


def _local(at: dt.datetime | None, zone: dt.tzinfo, today: dt.date | None = None) -> dt.date | None:
    """The local day of `at` in `zone` (`today` if there is no time): each read looks the zone up
    once (`timezone.localdate` does so for every value, four times the cost of the conversion)."""
    return at.astimezone(zone).date() if at else today


# An episode as `episodes_summaries` reads it, with what the page shows of its case.
# The summary is read as text and decoded once per distinct text (`stored_summary`).
EpisodeRow = namedtuple(
    "EpisodeRow",
    (*SUMMARY_VALUES[:-1], "family_name", "reference", "lead_id", "lead_name", "informed", "summary"),
)


@compiled_read
def _due_episodes(*, manager: int, today_text: str):
    """The live episodes of the manager's teams with oversight or a decision due on or before
    today (`today_text`, an ISO date), oversight the practitioner asked for, or a summary that
    cannot say."""
    informed = ManagerInformed.objects.filter(episode=OuterRef("pk"))
    # The live cases' ids, not all the teams' cases (closed ones too, five times as many): the
    # database then looks up an episode for each live case only.
    live_cases = cases_managed_by_id(manager).filter(status__in=LIVE_STATUSES)
    # The summary's due dates and day are compared in its generated columns (ISO dates, which
    # compare as text), not read from the JSON: a parse of each summary for each value.
    return (
        Episode.objects.filter(case__in=live_cases, case__status__in=LIVE_STATUSES, ended_on__isnull=True)
        .annotate(informed=Exists(informed), summary_text=Cast("summary", TextField()))
        .filter(
            Q(oversight_due__lte=today_text)
            | Q(decision_due__lte=today_text)
            | Q(informed=True, oversight_due__isnull=False)
            | Q(summary_on__isnull=True)
            | Q(summary_on__gt=today_text)
        )
        .order_by()
        .values_list(*SUMMARY_VALUES[:-1], *SHOWN[1:], "informed", "summary_text")
    )


# The manager's two steps of the flow chart: only these of an episode's open steps are read.
MANAGER_STEPS = frozenset({Requirement.OVERSIGHT_RECORDED, Requirement.DECISION_MADE})


def _flowchart_items(user: User, today: dt.date) -> list[NeedsYouItem]:
    """Oversight and decisions due on or before today (or oversight the practitioner asked for).

    The summary keeps the due dates of the manager's open oversight and decision steps as ISO
    dates, which compare as text; an episode whose summary is missing or from a later day is
    read too. Each episode's manager steps are read from its stored summary
    (`open_steps_from_record`), the rest of its open steps left unread; an episode whose summary
    cannot say is worked out in full by `episodes_summaries`.
    """
    episodes = [
        EpisodeRow(*row, summary=stored_summary(text))
        for *row, text in _due_episodes(manager=user.pk, today_text=today.isoformat())
    ]
    steps = steps_for({episode.version_id for episode in episodes})
    by_id = {version: {step.id: step for step in specs} for version, specs in steps.items()}
    open_steps = {}
    underived = []
    for episode in episodes:
        found = open_steps_from_record(
            episode.summary, by_id.get(episode.version_id, {}), today, MANAGER_STEPS
        )
        if found is None:
            underived.append(episode)
        else:
            open_steps[episode.pk] = found
    for pk, summary in episodes_summaries(underived, today, steps=steps).items():
        open_steps[pk] = [] if summary.ended_on is not None else summary.open_steps
    items = []
    for episode in episodes:
        shown = {
            "case_id": episode.case_id,
            "family_name": episode.family_name,
            "reference": episode.reference,
            "practitioner_id": episode.lead_id,
            "practitioner_name": episode.lead_name,
            "route_kwargs": (("case_pk", episode.case_id),),
            "today": today,
        }
        for step in open_steps[episode.pk]:
            requirement = step.step.requirement
            if requirement == Requirement.OVERSIGHT_RECORDED and (
                episode.informed or step.status != Status.UPCOMING
            ):
                items.append(
                    NeedsYouItem(
                        kind=OVERSIGHT,
                        what_words=N_(
                            "Management oversight: %(step)s (the lead practitioner has told you of "
                            "the non-engagement)"
                        )
                        if episode.informed
                        else N_("Management oversight: %(step)s"),
                        what_values=(("step", step.step.title),),
                        action_words=N_("Record oversight"),
                        route="flowchart:oversight_record",
                        since=min(step.due_on, today),
                        due_on=step.due_on,
                        **shown,
                    )
                )
            elif requirement == Requirement.DECISION_MADE and step.status != Status.UPCOMING:
                items.append(
                    NeedsYouItem(
                        kind=DECISION,
                        what_words=N_("Decision on next steps: %(step)s"),
                        what_values=(("step", step.step.title),),
                        action_words=N_("Record the decision"),
                        route="flowchart:decision_record",
                        since=step.due_on,
                        due_on=step.due_on,
                        **shown,
                    )
                )
    return items


def _item(kind: str, shown: list, today: dt.date, **rest) -> NeedsYouItem:
    """An item from a row's `SHOWN` values (the case's id, name and reference, and the id and
    name of the practitioner to show) and the rest of what the item says."""
    case_id, family_name, reference, practitioner_id, practitioner_name = shown
    return NeedsYouItem(
        kind=kind,
        case_id=case_id,
        family_name=family_name,
        reference=reference,
        practitioner_id=practitioner_id,
        practitioner_name=practitioner_name,
        today=today,
        **rest,
    )


@compiled_read
def _escalated(*, manager: int):
    # As `flowchart.selectors.decisions_awaited` reads them, as values.
    return (
        cases_managed_by_id(manager)
        .filter(status=CaseStatus.ESCALATED)
        .order_by("updated_at", "id")
        .values_list(
            "pk",
            "family_name",
            "reference",
            "lead_practitioner_id",
            "lead_practitioner__full_name",
            "updated_at",
        )
    )


def _escalated_items(user: User, today: dt.date) -> list[NeedsYouItem]:
    rows = _escalated(manager=user.pk)
    zone = timezone.get_current_timezone()
    return [
        _item(
            DECISION,
            shown,
            today,
            what_words=N_("Escalated to the MASH: record the decision"),
            action_words=N_("Record the decision"),
            route="flowchart:decision_record",
            route_kwargs=(("case_pk", shown[0]),),
            since=_local(updated_at, zone),
        )
        for *shown, updated_at in rows
    ]


@compiled_read
def _submitted_assessments(*, manager: int):
    return (
        Assessment.objects.filter(managed_by_id(manager), status=AssessmentStatus.SUBMITTED)
        .order_by("submitted_at", "pk")
        .values_list(
            "pk",
            *SHOWN[:3],
            "lead_practitioner_id",
            "lead_practitioner__full_name",
            "version",
            "submitted_at",
        )
    )


def _assessments_to_sign(user: User, today: dt.date) -> list[NeedsYouItem]:
    rows = _submitted_assessments(manager=user.pk)
    zone = timezone.get_current_timezone()
    return [
        _item(
            SIGN,
            shown,
            today,
            what_words=N_("Assessment to sign (version %(version)s)"),
            what_values=(("version", version),),
            action_words=N_("Sign the assessment"),
            route="riskassessment:assessment_sign",
            route_kwargs=(("case_pk", shown[0]), ("pk", pk)),
            since=_local(submitted_at, zone, today),
        )
        for pk, *shown, version, submitted_at in rows
    ]


@compiled_read
def _letters_held(*, manager: int):
    # As `engagement.documents.selectors.letters_awaiting_approval` reads them, as values: the
    # letters alone (their households' plans are read on the letter's own page).
    return (
        Letter.objects.filter(managed_by_id(manager), status=LetterStatus.HELD)
        .order_by("held_at", "id")
        .values_list("pk", *SHOWN, "recipient__full_name", "held_at")
    )


def _held_letters(user: User, today: dt.date) -> list[NeedsYouItem]:
    rows = _letters_held(manager=user.pk)
    zone = timezone.get_current_timezone()
    return [
        _item(
            LETTER,
            shown,
            today,
            what_words=N_("Letter held for your approval: to %(recipient)s"),
            what_values=(("recipient", recipient),),
            action_words=N_("Approve or refuse the letter"),
            route="engagement:letter_decide",
            route_kwargs=(("case_pk", shown[0]), ("pk", pk)),
            since=_local(held_at, zone, today),
        )
        for pk, *shown, recipient, held_at in rows
    ]


@compiled_read
def _incidents_unreviewed(*, manager: int):
    # As `engagement.safety.selectors.incidents_to_review` reads them, as values.
    reviewed = HostileIncidentReview.objects.filter(incident=OuterRef("pk"))
    return (
        HostileIncident.objects.filter(managed_by_id(manager), ~Exists(reviewed))
        .order_by("occurred_at", "pk")
        .values_list("pk", *SHOWN, "recorded_by__full_name", "recorded_by__email", "occurred_at")
    )


def _hostile_incidents(user: User, today: dt.date) -> list[NeedsYouItem]:
    rows = _incidents_unreviewed(manager=user.pk)
    zone = timezone.get_current_timezone()
    return [
        _item(
            HOSTILE,
            shown,
            today,
            # As the user's name shows (`User.__str__`).
            what_words=N_("Hostile incident to review, recorded by %(name)s"),
            what_values=(("name", by_name or by_email),),
            action_words=N_("Review the incident"),
            route="engagement:hostile_incident_review",
            route_kwargs=(("case_pk", shown[0]), ("pk", pk)),
            since=_local(occurred_at, zone),
        )
        for pk, *shown, by_name, by_email, occurred_at in rows
    ]


@compiled_read
def _closures_undecided(*, manager: int):
    # As `flowchart.selectors.closure_requests_awaiting` reads them, as values.
    return (
        ClosureRequest.objects.filter(managed_by_id(manager), decided_at__isnull=True)
        .order_by("requested_at", "id")
        .values_list("pk", *SHOWN[:3], "requested_by_id", "requested_by__full_name", "requested_at")
    )


def _closure_requests(user: User, today: dt.date) -> list[NeedsYouItem]:
    rows = _closures_undecided(manager=user.pk)
    zone = timezone.get_current_timezone()
    return [
        _item(
            CLOSURE,
            shown,
            today,
            what_words=N_("Request to close the case"),
            action_words=N_("Decide the request"),
            route="flowchart:closure_decide",
            route_kwargs=(("case_pk", shown[0]), ("pk", pk)),
            since=_local(requested_at, zone),
        )
        for pk, *shown, requested_at in rows
    ]


@compiled_read
def _shares_overdue(*, manager: int, today: dt.date):
    # Through the share's own team (the case's, kept on it): the database reads the manager's
    # teams' outstanding shares from an index, not every team's overdue ones.
    return (
        Share.objects.filter(
            team__manager_id=manager,
            acknowledged_at__isnull=True,
            due_on__lt=today,
            membership__ended_at__isnull=True,
        )
        .order_by("due_on", "pk")
        .values_list("assessment_id", *_shown("assessment"), "member__full_name", "member__email", "due_on")
    )


def _shares_unacknowledged(user: User, today: dt.date) -> list[NeedsYouItem]:
    """Shared assessments a member still on the case has not acknowledged by the deadline."""
    rows = _shares_overdue(manager=user.pk, today=today)
    return [
        _item(
            SHARE,
            shown,
            today,
            what_words=N_("Shared assessment not acknowledged by %(name)s"),
            what_values=(("name", member_name or member_email),),
            action_words=N_("See the assessment"),
            route="riskassessment:assessment_detail",
            route_kwargs=(("case_pk", shown[0]), ("pk", assessment_id)),
            since=due_on,
            due_on=due_on,
        )
        for assessment_id, *shown, member_name, member_email, due_on in rows
    ]


@compiled_read
def _escalations_unread(*, manager: int):
    return (
        Notification.objects.filter(
            managed_by_id(manager),
            recipient_id=manager,
            is_escalation=True,
            read_at__isnull=True,
            # An escalation whose step the records have since met is done: nothing waits.
            done_at__isnull=True,
        )
        .order_by("created_at", "pk")
        .values_list("pk", *SHOWN, "subject", "created_at")
    )


def _escalation_notifications(user: User, today: dt.date) -> list[NeedsYouItem]:
    """Unread notifications escalated to the manager, about their teams' cases."""
    rows = _escalations_unread(manager=user.pk)
    zone = timezone.get_current_timezone()
    return [
        _item(
            ESCALATION,
            shown,
            today,
            # The notification's own subject, already in words: no message of the catalogue's.
            what_words=subject,
            action_words=N_("Open the notification"),
            route="flowchart:notification_read",
            route_kwargs=(("pk", pk),),
            since=_local(created_at, zone),
            notification_id=pk,
        )
        for pk, *shown, subject, created_at in rows
    ]


@compiled_read
def _co_workers_requested(*, manager: int):
    # As `cases.selectors.co_worker_requests_for` reads them, as values.
    return (
        CaseMembership.objects.filter(
            status=MembershipStatus.REQUESTED,
            ended_at__isnull=True,
            case__team__manager_id=manager,
            case__status__in=OPEN_STATUSES,
        )
        .order_by("added_at", "pk")
        .values_list(
            *SHOWN[:3],
            "added_by_id",
            "added_by__full_name",
            "user__full_name",
            "user__email",
            "user__team__name",
            "added_at",
        )
    )


def _co_worker_requests(user: User, today: dt.date) -> list[NeedsYouItem]:
    rows = _co_workers_requested(manager=user.pk)
    zone = timezone.get_current_timezone()
    return [
        _item(
            CO_WORKER,
            shown,
            today,
            what_words=N_("Co-worker from another team to approve: %(name)s (%(team)s)")
            if team
            else N_("Co-worker from another team to approve: %(name)s"),
            what_values=(("name", name or email), ("team", team)),
            action_words=N_("Approve or refuse on the case page"),
            route="cases:case_detail",
            route_kwargs=(("case_pk", shown[0]),),
            since=_local(added_at, zone),
        )
        for *shown, name, email, team, added_at in rows
    ]


READS = (
    _flowchart_items,
    _escalated_items,
    _assessments_to_sign,
    _held_letters,
    _hostile_incidents,
    _closure_requests,
    _shares_unacknowledged,
    _escalation_notifications,
    _co_worker_requests,
)


def needs_you(user: User, today: dt.date | None = None) -> list[NeedsYouItem]:
    """Everything waiting for this manager across their teams, most urgent first.

    One read per kind (two for the flow chart, plus the versions' steps and the closure days),
    whatever the number of items.
    """
    today = today or timezone.localdate()
    if not is_line_manager(user):  # the reads below name the manager by id alone
        return []
    items = [item for read in READS for item in read(user, today)]
    items.sort(key=NeedsYouItem.urgency)
    return items


def with_links(items: Iterable[NeedsYouItem]) -> list[tuple[NeedsYouItem, str]]:
    """The items of a page, each with its link (`NeedsYouItem.url`), one `reverse` a route."""
    makers: dict[tuple[str, ...], Callable[..., str]] = {}
    shown = []
    for item in items:
        names = tuple(name for name, _ in item.route_kwargs)
        maker = makers.get((item.route, *names))
        if maker is None:
            maker = makers[(item.route, *names)] = links(item.route, *names)
        shown.append((item, maker(*(value for _, value in item.route_kwargs))))
    return shown
