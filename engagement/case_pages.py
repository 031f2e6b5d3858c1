"""What engagement shows on the kernel's case list and case page (added in EngagementConfig.ready()).

The kernel's pages cannot import the chronology or the staff-safety records; these annotations
carry them into the case list's own query, so it stays at one query however many rows, and the
case page's context gives them for its one case.
"""

from django.db.models import Count, OuterRef, Subquery

from cases.compiled import compiled_read
from cases.models import Case

from .models import AttemptOutcome, ContactAttempt, HostileIncident
from .practice.selectors import latest_scale_ratings
from .supporting_families.models import FamilyNeed


def _warning_incidents(case):
    """The hostile incidents under the case's live lone-working warnings, latest first (`case`:
    its id, or OuterRef("pk") in a case query)."""
    return HostileIncident.objects.filter(
        lone_working_warnings__case=case, lone_working_warnings__lifted_at__isnull=True
    ).order_by("-occurred_at", "-pk")


def lone_working_incident_at():
    """The time of the latest hostile incident under the case's live lone-working warning (None
    when it has none): the "Visit in pairs" warning, as an annotation of a case query."""
    return Subquery(_warning_incidents(OuterRef("pk")).values("occurred_at")[:1])


# The case page's two reads of this app's records, compiled once a process (cases/compiled.py):
# as annotations of the page's case query, compiling their subqueries cost about 2 ms a page.
@compiled_read
def _latest_warning_incident(*, case: int):
    return _warning_incidents(case).values_list("occurred_at")[:1]


@compiled_read
def _need_count(*, case: int):
    return _needs(case).values_list("n")


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


def _needs(case):
    """How many Supporting Families needs the family has, withdrawn ones aside (`case`: its id, or
    OuterRef("pk")), as one row with `n`, or none."""
    return (
        FamilyNeed.objects.filter(case=case, withdrawn_at__isnull=True)
        .order_by()
        .values("case")
        .annotate(n=Count("pk"))
    )


def case_page_context(case: Case) -> dict:
    """The case page's "Visit in pairs" warning (one query), its "Safety scale" section: the latest
    quick ratings (one query), and its "Supporting Families" section (one query)."""
    latest = _latest_warning_incident(case=case.pk)
    needs = _need_count(case=case.pk)
    return {
        "lone_working_incident_at": latest[0][0] if latest else None,
        "supporting_families_section_template": "engagement/_case_supporting_families_section.html",
        "supporting_families_need_count": needs[0][0] if needs else 0,
        "safety_section_template": "practice/_case_safety_section.html",
        "safety_ratings": latest_scale_ratings(case),
    }
