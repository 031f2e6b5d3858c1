"""Every write about staff safety: hostile incidents, their reviews, the lone-working warning.

Coventry (001): "If a violent incident occurs, make a judgement without delay and contact a
manager immediately". Camden (004, section 7): "Professionals should report any incidents of
hostility ... to their line manager" and "to the allocated social worker who may convene a risk
management meeting".

Who is told of what is in docs/safety.md. Emails carry the case reference, what was recorded and
a link: never what happened (the record is read in the service, behind its access policy).
"""

import datetime as dt
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.access import can_lift_lone_working_warning, can_review_hostile_incident
from cases.history import create_with_history, save_with_history
from cases.models import Case, Person, User
from cases.notifications import (
    Message,
    NotificationKind,
    NotificationTask,
    Task,
    notification_send,
    notifications_task_done,
)
from cases.selectors import allocated_social_workers
from engagement import notify
from engagement.models import KIND_LABELS, AttemptKind, ContactAttempt
from engagement.selectors import people_who_can_make_attempts

from .models import HostileIncident, HostileIncidentReview, LoneWorkingWarning


class HostileIncidentError(Exception):
    """A safety record that cannot be made as given, with a message the person can act on."""


VISIT_KINDS = frozenset({AttemptKind.ANNOUNCED_VISIT, AttemptKind.UNANNOUNCED_VISIT, AttemptKind.JOINT_VISIT})
# Where an attempt of each kind happened, as the incident form and the replayer pre-fill it.
PLACE_FOR_KIND = {
    AttemptKind.PHONE_CALL: gettext_lazy("On the telephone"),
    AttemptKind.TEXT_MESSAGE: gettext_lazy("By text message"),
    AttemptKind.LETTER: gettext_lazy("In reply to a letter"),
}


def place_for_attempt(attempt: ContactAttempt) -> str:
    """Where the attempt happened, in words for the incident's "where": a visit is at the home."""
    if attempt.kind in VISIT_KINDS:
        # Translators: the kind of visit in lower case, such as "unannounced home visit".
        return _("At the family's home (%(visit)s)") % {"visit": str(KIND_LABELS[attempt.kind]).lower()}
    return str(PLACE_FOR_KIND.get(attempt.kind, KIND_LABELS.get(attempt.kind, "")))


def _tell(
    recipients: Iterable[User | None],
    *,
    by: User,
    kind: NotificationKind,
    key: str,
    message: Message,
    url: str,
    case,
    task: Task | None = None,
):
    """One notification to each recipient (not the person who acted), exactly once by key."""
    told = []
    seen = set()
    for user in recipients:
        if user is None or user.pk == by.pk or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        notification_send(
            recipient=user,
            key=f"{key}:{user.pk}",
            subject=message.subject,
            body=message.body,
            kind=kind,
            case=case,
            url=url,
            task=task,
        )
        told.append(user)
    return told


def incident_url(incident: HostileIncident) -> str:
    return reverse(
        "engagement:hostile_incident_detail", kwargs={"case_pk": incident.case_id, "pk": incident.pk}
    )


def _check_when(case: Case, occurred_at: dt.datetime) -> None:
    if occurred_at is None or timezone.is_naive(occurred_at):
        raise HostileIncidentError(_("Enter the date and time of the incident"))
    if occurred_at > timezone.now():
        raise HostileIncidentError(_("The time of the incident must be now or in the past"))
    if timezone.localdate(occurred_at) < case.referral_date:
        raise HostileIncidentError(
            _("The incident must be on or after the referral date, %(referral_date)s")
            % {"referral_date": f"{case.referral_date:%-d %B %Y}"}
        )


