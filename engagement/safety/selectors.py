"""Every read about staff safety. Callers have already checked the case through cases.access."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Exists, Max, OuterRef, Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from cases.access import cases_managed_by
from cases.models import Case, Person, User

from .models import HostileIncident, HostileIncidentReview, LoneWorkingWarning


@dataclass(frozen=True)
class WarningShown:
    """What the "Visit in pairs" warning says: since when, and the latest incident's date."""

    pk: int
    case_id: int
    raised_on: dt.date
    incident_at: dt.datetime

    @property
    def incident_on(self) -> dt.date:
        return timezone.localdate(self.incident_at)


def live_warnings(case_ids: Iterable[int]) -> dict[int, WarningShown]:
    """Each case's live lone-working warning, keyed by case id, in one query however many cases."""
    rows = (
        LoneWorkingWarning.objects.filter(case_id__in=list(case_ids), lifted_at__isnull=True)
        .annotate(latest=Max("incidents__occurred_at"))
        .values_list("pk", "case_id", "raised_on", "latest")
    )
    return {
        case_id: WarningShown(pk=pk, case_id=case_id, raised_on=raised_on, incident_at=latest)
        for pk, case_id, raised_on, latest in rows
        if latest is not None
    }


def live_warning(case: Case) -> WarningShown | None:
    return live_warnings([case.pk]).get(case.pk)


def incident_on_case(case: Case, pk) -> HostileIncident:
    """One incident of this case with everything its page shows, or 404."""
    reviews = HostileIncidentReview.objects.select_related("reviewed_by").order_by("reviewed_at", "pk")
    warnings = LoneWorkingWarning.objects.select_related("lifted_by").order_by("raised_on", "pk")
    try:
        return (
            HostileIncident.objects.select_related("case", "recorded_by", "attempt")
            .prefetch_related(
                Prefetch("people", queryset=Person.objects.order_by("kind", "full_name")),
                Prefetch("staff_affected", queryset=User.objects.order_by("full_name")),
                Prefetch("reviews", queryset=reviews),
                Prefetch("lone_working_warnings", queryset=warnings, to_attr="warnings"),
            )
            .get(case=case, pk=pk)
        )
    except (HostileIncident.DoesNotExist, ValueError, TypeError):
        raise Http404("No such incident") from None


def warning_on_case(case: Case, pk) -> LoneWorkingWarning:
    """One lone-working warning of this case, or 404."""
    try:
        return LoneWorkingWarning.objects.select_related("incident", "lifted_by").get(case=case, pk=pk)
    except (LoneWorkingWarning.DoesNotExist, ValueError, TypeError):
        raise Http404("No such warning") from None


def incident_for_attempt(attempt) -> HostileIncident | None:
    return HostileIncident.objects.filter(attempt=attempt).first()


def incidents_to_review(user: User) -> QuerySet[HostileIncident]:
    """Hostile incidents on the manager's teams' cases that nobody has reviewed yet, oldest first.

    One query, whatever the number of families: for the manager's oversight queue.
    """
    reviewed = HostileIncidentReview.objects.filter(incident=OuterRef("pk"))
    return (
        HostileIncident.objects.filter(case__in=cases_managed_by(user))
        .filter(~Exists(reviewed))
        .select_related("case__lead_practitioner", "recorded_by")
        .order_by("occurred_at", "pk")
    )


@dataclass(frozen=True)
class SafetyEntry:
    """One line of the chronology's safety section: an incident, a review, or a lifted warning."""

    at: dt.datetime
    kind: str  # "incident", "review" or "lifted"
    incident: HostileIncident
    review: HostileIncidentReview | None = None
    warning: LoneWorkingWarning | None = None


def safety_chronology(case: Case) -> list[SafetyEntry]:
    """The case's hostile incidents, their reviews and the warnings lifted, newest first.

    One query when the case has no incident; four (incidents, their people, their reviews, the
    warnings lifted) however many it has.
    """
    reviews = HostileIncidentReview.objects.select_related("reviewed_by").order_by("reviewed_at", "pk")
    incidents = list(
        HostileIncident.objects.filter(case=case)
        .select_related("recorded_by")
        .prefetch_related(
            Prefetch("people", queryset=Person.objects.order_by("kind", "full_name")),
            Prefetch("reviews", queryset=reviews),
        )
    )
    if not incidents:
        return []
    by_id = {incident.pk: incident for incident in incidents}
    entries = []
    for incident in incidents:
        entries.append(SafetyEntry(at=incident.occurred_at, kind="incident", incident=incident))
        entries += [
            SafetyEntry(at=review.reviewed_at, kind="review", incident=incident, review=review)
            for review in incident.reviews.all()
        ]
    lifted = LoneWorkingWarning.objects.filter(case=case, lifted_at__isnull=False).select_related("lifted_by")
    for warning in lifted:
        incident = by_id.get(warning.incident_id)
        if incident is not None:
            entries.append(
                SafetyEntry(at=warning.lifted_at, kind="lifted", incident=incident, warning=warning)
            )
    order = {"incident": 0, "review": 1, "lifted": 2}
    entries.sort(key=lambda e: (e.at, order[e.kind], e.incident.pk), reverse=True)
    return entries
