"""The Supporting Families claim list: which families may be claimed for, with their evidence.

A family is claimed when, as the programme guidance sets out (docs/supporting-families.md):

1. its case is closed;
2. at least three needs were identified, each under a different headline outcome ("A minimum of
   three family needs identified");
3. every need identified (withdrawn ones aside) was achieved at closure and recorded as sustained
   six months after closure ("all identified family needs must evidence a positive outcome that
   is sustained for at least six months after closure");
4. the family had a lead practitioner, a whole-family assessment (the Family Engagement Risk
   Assessment, signed by the manager) and a plan (the working together agreement, signed by the
   family and the lead practitioner): "all families must have been supported by a lead
   practitioner, there must have been a whole family assessment and an action plan".

The claim list is a return (insight/returns/supporting_families.py): its rows are the families
put forward for a claim (`claim_candidates`), those that meet rules 1 and 2, whose sustained
check is due, and that no recorded answer rules out (a need partly or not achieved, or not
sustained). A candidate whose evidence is still missing (an outcome or a sustained answer not yet
recorded, no signed assessment or plan) has those columns empty, and the return's schema lists
the row with what to record. `claim_list` is the families whose evidence is complete.

Each row is a plain dict keyed by CLAIM_LIST_COLUMNS, the one list of the claim's columns (the
return's schema is built from it). Two queries, however many families.
"""

import calendar
import datetime as dt
from collections import defaultdict

from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from cases.access import cases_managed_by
from cases.models import Case, Role, User
from engagement.documents.models import AgreementStatus
from engagement.models import Agreement
from engagement.supporting_families.models import (
    ClosureOutcome,
    FamilyNeed,
    HeadlineOutcome,
    Sustained,
)
from engagement.supporting_families.services import SUSTAINED_AFTER
from riskassessment.models import SIGNED_STATUSES, Assessment

# "A minimum of three family needs identified" (chapter 5).
MINIMUM_NEEDS = 3

# The claim list's columns, in order: the CSV's header and each row's keys.
CLAIM_LIST_COLUMNS = (
    "case_reference",
    "family_name",
    "team",
    "lead_practitioner",
    "needs_count",
    "needs",
    "closed_on",
    "outcomes_recorded_on",
    "sustained_recorded_on",
    "assessment_version",
    "assessment_signed_on",
    "assessment_signed_by",
    "plan",
    "plan_signed_on",
)
# What each column is, for the page and the docs.
CLAIM_LIST_LABELS = {
    "case_reference": _("Case reference"),
    "family_name": _("Family"),
    "team": _("Team"),
    "lead_practitioner": _("Lead practitioner"),
    "needs_count": _("Number of needs"),
    "needs": _("Needs (headline outcomes), each achieved at closure and sustained"),
    "closed_on": _("Case closed on"),
    "outcomes_recorded_on": _("Outcomes at closure recorded on"),
    "sustained_recorded_on": _("Sustained outcomes recorded on"),
    "assessment_version": _("Whole-family assessment (Family Engagement Risk Assessment) version"),
    "assessment_signed_on": _("Assessment signed on"),
    "assessment_signed_by": _("Assessment signed by"),
    "plan": _("Plan (working together agreement)"),
    "plan_signed_on": _("Plan signed on"),
}
DATE_FORMAT = "%Y-%m-%d"
NEEDS_SEPARATOR = "; "


def headline_words() -> dict[str, str]:
    """Each headline outcome's words as the claim list writes them: always the guidance's English,
    whatever language the page is in, because the claim's file is checked against them and sent
    on as it is."""
    with translation.override(None):
        return {value: str(label) for value, label in HeadlineOutcome.choices}


_ORDER = {value: n for n, value in enumerate(HeadlineOutcome.values)}


def claim_scope(user: User) -> QuerySet[Case]:
    """The cases whose claims this user may read: a line manager's teams', or every case for the
    performance and returns officer. Anyone else: none."""
    if user.is_authenticated and user.is_active and user.role == Role.PERFORMANCE:
        return Case.objects.all()
    return cases_managed_by(user)


def _latest_signed_assessment():
    return Assessment.objects.filter(case=OuterRef("pk"), status__in=SIGNED_STATUSES).order_by(
        "-signed_at", "-pk"
    )


def _latest_signed_plan():
    return Agreement.objects.filter(case=OuterRef("pk"), status=AgreementStatus.SIGNED).order_by(
        "-signed_at", "-pk"
    )


def last_closure_due_by(today: dt.date) -> dt.date:
    """The last closure date whose sustained check is due by `today` (`sustained_due_on`): six
    months before, or, on the last day of a month, the last day of the month six months before
    (31 August's check falls due on 28 February)."""
    cutoff = today - SUSTAINED_AFTER
    if (today + dt.timedelta(days=1)).day == 1:
        cutoff = cutoff.replace(day=calendar.monthrange(cutoff.year, cutoff.month)[1])
    return cutoff