@transaction.atomic
def hostile_incident_record(
    *,
    case: Case,
    by: User,
    occurred_at: dt.datetime,
    place: str,
    people: Iterable[Person],
    what_happened: str,
    threats: bool = False,
    violence: bool = False,
    weapon: bool = False,
    animals: bool = False,
    police_called: bool = False,
    police_reference: str = "",
    staff_affected: Iterable[User] = (),
    others_affected: str = "",
    attempt: ContactAttempt | None = None,
) -> HostileIncident:
    """Record a hostile incident; the case shows a lone-working warning and the line manager and
    every allocated social worker are told at once (in the app and by email), once each."""
    # One writer at a time per case: two incidents at once must not raise two live warnings.
    case = Case.objects.select_for_update(of=("self",)).select_related("team__manager").get(pk=case.pk)
    people = list(dict.fromkeys(people))
    staff_affected = list(dict.fromkeys(staff_affected))
    if not case.is_open:
        raise HostileIncidentError(
            _("This case was closed on %(closed_on)s: incidents can no longer be recorded on it")
            % {"closed_on": f"{case.closed_on:%-d %B %Y}"}
        )
    if not people_who_can_make_attempts(case).filter(pk=by.pk).exists():
        raise HostileIncidentError(
            _("%(by)s does not work on this case: ask the lead practitioner to record it") % {"by": by}
        )
    _check_when(case, occurred_at)
    if not place.strip():
        raise HostileIncidentError(
            _("Enter where it happened, for example 'On the doorstep of the family home'")
        )
    if not people:
        raise HostileIncidentError(_("Select who from the family was involved"))
    for person in people:
        if person.case_id != case.pk:
            raise HostileIncidentError(
                _("%(person)s is not part of this family: choose someone on the case") % {"person": person}
            )
    if not what_happened.strip():
        raise HostileIncidentError(_("Describe what happened"))
    if police_reference.strip() and not police_called:
        raise HostileIncidentError(
            _(
                "There is a police reference, but the police were not called: tick 'The police were called' "
                "or remove the reference"
            )
        )
    workers = set(people_who_can_make_attempts(case).values_list("pk", flat=True))
    workers |= {u.pk for u in allocated_social_workers(case)}
    for user in staff_affected:
        if user.pk not in workers:
            raise HostileIncidentError(
                _("%(user)s does not work on this case: name them under 'Anyone else affected'")
                % {"user": user}
            )
    if attempt is not None:
        if attempt.case_id != case.pk:
            raise HostileIncidentError(_("That attempt is not on this case"))
        if HostileIncident.objects.filter(attempt=attempt).exists():
            raise HostileIncidentError(
                _("An incident is already recorded for that attempt: open it from the chronology")
            )
    incident = create_with_history(
        HostileIncident,
        by=by,
        case=case,
        occurred_at=occurred_at,
        place=place.strip(),
        what_happened=what_happened.strip(),
        threats=threats,
        violence=violence,
        weapon=weapon,
        animals=animals,
        police_called=police_called,
        police_reference=police_reference.strip() if police_called else "",
        others_affected=others_affected.strip(),
        attempt=attempt,
        recorded_by=by,
        recorded_at=timezone.now(),
    )
    incident.people.set(people)
    incident.staff_affected.set(staff_affected)
    warning = LoneWorkingWarning.objects.filter(case=case, lifted_at__isnull=True).first()
    if warning is None:
        try:
            with transaction.atomic():
                warning = create_with_history(
                    LoneWorkingWarning, by=by, case=case, incident=incident, raised_on=timezone.localdate()
                )
        except IntegrityError:
            # Two incidents recorded at once both found no live warning; the database kept the
            # other's. This incident joins it, as a later one would.
            warning = LoneWorkingWarning.objects.get(case=case, lifted_at__isnull=True)
    warning.incidents.add(incident)
    on = timezone.localtime(occurred_at)
    _tell(
        [case.team.manager, *allocated_social_workers(case)],
        by=by,
        kind=NotificationKind.HOSTILE_INCIDENT,
        key=f"hostile_incident:{incident.pk}",
        message=notify.hostile_incident_recorded(case=case, by=by, on=on),
        url=incident_url(incident),
        case=case,
        # The manager or any allocated social worker may review it: one review does for all.
        task=Task(NotificationTask.REVIEW_HOSTILE_INCIDENT, incident.pk),
    )
    return incident


