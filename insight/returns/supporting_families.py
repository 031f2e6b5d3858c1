"""The Supporting Families claim list, as a return: one row for each family put forward for a
results claim, with the evidence the claim rests on.

The rows are the candidates of `insight.supporting_families.selectors.claim_candidates`: the
families whose case closed in the period, six months or more ago, with at least three needs and
none recorded as not achieved or not sustained. The schema requires every piece of evidence the
guidance asks for ("all families must have been supported by a lead practitioner, there must have
been a whole family assessment and an action plan"; "all identified family needs must evidence a
positive outcome that is sustained for at least six months after closure"): a family still
lacking one is a failing row, with what to record and a link to where. See docs/returns.md and
docs/supporting-families.md for each column's derivation.
"""

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from insight.supporting_families.selectors import (
    CLAIM_LIST_COLUMNS,
    DATE_FORMAT,
    MINIMUM_NEEDS,
    NEEDS_SEPARATOR,
    claim_candidates,
    claim_rows,
    headline_words,
)

from .common import Period
from .forms import EARLIEST
from .schema import Column, Return, Schema, Table, register


def needs_check(value: str) -> str | None:
    """The needs are the guidance's headline outcomes, each once, at least three of them."""
    needs = value.split(NEEDS_SEPARATOR)
    headlines = set(headline_words().values())
    unknown = [need for need in needs if need not in headlines]
    if unknown:
        return f"{unknown[0]!r} is not one of the ten headline outcomes"
    if len(set(needs)) != len(needs):
        return "names a headline outcome twice"
    if len(needs) < MINIMUM_NEEDS:
        return f"names {len(needs)} headline outcomes: a claim needs at least {MINIMUM_NEEDS}"
    return None


def needs_count_check(value: str) -> str | None:
    if not value.isdigit() or int(value) < MINIMUM_NEEDS:
        return f"{value!r} is not a number of needs a claim allows (at least {MINIMUM_NEEDS})"
    return None


def _value(name: str):
    return lambda source: source[name]


# For each column: whether a claim needs it, its codes or date format, what to do when it is
# missing and where (the row's links: `supporting_families`, `assessment`, `plan`, `case`).
_SUSTAINED_FIX = _(
    "Record whether each need's outcome was sustained six months after closure, "
    "on the family's Supporting Families record"
)
_ASSESSMENT_FIX = _(
    "The family's whole-family assessment (the Family Engagement Risk Assessment) must be signed "
    "by the manager"
)
_PLAN_FIX = _(
    "The family's plan (the working together agreement) must be signed by the family and the lead practitioner"
)
_COLUMNS = {
    "case_reference": {"required": True, "fixed_at": "case"},
    "family_name": {"required": True, "fixed_at": "case"},
    "team": {"required": True, "fixed_at": "case"},
    "lead_practitioner": {
        "required": True,
        "fixed_at": "case",
        "fix": _("Allocate the family's lead practitioner"),
    },
    "needs_count": {"required": True, "check": needs_count_check, "fixed_at": "supporting_families"},
    "needs": {
        "required": True,
        "check": needs_check,
        "fixed_at": "supporting_families",
        "fix": _("Record the family's needs under the headline outcomes on their Supporting Families record"),
    },
    "closed_on": {"required": True, "date_format": DATE_FORMAT, "fixed_at": "case"},
    "outcomes_recorded_on": {
        "required": True,
        "date_format": DATE_FORMAT,
        "fixed_at": "supporting_families",
        "fix": _("Record the outcome at closure of each need on the family's Supporting Families record"),
    },
    "sustained_recorded_on": {
        "required": True,
        "date_format": DATE_FORMAT,
        "fixed_at": "supporting_families",
        "fix": _SUSTAINED_FIX,
    },
    "assessment_version": {"required": True, "fixed_at": "assessment", "fix": _ASSESSMENT_FIX},
    "assessment_signed_on": {
        "required": True,
        "date_format": DATE_FORMAT,
        "fixed_at": "assessment",
        "fix": _ASSESSMENT_FIX,
    },
    "assessment_signed_by": {"required": True, "fixed_at": "assessment", "fix": _ASSESSMENT_FIX},
    "plan": {"required": True, "fixed_at": "plan", "fix": _PLAN_FIX},
    "plan_signed_on": {"required": True, "date_format": DATE_FORMAT, "fixed_at": "plan", "fix": _PLAN_FIX},
}
CLAIMS = Schema(
    "supporting_families_claims",
    tuple(Column(name, derive=_value(name), **_COLUMNS[name]) for name in CLAIM_LIST_COLUMNS),
)


def claim_links(case_pk: int) -> dict[str, str]:
    """Where to put right each part of a family's claim: the Supporting Families record (needs,
    outcomes, sustained), the case's assessments, its agreements and the case itself."""
    kwargs = {"case_pk": case_pk}
    return {
        "supporting_families": reverse("engagement:supporting_families", kwargs=kwargs),
        "assessment": reverse("riskassessment:case_assessments", kwargs=kwargs),
        "plan": reverse("engagement:agreement_list", kwargs=kwargs),
        "case": reverse("cases:case_detail", kwargs=kwargs),
    }


def claim_rows_for(cases, period: Period, back: str = "") -> list:
    """The families whose case closed in the period and whose sustained check is due today."""
    candidates = claim_candidates(
        cases, due_by=timezone.localdate(), closed_from=period.first, closed_to=period.last
    )
    return [
        CLAIMS.row(
            values,
            record=f"{case.reference}: {case.family_name}",
            links=claim_links(case.pk),
            case_id=case.pk,
        )
        for case, values in claim_rows(candidates)
    ]


def _to_date(today: dt.date) -> tuple[dt.date, dt.date]:
    """Every family closed to date: a family is claimed for once, whenever it closed."""
    return EARLIEST, today


SUPPORTING_FAMILIES_CLAIMS = register(
    Return(
        slug="supporting-families-claims",
        title=_("Supporting Families claim list"),
        description=_(
            "Families put forward for a Supporting Families results claim: closed at least six "
            "months ago, with at least three needs under different headline outcomes and none recorded as "
            "not achieved or not sustained. A claim needs the lead practitioner, a signed whole-family "
            "assessment, a signed plan, each need's outcome at closure and whether it was sustained: a "
            "family still missing one is listed with what to record. Every family closed to date unless "
            "you choose dates (of closure)."
        ),
        tables=(Table(CLAIMS, claim_rows_for),),
        default_period=_to_date,
    )
)
