"""Ofsted's Annex A, list 2 (early help): children with an early help assessment started in the
period (the last six months unless asked otherwise).

In this product the early help assessment is the Family Engagement Risk Assessment: an assessment
starts with its first version (`version` 1, its `assessment_date`) and is complete when that
version is signed. One row for each child the assessment covers (all the case's children when
none is named). Column names and codes as the Annex A template's list 2 has them. See
docs/returns.md for each column's derivation.
"""

import calendar
import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Person, PersonKind, Sex
from riskassessment.models import Assessment

from .common import Period, age_on, person_links
from .schema import Column, Return, Schema, Table, register

DATE = "%d/%m/%Y"

GENDER_CODES = ("a) Male", "b) Female", "c) Not stated/recorded", "d) Neither")
# The product's answers in Annex A's gender codes: a gender recorded as different from sex wins.
_FROM_SEX = {
    Sex.MALE: "a) Male",
    Sex.FEMALE: "b) Female",
    Sex.NOT_KNOWN: "c) Not stated/recorded",
    Sex.REFUSED: "c) Not stated/recorded",
}
_FROM_GENDER = {**_FROM_SEX, "I": "d) Neither"}
ETHNICITY_ORDER = [
    "WBRI",
    "WIRI",
    "WIRT",
    "WOTH",
    "WROM",
    "MWBC",
    "MWBA",
    "MWAS",
    "MOTH",
    "AIND",
    "APKN",
    "ABAN",
    "AOTH",
    "BCRB",
    "BAFR",
    "BOTH",
    "CHNE",
    "OOTH",
    "REFU",
    "NOBT",
]
# Annex A's ethnicity codes: a letter for each, in the template's order, then the DfE code.
ETHNICITY_CODES = {code: f"{chr(ord('a') + n)}) {code}" for n, code in enumerate(ETHNICITY_ORDER)}


@dataclass(frozen=True)
class AssessedChild:
    child: Person
    assessment: Assessment

    @property
    def start(self) -> dt.date:
        return self.assessment.assessment_date


def _gender(row: AssessedChild) -> str:
    child = row.child
    return _FROM_GENDER.get(child.gender, "") or _FROM_SEX.get(child.sex, "")


def _completed(row: AssessedChild) -> dt.date | None:
    signed_at = row.assessment.signed_at
    return timezone.localdate(signed_at) if signed_at else None


LIST_2 = Schema(
    "annex_a_list_2",
    (
        Column("Child Unique ID", required=True, derive=lambda r: r.child.pk),
        Column(
            "Gender",
            required=True,
            codes=GENDER_CODES,
            derive=_gender,
            fix=_("Record the child's sex: 'not known' and 'refused' are answers"),
        ),
        Column(
            "Ethnicity",
            required=True,
            codes=tuple(ETHNICITY_CODES.values()),
            derive=lambda r: ETHNICITY_CODES.get(r.child.ethnicity, ""),
            fix=_("Record the child's ethnicity: 'not known' (NOBT) and 'refused' (REFU) are answers"),
        ),
        Column(
            "Date of Birth",
            date_format=DATE,
            derive=lambda r: r.child.date_of_birth,
            fix=_("Record the child's date of birth"),
        ),
        Column("Age of Child (Years)", derive=lambda r: age_on(r.child.date_of_birth, r.start)),
        Column(
            "Assessment start date",
            required=True,
            date_format=DATE,
            derive=lambda r: r.start,
            fixed_at="case",
        ),
        Column("Assessment completion date", date_format=DATE, derive=_completed, fixed_at="case"),
        Column(
            "Organisation completing assessment",
            required=True,
            derive=lambda r: r.assessment.service or r.assessment.case.team.name,
            fixed_at="case",
        ),
    ),
)


def assessed_children(cases, period: Period) -> list[AssessedChild]:
    """Each child of each assessment started in the period: three queries, whatever the count."""
    children = Person.objects.filter(kind=PersonKind.CHILD).order_by("pk")
    assessments = (
        Assessment.objects.filter(
            case__in=cases, version=1, assessment_date__gte=period.first, assessment_date__lte=period.last
        )
        .select_related("case__team")
        .prefetch_related(
            Prefetch("children", queryset=children, to_attr="named_children"),
            Prefetch("case__people", queryset=children, to_attr="all_children"),
        )
        .order_by("assessment_date", "case__reference")
    )
    rows = []
    for assessment in assessments:
        for child in assessment.named_children or assessment.case.all_children:
            child.case = assessment.case
            rows.append(AssessedChild(child=child, assessment=assessment))
    return rows


def list_2_rows(cases, period: Period, back: str = "") -> list:
    return [
        LIST_2.row(
            r,
            record=f"{r.assessment.case.reference}: {r.child.full_name}",
            links=person_links(r.child, back),
            case_id=r.assessment.case_id,
        )
        for r in assessed_children(cases, period)
    ]


def _six_months_to(today: dt.date) -> tuple[dt.date, dt.date]:
    """The six months up to today: from the day after the same date six months before."""
    year, month = (today.year, today.month - 6) if today.month > 6 else (today.year - 1, today.month + 6)
    day = min(today.day, calendar.monthrange(year, month)[1])
    return dt.date(year, month, day) + dt.timedelta(days=1), today


ANNEX_A_LIST_2 = register(
    Return(
        slug="annex-a-list-2",
        title=_("Ofsted Annex A, list 2: early help"),
        description=_(
            "Children with an early help assessment (a Family Engagement Risk Assessment) "
            "started in the period: the last six months unless you choose other dates."
        ),
        tables=(Table(LIST_2, list_2_rows),),
        default_period=_six_months_to,
    )
)