@transaction.atomic
def hostile_incident_review_record(
    *,
    incident: HostileIncident,
    by: User,
    meeting_held: bool,
    safety_plan: str,
    meeting_on: dt.date | None = None,
    warning_stays: bool | None = None,
) -> HostileIncidentReview:
    """The line manager or an allocated social worker reviews the incident: whether a risk
    management meeting was held and when, the safety plan, and whether the warning should stay.

    The lead practitioner, the line manager and the allocated social workers are told (not the
    reviewer). Whether the warning stays is the reviewer's view: only the line manager lifts it.
    """
    incident = HostileIncident.objects.select_related("case__team__manager", "case__lead_practitioner").get(
        pk=incident.pk
    )
    case = incident.case
    if not can_review_hostile_incident(by, case):
        raise HostileIncidentError(
            _("Only the case's line manager or its allocated social worker can review a hostile incident")
        )
    if meeting_held not in (True, False):
        raise HostileIncidentError(_("Select whether a risk management meeting was held"))
    if meeting_held:
        if meeting_on is None:
            raise HostileIncidentError(_("Enter the date of the risk management meeting"))
        if meeting_on > timezone.localdate():
            raise HostileIncidentError(_("The date of the meeting must be today or in the past"))
        if meeting_on < timezone.localdate(incident.occurred_at):
            raise HostileIncidentError(
                _("The meeting must be on or after the incident, %(incident_on)s")
                % {"incident_on": f"{timezone.localdate(incident.occurred_at):%-d %B %Y}"}
            )
    else:
        meeting_on = None
    if not safety_plan.strip():
        raise HostileIncidentError(
            _("Enter the safety plan: how people will stay safe while the work goes on")
        )
    live = LoneWorkingWarning.objects.filter(case=case, lifted_at__isnull=True, incidents=incident).exists()
    if live and warning_stays not in (True, False):
        raise HostileIncidentError(_("Select whether the lone-working warning should stay on the case"))
    review = create_with_history(
        HostileIncidentReview,
        by=by,
        incident=incident,
        reviewed_by=by,
        reviewed_at=timezone.now(),
        meeting_held=meeting_held,
        meeting_on=meeting_on,
        safety_plan=safety_plan.strip(),
        warning_stays=warning_stays if live else None,
    )
    notifications_task_done(
        task=Task(NotificationTask.REVIEW_HOSTILE_INCIDENT, incident.pk), when=review.reviewed_at
    )
    on = timezone.localtime(incident.occurred_at)
    _tell(
        [case.lead_practitioner, case.team.manager, *allocated_social_workers(case)],
        by=by,
        kind=NotificationKind.HOSTILE_REVIEW,
        key=f"hostile_review:{review.pk}",
        message=notify.hostile_incident_reviewed(
            case=case, by=by, on=on, lift_suggested=live and warning_stays is False
        ),
        url=incident_url(incident),
        case=case,
    )
    return review


@transaction.atomic
def lone_working_warning_lift(*, warning: LoneWorkingWarning, by: User, reason: str) -> LoneWorkingWarning:
    """The line manager lifts the case's lone-working warning, saying why. Nobody else can.

    The lead practitioner and the allocated social workers are told.
    """
    warning = (
        LoneWorkingWarning.objects.select_for_update(of=("self",))
        .select_related("case__team__manager", "case__lead_practitioner", "incident")
        .get(pk=warning.pk)
    )
    case = warning.case
    if warning.lifted_at is not None:
        raise HostileIncidentError(
            _("This warning was already lifted on %(lifted_on)s")
            % {"lifted_on": f"{timezone.localtime(warning.lifted_at):%-d %B %Y}"}
        )
    if not can_lift_lone_working_warning(by, case):
        raise HostileIncidentError(_("Only the case's line manager can lift the lone-working warning"))
    if not reason.strip():
        raise HostileIncidentError(_("Enter why the warning can be lifted"))
    warning.lifted_at = timezone.now()
    warning.lifted_by = by
    warning.lift_reason = reason.strip()
    save_with_history(warning, by=by)
    _tell(
        [case.lead_practitioner, *allocated_social_workers(case)],
        by=by,
        kind=NotificationKind.WARNING_LIFTED,
        key=f"warning_lifted:{warning.pk}",
        message=notify.lone_working_warning_lifted(case=case, by=by),
        url=incident_url(warning.incident),
        case=case,
    )
    return warning
