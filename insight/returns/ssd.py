"""Standard Safeguarding Dataset (Data to Insight's SSD model): early help episodes, and the SSD
person records they refer to.

Column names as the SSD's own table definitions have them (`ssd_early_help_episodes`, items
EARL001A to EARL008A, with the worker's name as the issue asks; `ssd_person`, items PERS001A to PERS016A). One episode row for each child of
a case whose episode (referral date to closure) overlaps the period. See docs/returns.md for
each column's derivation and what the product does not supply.
"""

import datetime as dt

from django.utils.translation import gettext_lazy as _

from cases.models import CaseStatus, EndReasonCode, Person, PersonKind, ReferralReasonCode, Sex

from .common import ETHNICITY_CODES, Period, forename, nhs_check, person_links, surname, upn_check
from .schema import Column, Return, Schema, Table, register

DATE = "%Y-%m-%d"  # the SSD's DATETIME columns, as a date

# A case closed by a step up or a step down says why its episode ended, even before anyone
# records an end reason code.
END_REASON_FROM_STATUS = {
    CaseStatus.STEPPED_UP: EndReasonCode.STEPPED_UP,
    CaseStatus.STEPPED_DOWN: EndReasonCode.STEPPED_DOWN,
}
# The SSD's sex and gender codes (pers_gender's expected data: F, M, U, I); it has no code for a
# refusal, which is reported as not known.
SEX_CODES = {Sex.MALE: "M", Sex.FEMALE: "F", Sex.NOT_KNOWN: "U", Sex.REFUSED: "U"}
GENDER_CODES = {"M": "M", "F": "F", "I": "I", "U": "U", "R": "U"}


def end_reason(case) -> str:
    if case.end_reason_code:
        return case.end_reason_code
    if case.closed_on is not None:
        return END_REASON_FROM_STATUS.get(case.status, "")
    return ""


def episode_id(person) -> str:
    """One episode a child a case: the case reference and the child's person id."""
    return f"{person.case.reference}-{person.pk}"


def _ended(values: dict[str, str]) -> bool:
    return values.get("earl_episode_end_date", "") != ""


EPISODES = Schema(
    "ssd_early_help_episodes",
    (
        Column("earl_episode_id", required=True, derive=episode_id),
        Column("earl_person_id", required=True, derive=lambda p: p.pk),
        Column(
            "earl_episode_start_date",
            required=True,
            date_format=DATE,
            derive=lambda p: p.case.referral_date,
            fixed_at="case",
        ),
        Column("earl_episode_end_date", date_format=DATE, derive=lambda p: p.case.closed_on, fixed_at="case"),
        Column(
            "earl_episode_reason",
            required=True,
            codes=tuple(ReferralReasonCode.values),
            derive=lambda p: p.case.referral_reason_code,
            fix=_("Record why the family was referred, in the case's codes for returns"),
            fixed_at="case",
        ),
        Column(
            "earl_episode_end_reason",
            required=_ended,
            codes=tuple(EndReasonCode.values),
            derive=lambda p: end_reason(p.case),
            fix=_("Record why the episode ended, in the case's codes for returns"),
            fixed_at="case",
        ),
        Column(
            "earl_episode_organisation",
            required=True,
            derive=lambda p: p.case.team.name,
            fixed_at="case",
        ),
        Column(
            "earl_episode_worker_id",
            required=True,
            derive=lambda p: p.case.lead_practitioner_id,
            fixed_at="case",
        ),
        Column(
            "earl_episode_worker_name",
            required=True,
            derive=lambda p: p.case.lead_practitioner.full_name,
            fixed_at="case",
        ),
    ),
)

PERSONS = Schema(
    "ssd_person",
    (
        Column("pers_legacy_id"),
        Column("pers_person_id", required=True, derive=lambda p: p.pk),
        Column(
            "pers_upn",
            derive=lambda p: p.upn,
            check=upn_check,
            fix=_("Correct the unique pupil number from the school's records, or leave it empty"),
        ),
        Column("pers_forename", derive=forename),
        Column("pers_surname", derive=surname),
        Column(
            "pers_sex",
            required=True,
            codes=("M", "F", "U"),
            derive=lambda p: SEX_CODES.get(p.sex, ""),
            fix=_("Record the child's sex: 'not known' and 'refused' are answers"),
        ),
        Column(
            "pers_gender",
            required=True,
            codes=("M", "F", "U", "I"),
            derive=lambda p: GENDER_CODES.get(p.gender, "") or SEX_CODES.get(p.sex, ""),
            fix=_("Record the child's sex (gender is taken from it unless recorded as different)"),
        ),
        Column(
            "pers_ethnicity",
            required=True,
            codes=ETHNICITY_CODES,
            derive=lambda p: p.ethnicity,
            fix=_("Record the child's ethnicity: 'not known' (NOBT) and 'refused' (REFU) are answers"),
        ),
        Column(
            "pers_dob",
            required=True,
            date_format=DATE,
            derive=lambda p: p.date_of_birth,
            fix=_("Record the child's date of birth"),
        ),
        Column(
            "pers_single_unique_id",
            derive=lambda p: p.nhs_number,
            check=nhs_check,
            fix=_("Correct the NHS number from the child's health records, or leave it empty"),
        ),
        Column("pers_upn_unknown"),
        Column("pers_send_flag"),
        Column("pers_expected_dob"),
        Column("pers_death_date"),
        Column("pers_is_mother"),
        Column("pers_nationality"),
    ),
)


def children_in_period(cases, period: Period):
    """The children of the cases whose episode overlaps the period, with their case: one query."""
    return (
        Person.objects.filter(
            kind=PersonKind.CHILD,
            case__in=cases.filter(referral_date__lte=period.last).exclude(closed_on__lt=period.first),
        )
        .select_related("case__team", "case__lead_practitioner")
        .order_by("case__referral_date", "case__reference", "pk")
    )


def episode_rows(cases, period: Period, back: str = "") -> list:
    return [
        EPISODES.row(
            p, record=f"{p.case.reference}: {p.full_name}", links=person_links(p, back), case_id=p.case_id
        )
        for p in children_in_period(cases, period)
    ]


def person_rows(cases, period: Period, back: str = "") -> list:
    return [
        PERSONS.row(
            p, record=f"{p.case.reference}: {p.full_name}", links=person_links(p, back), case_id=p.case_id
        )
        for p in children_in_period(cases, period)
    ]


def _default_period(today: dt.date) -> tuple[dt.date, dt.date]:
    return today - dt.timedelta(days=364), today


SSD_EARLY_HELP = register(
    Return(
        slug="ssd-early-help",
        title=_("Standard Safeguarding Dataset: early help episodes"),
        description=_(
            "Each child's early help episode in the period (ssd_early_help_episodes), "
            "with the SSD person record of each child (ssd_person)."
        ),
        tables=(Table(EPISODES, episode_rows), Table(PERSONS, person_rows)),
        default_period=_default_period,
    )
)
