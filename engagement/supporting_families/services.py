"""Supporting Families: recording a family's needs, their outcomes at closure, whether each was
sustained six months on, and the reminder that asks for it (docs/supporting-families.md).

The guidance's rules these services keep: needs are identified at the start of the work, against
the ten headline outcomes; the outcome of each is recorded at closure; "success determined six
months after case closure", so whether it was sustained can be recorded from that day, and the
lead practitioner is reminded on it, once.
"""

import datetime as dt
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.history import create_with_history, save_with_history
from cases.models import Case, User
from cases.notifications import NotificationKind, notification_send
from engagement import notify

from .models import ClosureOutcome, FamilyNeed, HeadlineOutcome, Sustained

# How long after closure "sustained" is judged: "sustained for at least six months after closure".
SUSTAINED_AFTER = relativedelta(months=6)
# A reminder missed while the scheduler was down is still sent if it is at most this late.
CATCH_UP_DAYS = 31


class SupportingFamiliesError(Exception):
    """A record that cannot be made as given, with a message the person can act on."""


def sustained_due_on(closed_on: dt.date) -> dt.date:
    """The day six months after closure, from which whether the outcomes held is recorded."""
    return closed_on + SUSTAINED_AFTER


def _needs(case: Case):
    return FamilyNeed.objects.select_for_update().filter(case=case)


@transaction.atomic
def family_needs_record(*, case: Case, by: User, headlines: list[str]) -> list[FamilyNeed]:
    """The family's needs, as ticked at the start: new ones added, unticked ones withdrawn (kept).

    Returns the family's live needs."""
    if not case.is_open:
        raise SupportingFamiliesError(
            _("This case is closed: the family's needs are identified while the work is open")
        )
    chosen = set(headlines)
    if not chosen:
        raise SupportingFamiliesError(_("Select the family's needs"))
    if chosen - set(HeadlineOutcome.values):
        raise SupportingFamiliesError(_("Select needs from the list"))
    now = timezone.now()
    existing = {need.headline: need for need in _needs(case)}
    for headline, need in existing.items():
        if headline in chosen and not need.is_live:
            need.withdrawn_at = need.withdrawn_by = None
            save_with_history(need, by=by)
        elif headline not in chosen and need.is_live:
            if need.outcome:
                raise SupportingFamiliesError(
                    _("The outcome of “%(headline)s” is recorded: it cannot be withdrawn")
                    % {"headline": need.headline_label}
                )
            need.withdrawn_at, need.withdrawn_by = now, by
            save_with_history(need, by=by)
    for headline in sorted(chosen - set(existing)):
        create_with_history(
            FamilyNeed, by=by, case=case, headline=headline, identified_by=by, identified_at=now
        )
    return list(FamilyNeed.objects.filter(case=case, withdrawn_at__isnull=True))


@dataclass(frozen=True)
class Answer:
    """One need's answer on a page that records them all: which need, what, and the evidence."""

    need_id: int
    value: str
    evidence: str


def _live_needs(case: Case, answers: list[Answer]) -> dict[int, FamilyNeed]:
    needs = {need.pk: need for need in _needs(case).filter(withdrawn_at__isnull=True)}
    if not needs:
        raise SupportingFamiliesError(_("No needs were identified for this family"))
    if {a.need_id for a in answers} != set(needs):
        raise SupportingFamiliesError(_("Record an answer for each of the family's needs"))
    return needs


@transaction.atomic
def need_outcomes_record(*, case: Case, by: User, answers: list[Answer]) -> list[FamilyNeed]:
    """The outcome at closure of each of the family's needs, with its evidence."""
    if case.is_open or case.closed_on is None:
        raise SupportingFamiliesError(_("The outcomes are recorded once the case is closed"))
    needs = _live_needs(case, answers)
    now = timezone.now()
    for answer in answers:
        need = needs[answer.need_id]
        if answer.value not in ClosureOutcome.values:
            raise SupportingFamiliesError(
                _("Select the outcome for “%(headline)s”") % {"headline": need.headline_label}
            )
        evidence = answer.evidence.strip()
        if not evidence:
            raise SupportingFamiliesError(
                _("Enter the evidence of the outcome for “%(headline)s”") % {"headline": need.headline_label}
            )
        if need.sustained:
            if (need.outcome, need.outcome_evidence) != (answer.value, evidence):
                raise SupportingFamiliesError(
                    _(
                        "Whether “%(headline)s” was sustained is recorded: its outcome at closure can no "
                        "longer change"
                    )
                    % {"headline": need.headline_label}
                )
            continue
        if (need.outcome, need.outcome_evidence) == (answer.value, evidence):
            continue
        need.outcome, need.outcome_evidence = answer.value, evidence
        need.outcome_recorded_by, need.outcome_recorded_at = by, now
        save_with_history(need, by=by)
    return sorted(needs.values(), key=lambda n: n.headline)


