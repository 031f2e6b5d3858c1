"""What engagement shows on the kernel's case list and case page (added in EngagementConfig.ready()).

The kernel's pages cannot import the chronology or the staff-safety records; these annotations
carry them into the pages' own queries, so each page stays at one query however many rows.
"""

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce

from cases.models import Case

from .models import AttemptOutcome, ContactAttempt, HostileIncident
from .practice.selectors import scale_ratings
from .supporting_families.models import FamilyNeed

# How many quick safety scale ratings the case page shows; the safety page shows every one.
CASE_PAGE_RATINGS = 3


def lone_working_incident_at():
    """The time of the latest hostile incident under the case's live lone-working warning (None
    when it has none): the "Visit in pairs" warning, as an annotation of a case query."""
    latest = HostileIncident.objects.filter(
        lone_working_warnings__case=OuterRef("pk"), lone_working_warnings__lifted_at__isnull=True
    ).order_by("-occurred_at", "-pk")
    return Subquery(latest.values("occurred_at")[:1])


def _latest_attempt():
    return ContactAttempt.objects.filter(case=OuterRef("pk")).order_by("-occurred_at", "-id")


def last_attempt_at():
    """When the case's latest contact attempt was made, as an annotation of a case query."""
    return Subquery(_latest_attempt().values("occurred_at")[:1])


def last_attempt_outcome():
    """The outcome of the case's latest contact attempt (a code of AttemptOutcome), as an annotation."""
    return Subquery(_latest_attempt().values("outcome")[:1])


def last_attempt_outcome_label(cases: list[Case]) -> None:
    """Give each case on the list the label of its latest attempt's outcome (empty without one)."""
    outcomes = dict(AttemptOutcome.choices)
    for case in cases:
        case.last_attempt_outcome_label = outcomes.get(case.last_attempt_outcome, "")


def supporting_families_need_count():
    """How many Supporting Families needs the family has (withdrawn ones aside), as an annotation."""
    needs = (
        FamilyNeed.objects.filter(case=OuterRef("pk"), withdrawn_at__isnull=True)
        .order_by()
        .values("case")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(needs, output_field=IntegerField()), 0)


def case_page_context(case: Case) -> dict:
    """The case page's "Safety scale" section: the latest quick ratings (one query), and its
    "Supporting Families" section (read with the case, no query of its own)."""
    return {
        "supporting_families_section_template": "engagement/_case_supporting_families_section.html",
        "safety_section_template": "practice/_case_safety_section.html",
        "safety_ratings": scale_ratings(case, limit=CASE_PAGE_RATINGS),
    }
