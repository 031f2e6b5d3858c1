"""What waits for a line manager across their teams, in one queue: the "Needs you" page.

Each kind of item is one read, scoped to the manager's cases (`cases.access.cases_managed_by`),
so the page runs the same queries for one item as for two hundred. The flow chart's oversight
and decisions come from the summaries the services keep on each episode: only the episodes
with something due on or before today are read (or those whose summary cannot say, worked out
in full as the case page does), never every live episode of the teams.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, TextField
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone

from cases.access import cases_managed_by
from cases.models import LIVE_STATUSES, Case, User
from cases.notifications.models import Notification
from cases.selectors import co_worker_requests_for
from engagement.documents.selectors import letters_awaiting_approval
from engagement.safety.selectors import incidents_to_review
from flowchart.models import Episode, ManagerInformed
from flowchart.schedule import Requirement, Status
from flowchart.selectors import (
    SUMMARY_VALUES,
    closure_requests_awaiting,
    decisions_awaited,
    episodes_summaries,
)
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


@dataclass(frozen=True)
class NeedsYouItem:
    """One thing waiting for the manager: which family, whose case, what to do and by when.

    `due_on`: the deadline the records set, if any; `since`: when it began to wait.
    `route` and `route_kwargs`: the page that does it (`url`). `notification`: for a
    notification, the one to mark read on opening it (a POST), so it leaves the queue once seen.
    """

    kind: str
    case: Case
    practitioner: User | None
    what: str
    action: str
    route: str
    route_kwargs: tuple[tuple[str, int], ...]
    since: dt.date
    due_on: dt.date | None
    today: dt.date
    notification_id: int | None = None

    @property
    def url(self) -> str:
        # Worked out when shown: a manager's queue holds hundreds of items, a page shows 25.
        return reverse(self.route, kwargs=dict(self.route_kwargs))

    @property
    def days_overdue(self) -> int:
        if self.due_on is None or self.due_on >= self.today:
            return 0
        return (self.today - self.due_on).days

    @property
    def due_today(self) -> bool:
        return self.due_on == self.today

    @property
    def days_waiting(self) -> int:
        return max((self.today - self.since).days, 0)

    def urgency(self) -> tuple:
        """Most overdue first, then due today, then the rest by deadline, then longest waiting."""
        far = dt.date.max
        return (
            -self.days_overdue,
            not self.due_today,
            self.due_on or far,
            self.since,
            KINDS.index(self.kind),
            self.case.family_name,
            self.case.pk,
        )


# What the page shows of a case and of its lead practitioner, under `case` (`select_related`): read
# alone, not the whole rows, because the queue reads every waiting item to order them.
SHOWN = ("case", "case__family_name", "case__reference", "case__lead_practitioner__full_name")


def _shown(prefix: str, *extra: str) -> tuple[str, ...]:
    """`SHOWN` under another model's path to the case (`prefix`), with the read's own columns."""
    return (*(f"{prefix}__{name}" for name in SHOWN), *extra)


def _flowchart_items(user: User, today: dt.date) -> list[NeedsYouItem]:
    """Oversight and decisions due on or before today (or oversight the practitioner asked for).

    The summary keeps the due dates of the manager's open oversight and decision steps as ISO
    dates, which compare as text; an episode whose summary is missing or from a later day is
    read too, and worked out in full by `episodes_summaries`.
    """
    today_text = today.isoformat()
    informed = ManagerInformed.objects.filter(episode=OuterRef("pk"))
    # The live cases' ids, not all the teams' cases (closed ones too, five times as many): the
    # database then looks up an episode for each live case only.
    live_cases = cases_managed_by(user).filter(status__in=LIVE_STATUSES)
    episodes = list(
        Episode.objects.filter(case__in=live_cases, case__status__in=LIVE_STATUSES, ended_on__isnull=True)
        # Compared, not shown: alias() keeps them out of the SELECT.
        .alias(
            # As text (a JSON key's own lookups would read the date as JSON on SQLite).
            oversight_due=Cast(KT("summary__oversight__0"), TextField()),
            decision_due=Cast(KT("summary__decision__0"), TextField()),
            summary_on=Cast(KT("summary__on"), TextField()),
        )
        .annotate(informed=Exists(informed))
        .filter(
            Q(oversight_due__lte=today_text)
            | Q(decision_due__lte=today_text)
            | Q(informed=True, oversight_due__isnull=False)
            | Q(summary_on__isnull=True)
            | Q(summary_on__gt=today_text)
            | ~Q(summary__has_key="decision")
        )
        .select_related("case__lead_practitioner")
        .only(*SUMMARY_VALUES, *SHOWN)
        .order_by()
    )
    summaries = episodes_summaries(episodes, today)
    items = []
    for episode in episodes:
        summary = summaries[episode.pk]
        if summary.ended_on is not None:
            continue
        case = episode.case
        for step in summary.open_steps:
            requirement = step.step.requirement
            if requirement == Requirement.OVERSIGHT_RECORDED and (
                episode.informed or step.status != Status.UPCOMING
            ):
                items.append(
                    NeedsYouItem(
                        kind=OVERSIGHT,
                        case=case,
                        practitioner=case.lead_practitioner,
                        what=f"Management oversight: {step.step.title}"
                        + (
                            " (the lead practitioner has told you of the non-engagement)"
                            if episode.informed
                            else ""
                        ),
                        action="Record oversight",
                        route="flowchart:oversight_record",
                        route_kwargs=(("case_pk", case.pk),),
                        since=min(step.due_on, today),
                        due_on=step.due_on,
                        today=today,
                    )
                )
            elif requirement == Requirement.DECISION_MADE and step.status != Status.UPCOMING:
                items.append(
                    NeedsYouItem(
                        kind=DECISION,
                        case=case,
                        practitioner=case.lead_practitioner,
                        what=f"Decision on next steps: {step.step.title}",
                        action="Record the decision",
                        route="flowchart:decision_record",
                        route_kwargs=(("case_pk", case.pk),),
                        since=step.due_on,
                        due_on=step.due_on,
                        today=today,
                    )
                )
    return items


def _escalated_items(user: User, today: dt.date) -> list[NeedsYouItem]:
    return [
        NeedsYouItem(
            kind=DECISION,
            case=case,
            practitioner=case.lead_practitioner,
            what="Escalated to the MASH: record the decision",
            action="Record the decision",
            route="flowchart:decision_record",
            route_kwargs=(("case_pk", case.pk),),
            since=timezone.localdate(case.updated_at),
            due_on=None,
            today=today,
        )
        for case in decisions_awaited(user)
    ]


def _assessments_to_sign(user: User, today: dt.date) -> list[NeedsYouItem]:
    rows = (
        Assessment.objects.filter(case__in=cases_managed_by(user), status=AssessmentStatus.SUBMITTED)
        .select_related("case", "lead_practitioner")
        .only(
            "case__family_name",
            "case__reference",
            "lead_practitioner__full_name",
            "version",
            "submitted_at",
        )
        .order_by("submitted_at", "pk")
    )
    return [
        NeedsYouItem(
            kind=SIGN,
            case=assessment.case,
            practitioner=assessment.lead_practitioner,
            what=f"Assessment to sign (version {assessment.version})",
            action="Sign the assessment",
            route="riskassessment:assessment_sign",
            route_kwargs=(
                ("case_pk", assessment.case_id),
                ("pk", assessment.pk),
            ),
            since=timezone.localdate(assessment.submitted_at) if assessment.submitted_at else today,
            due_on=None,
            today=today,
        )
        for assessment in rows
    ]


def _held_letters(user: User, today: dt.date) -> list[NeedsYouItem]:
    # The letters alone: their households' plans are read on the letter's own page.
    rows = (
        letters_awaiting_approval(user)
        .prefetch_related(None)
        .select_related(None)
        .select_related("case__lead_practitioner", "recipient")
        .only(*SHOWN, "recipient__full_name", "held_at")
    )
    return [
        NeedsYouItem(
            kind=LETTER,
            case=letter.case,
            practitioner=letter.case.lead_practitioner,
            what=f"Letter held for your approval: to {letter.recipient}",
            action="Approve or refuse the letter",
            route="engagement:letter_decide",
            route_kwargs=(
                ("case_pk", letter.case_id),
                ("pk", letter.pk),
            ),
            since=timezone.localdate(letter.held_at) if letter.held_at else today,
            due_on=None,
            today=today,
        )
        for letter in rows
    ]


def _hostile_incidents(user: User, today: dt.date) -> list[NeedsYouItem]:
    return [
        NeedsYouItem(
            kind=HOSTILE,
            case=incident.case,
            practitioner=incident.case.lead_practitioner,
            what=f"Hostile incident to review, recorded by {incident.recorded_by}",
            action="Review the incident",
            route="engagement:hostile_incident_review",
            route_kwargs=(
                ("case_pk", incident.case_id),
                ("pk", incident.pk),
            ),
            since=timezone.localdate(incident.occurred_at),
            due_on=None,
            today=today,
        )
        for incident in incidents_to_review(user).only(
            *SHOWN, "recorded_by__full_name", "recorded_by__email", "occurred_at"
        )
    ]


def _closure_requests(user: User, today: dt.date) -> list[NeedsYouItem]:
    return [
        NeedsYouItem(
            kind=CLOSURE,
            case=closure.case,
            practitioner=closure.requested_by,
            what="Request to close the case",
            action="Decide the request",
            route="flowchart:closure_decide",
            route_kwargs=(
                ("case_pk", closure.case_id),
                ("pk", closure.pk),
            ),
            since=timezone.localdate(closure.requested_at),
            due_on=None,
            today=today,
        )
        for closure in closure_requests_awaiting(user)
    ]


def _shares_unacknowledged(user: User, today: dt.date) -> list[NeedsYouItem]:
    """Shared assessments a member still on the case has not acknowledged by the deadline."""
    # "Its case is one of theirs" as a test of each overdue share (Exists), so that the database
    # starts from the outstanding shares' index rather than from every case the teams ever had.
    theirs = Exists(cases_managed_by(user).filter(pk=OuterRef("assessment__case_id")))
    rows = (
        Share.objects.filter(
            theirs,
            acknowledged_at__isnull=True,
            due_on__lt=today,
            membership__ended_at__isnull=True,
        )
        .select_related("assessment__case__lead_practitioner", "member")
        .only(*_shown("assessment"), "member__full_name", "member__email", "due_on")
        .order_by("due_on", "pk")
    )
    return [
        NeedsYouItem(
            kind=SHARE,
            case=share.assessment.case,
            practitioner=share.assessment.case.lead_practitioner,
            what=f"Shared assessment not acknowledged by {share.member}",
            action="See the assessment",
            route="riskassessment:assessment_detail",
            route_kwargs=(("case_pk", share.assessment.case_id), ("pk", share.assessment_id)),
            since=share.due_on,
            due_on=share.due_on,
            today=today,
        )
        for share in rows
    ]


def _escalation_notifications(user: User, today: dt.date) -> list[NeedsYouItem]:
    """Unread notifications escalated to the manager, about their teams' cases."""
    rows = (
        Notification.objects.filter(
            recipient=user, is_escalation=True, read_at__isnull=True, case__in=cases_managed_by(user)
        )
        .select_related("case__lead_practitioner")
        .only(*SHOWN, "subject", "created_at")
        .order_by("created_at", "pk")
    )
    return [
        NeedsYouItem(
            kind=ESCALATION,
            case=notification.case,
            practitioner=notification.case.lead_practitioner,
            what=notification.subject,
            action="Open the notification",
            route="flowchart:notification_read",
            route_kwargs=(("pk", notification.pk),),
            since=timezone.localdate(notification.created_at),
            due_on=None,
            today=today,
            notification_id=notification.pk,
        )
        for notification in rows
    ]


def _co_worker_requests(user: User, today: dt.date) -> list[NeedsYouItem]:
    return [
        NeedsYouItem(
            kind=CO_WORKER,
            case=membership.case,
            practitioner=membership.added_by,
            what=f"Co-worker from another team to approve: {membership.user}"
            + (f" ({membership.user.team})" if membership.user.team else ""),
            action="Approve or refuse on the case page",
            route="cases:case_detail",
            route_kwargs=(("case_pk", membership.case_id),),
            since=timezone.localdate(membership.added_at),
            due_on=None,
            today=today,
        )
        for membership in co_worker_requests_for(user)
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
    items = [item for read in READS for item in read(user, today)]
    items.sort(key=NeedsYouItem.urgency)
    return items