@transaction.atomic
def need_sustained_record(
    *, case: Case, by: User, answers: list[Answer], today: dt.date | None = None
) -> list[FamilyNeed]:
    """Six months after closure: whether each outcome achieved or partly achieved was sustained."""
    today = today or timezone.localdate()
    if case.is_open or case.closed_on is None:
        raise SupportingFamiliesError(_("Whether outcomes were sustained is recorded after the case closes"))
    due_on = sustained_due_on(case.closed_on)
    if today < due_on:
        raise SupportingFamiliesError(
            _(
                "Whether the outcomes were sustained can be recorded from %(due_on)s, six months after the "
                "case closed"
            )
            % {"due_on": f"{due_on:%-d %B %Y}"}
        )
    needs = {
        need.pk: need for need in _needs(case).filter(withdrawn_at__isnull=True) if need.asks_if_sustained
    }
    if not needs:
        raise SupportingFamiliesError(
            _(
                "Record the outcomes at closure first: only an outcome achieved or partly achieved can be sustained"
            )
        )
    if {a.need_id for a in answers} != set(needs):
        raise SupportingFamiliesError(
            _("Record an answer for each need whose outcome was achieved or partly achieved")
        )
    now = timezone.now()
    for answer in answers:
        need = needs[answer.need_id]
        if answer.value not in Sustained.values:
            raise SupportingFamiliesError(
                _("Select whether “%(headline)s” was sustained") % {"headline": need.headline_label}
            )
        evidence = answer.evidence.strip()
        if not evidence:
            raise SupportingFamiliesError(
                _("Enter the evidence of whether “%(headline)s” was sustained")
                % {"headline": need.headline_label}
            )
        if (need.sustained, need.sustained_evidence) == (answer.value, evidence):
            continue
        need.sustained, need.sustained_evidence = answer.value, evidence
        need.sustained_recorded_by, need.sustained_recorded_at = by, now
        save_with_history(need, by=by)
    return sorted(needs.values(), key=lambda n: n.headline)


def _page_url(case: Case) -> str:
    return reverse("engagement:supporting_families", kwargs={"case_pk": case.pk})


def cases_due_a_sustained_reminder(today: dt.date) -> list[Case]:
    """Closed cases six months (up to CATCH_UP_DAYS more) after closure with an outcome at closure
    still to be judged sustained."""
    latest_closure = today - SUSTAINED_AFTER + dt.timedelta(days=3)  # month ends: checked exactly below
    earliest_closure = today - SUSTAINED_AFTER - dt.timedelta(days=CATCH_UP_DAYS)
    needs = FamilyNeed.objects.filter(
        withdrawn_at__isnull=True,
        outcome__in=[ClosureOutcome.ACHIEVED, ClosureOutcome.PARTLY],
        sustained="",
        case__closed_on__gte=earliest_closure,
        case__closed_on__lte=latest_closure,
    )
    cases = (
        Case.objects.filter(pk__in=needs.values("case_id"))
        .select_related("lead_practitioner", "team__manager")
        .order_by("closed_on", "pk")
    )
    return [case for case in cases if case.closed_on and sustained_due_on(case.closed_on) <= today]


def sustained_reminders_send(*, today: dt.date | None = None) -> int:
    """Remind the lead practitioner (their manager, if they have left) on the day six months after
    closure to record whether the outcomes were sustained. Once per case and closure: its
    notification key makes a second run send nothing."""
    today = today or timezone.localdate()
    sent = 0
    for case in cases_due_a_sustained_reminder(today):
        lead = case.lead_practitioner
        recipient = lead if lead.is_active else case.team.manager
        if recipient is None:
            continue
        due_on = sustained_due_on(case.closed_on)
        message = notify.sustained_outcome_due(case=case, closed_on=case.closed_on, due_on=due_on)
        with transaction.atomic():
            notification = notification_send(
                recipient=recipient,
                key=f"supporting-families-sustained:{case.pk}:{case.closed_on:%Y-%m-%d}",
                subject=message.subject,
                body=message.body,
                kind=NotificationKind.SUSTAINED_OUTCOME_DUE,
                case=case,
                url=_page_url(case),
            )
        sent += notification is not None
    return sent