def claim_candidates(
    cases: QuerySet[Case],
    *,
    due_by: dt.date,
    closed_from: dt.date | None = None,
    closed_to: dt.date | None = None,
) -> QuerySet[Case]:
    """The families among `cases` put forward for a claim, with the evidence annotated.

    Closed (between `closed_from` and `closed_to` when given), six months or more before `due_by`
    (whether the outcomes held is recorded from then), with at least three live needs, and none
    of them recorded as partly or not achieved at closure or as not sustained."""
    live = Q(supporting_families_needs__withdrawn_at__isnull=True)
    ruled_out = live & (
        Q(supporting_families_needs__outcome__in=[ClosureOutcome.PARTLY, ClosureOutcome.NOT_ACHIEVED])
        | Q(supporting_families_needs__sustained=Sustained.NOT_SUSTAINED)
    )
    closed = Q(closed_on__isnull=False, closed_on__lte=last_closure_due_by(due_by))
    if closed_from is not None:
        closed &= Q(closed_on__gte=closed_from)
    if closed_to is not None:
        closed &= Q(closed_on__lte=closed_to)
    assessment, plan = _latest_signed_assessment(), _latest_signed_plan()
    return (
        cases.filter(closed)
        .annotate(
            needs_live=Count("supporting_families_needs", filter=live),
            needs_ruled_out=Count("supporting_families_needs", filter=ruled_out),
            needs_without_outcome=Count(
                "supporting_families_needs", filter=live & Q(supporting_families_needs__outcome="")
            ),
            needs_without_sustained=Count(
                "supporting_families_needs", filter=live & Q(supporting_families_needs__sustained="")
            ),
            outcomes_recorded_at=Max("supporting_families_needs__outcome_recorded_at", filter=live),
            sustained_recorded_at=Max("supporting_families_needs__sustained_recorded_at", filter=live),
        )
        .filter(needs_live__gte=MINIMUM_NEEDS, needs_ruled_out=0)
        .annotate(
            assessment_version=Subquery(assessment.values("version")[:1]),
            assessment_signed_at=Subquery(assessment.values("signed_at")[:1]),
            assessment_signed_by=Subquery(assessment.values("signed_by__full_name")[:1]),
            plan_title=Subquery(plan.values("title")[:1]),
            plan_signed_at=Subquery(plan.values("signed_at")[:1]),
        )
        .select_related("team", "lead_practitioner")
        .order_by("closed_on", "reference")
    )


def claimable_cases(cases: QuerySet[Case], *, today: dt.date | None = None) -> QuerySet[Case]:
    """The candidates among `cases` whose evidence is complete: the families claimed for."""
    return claim_candidates(cases, due_by=today or timezone.localdate()).filter(
        needs_without_outcome=0,
        needs_without_sustained=0,
        assessment_signed_at__isnull=False,
        plan_signed_at__isnull=False,
    )


def _day(value: dt.datetime | dt.date | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date()
    return value.strftime(DATE_FORMAT)


def claim_rows(cases: QuerySet[Case]) -> list[tuple[Case, dict[str, object]]]:
    """Each family of `cases` (annotated by `claim_candidates`) with its row, keyed by
    CLAIM_LIST_COLUMNS: a piece of evidence not yet recorded is an empty value. One query for
    the families and one for their needs."""
    cases = list(cases)
    needs = defaultdict(list)
    if cases:
        rows = FamilyNeed.objects.filter(
            case__in=[case.pk for case in cases], withdrawn_at__isnull=True
        ).values_list("case_id", "headline")
        for case_id, headline in rows:
            needs[case_id].append(headline)
    headlines = headline_words()
    return [
        (
            case,
            {
                "case_reference": case.reference,
                "family_name": case.family_name,
                "team": case.team.name,
                "lead_practitioner": case.lead_practitioner.full_name,
                "needs_count": case.needs_live,
                "needs": NEEDS_SEPARATOR.join(
                    headlines[h] for h in sorted(needs[case.pk], key=_ORDER.__getitem__)
                ),
                "closed_on": _day(case.closed_on),
                "outcomes_recorded_on": "" if case.needs_without_outcome else _day(case.outcomes_recorded_at),
                "sustained_recorded_on": ""
                if case.needs_without_sustained
                else _day(case.sustained_recorded_at),
                "assessment_version": case.assessment_version,
                "assessment_signed_on": _day(case.assessment_signed_at),
                "assessment_signed_by": case.assessment_signed_by or "",
                "plan": case.plan_title or "",
                "plan_signed_on": _day(case.plan_signed_at),
            },
        )
        for case in cases
    ]


def claim_list(user: User) -> list[dict[str, object]]:
    """The families this user may claim for, evidence complete: one plain dict a family, keyed by
    CLAIM_LIST_COLUMNS."""
    return [row for _, row in claim_rows(claimable_cases(claim_scope(user)))]
