"""Runs of the flow chart (episodes): starting one, and keeping its end, next due date and summary."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.history import save_with_history
from cases.models import (
    Case,
    CaseStatus,
    User,
)
from cases.notifications import NotificationKind, notifications_keyed_done
from cases.services import case_status_change
from engagement.models import EngagementAgreement

from .. import selectors
from ..models import (
    Episode,
)
from ..schedule import summary_record
from .common import FlowchartError
from .sweep import reminded_step


@transaction.atomic
def episode_start(
    *, case: Case, by: User, pathway_code: str | None = None, day1: dt.date | None = None
) -> Episode:
    """Start the case's run through a pathway (the default one unless a code is given).

    Day 1 is the date given: for a first run the referral date unless another is given; for a
    run started again (a family that engaged and stopped, or a new referral) today unless
    another is given. Attempts before Day 1 count for the earlier run only.
    """
    if not case.is_open:
        raise FlowchartError(_("This case is closed: reopen it before starting the flow chart"))
    if case.status == CaseStatus.ESCALATED:
        raise FlowchartError(
            _(
                "This case was escalated to the MASH: the line manager records the decision before the "
                "flow chart starts again"
            )
        )
    Case.objects.select_for_update().filter(pk=case.pk).first()
    if Episode.objects.filter(case=case, ended_on__isnull=True).exists():
        raise FlowchartError(_("The flow chart is already running for this case"))
    version = selectors.current_version(pathway_code)
    if version is None:
        raise FlowchartError(
            _("There is no published pathway called %(code)s") % {"code": repr(pathway_code)}
            if pathway_code
            else _("No pathway is set to be used for new cases: ask an admin to choose one")
        )
    today = timezone.localdate()
    earlier = Episode.objects.filter(case=case).order_by("-ended_on").first()
    day1 = day1 or (today if earlier is not None else case.referral_date)
    if day1 > today:
        raise FlowchartError(_("Day 1 must be today or in the past"))
    if day1 < case.referral_date:
        raise FlowchartError(
            _("Day 1 must be on or after the referral date, %(date)s")
            % {"date": f"{case.referral_date:%-d %B %Y}"}
        )
    if earlier is not None and day1 < earlier.ended_on:
        raise FlowchartError(
            _("Day 1 must be on or after %(date)s, when the flow chart last ended")
            % {"date": f"{earlier.ended_on:%-d %B %Y}"}
        )
    agreed = selectors.first_on_or_after(
        selectors.agreement_dates(EngagementAgreement.objects.filter(case=case)).get(case.pk, ()), day1
    )
    if earlier is not None and agreed is not None:
        # Starting again is for a family that stopped engaging: an agreement on or after its
        # Day 1 would end the new run at once.
        raise FlowchartError(
            _("A parent or carer agreed to work with us on %(date)s: Day 1 must be after that")
            % {"date": f"{agreed:%-d %B %Y}"}
        )
    calendar = selectors.calendar_in_force()
    episode = Episode(
        case=case,
        version=version,
        day1=day1,
        working_days=calendar.working_days,
        nation=calendar.nation,
        started_by=by,
        started_at=timezone.now(),
    )
    save_with_history(episode, by=by)
    return episode_refresh(episode=episode)


def episode_refresh(*, episode: Episode, by: User | None = None) -> Episode:
    """Recompute the episode's end and next due date from its records. Call after any change."""
    today = timezone.localdate()
    result = selectors.episode_progress(episode, today)
    _store_summary(episode, summary_record(result, today))
    return _apply(episode, result, by=by)


def _store_summary(episode: Episode, record: dict) -> None:
    """Keep the episode's summary for the lists; written only when what it says changes.

    A stored summary holds from its day on, so one that still names the same open steps needs
    no new date. Written without a history row: it is derived from the records, which have theirs.
    """
    old = episode.summary or {}
    unchanged = old.get("on", "9999") <= record["on"] and all(
        old.get(key) == value for key, value in record.items() if key != "on"
    )
    if not unchanged:
        Episode.objects.filter(pk=episode.pk).update(summary=record)
        episode.summary = record
        _step_reminders_done(episode, record)


def _step_reminders_done(episode: Episode, record: dict) -> None:
    """Mark done the line manager's reminders and escalations of the run's steps that are no
    longer open (the records met them, or the run ended): a reminder that asks for a step stays
    "New", and an escalation on "Needs you", only while the step is owed. Only when the summary
    changes, as it does whenever a step closes; the notifications stay, as sent."""
    still_open = set() if record["ended_on"] else {step_id for step_id, _due in record["open"]}

    def done(key: str) -> bool:
        about = reminded_step(key)
        return about is not None and about[0] == episode.pk and about[1] not in still_open

    notifications_keyed_done(
        case_id=episode.case_id, kinds=(NotificationKind.STEP_DUE, NotificationKind.STEP_OVERDUE), done=done
    )


# Live episodes given a summary per run of the sweep task, and per write.
SUMMARIES_FILL_LIMIT = 2000


SUMMARIES_FILL_BATCH = 500


def episode_summaries_fill(*, limit: int | None = SUMMARIES_FILL_LIMIT) -> int:
    """Store a summary on live episodes that have none (those started before summaries were
    kept, or put right by the sweep); returns how many. Until then the lists derive theirs."""
    today = timezone.localdate()
    missing = Episode.objects.filter(ended_on__isnull=True, summary={}).order_by("pk")
    episodes = list(missing[:limit] if limit is not None else missing)
    for start in range(0, len(episodes), SUMMARIES_FILL_BATCH):
        chunk = episodes[start : start + SUMMARIES_FILL_BATCH]
        results = selectors.episodes_progress(chunk, today)
        for episode in chunk:
            episode.summary = summary_record(results[episode.pk], today)
        Episode.objects.bulk_update(chunk, ["summary"])  # derived: no history row
    return len(episodes)


def _apply(episode: Episode, result, *, by: User | None = None) -> Episode:
    ended_on, end_reason = result.ended_on, result.end_reason
    # A correction may take away what ended it, but another run may have started since.
    if (
        episode.ended_on is not None
        and ended_on is None
        and Episode.objects.filter(case_id=episode.case_id, ended_on__isnull=True)
        .exclude(pk=episode.pk)
        .exists()
    ):
        ended_on, end_reason = episode.ended_on, episode.end_reason
    changed = (episode.ended_on, episode.end_reason, episode.next_due_on) != (
        ended_on,
        end_reason,
        result.next_due_on,
    )
    if changed:
        episode.ended_on, episode.end_reason, episode.next_due_on = ended_on, end_reason, result.next_due_on
        episode.changed_at = timezone.now()
        save_with_history(
            episode, by=by, update_fields=["ended_on", "end_reason", "next_due_on", "changed_at"]
        )
    if end_reason == "engaged" and episode.case.status == CaseStatus.OPEN:
        case_status_change(case=episode.case, to=CaseStatus.ENGAGED, by=by)
    return episode


def case_flowchart_refresh(*, case: Case, by: User | None = None) -> Episode | None:
    """Refresh the case's live episode after its records changed (an attempt, a FERA)."""
    episode = Episode.objects.filter(case=case, ended_on__isnull=True).select_related("case").first()
    return episode_refresh(episode=episode, by=by) if episode else None
