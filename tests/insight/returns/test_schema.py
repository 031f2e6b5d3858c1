"""The schema API every return registers with, and the identifiers' check digits."""

import datetime as dt

import pytest

from cases.identifiers import nhs_number_problem, upn_check_letter, upn_problem
from insight.returns.annex_a import _six_months_to
from insight.returns.schema import Column, Row, Schema
from insight.returns.supporting_families import CLAIMS

SCHEMA = Schema(
    "example",
    (
        Column("id", required=True, derive=lambda s: s.get("id")),
        Column("kind", codes=("A", "B"), derive=lambda s: s.get("kind")),
        Column("on", date_format="%d/%m/%Y", derive=lambda s: s.get("on"), fix="Record the date"),
        Column("ended", derive=lambda s: s.get("ended")),
        Column(
            "why",
            required=lambda values: values["ended"] != "",
            derive=lambda s: s.get("why"),
            fixed_at="case",
        ),
    ),
)


def test_a_row_is_derived_and_dates_written_in_the_columns_format():
    row = SCHEMA.row({"id": 7, "kind": "A", "on": dt.date(2026, 3, 2)}, record="R1", links={"person": "/p/"})
    assert row.values == {"id": "7", "kind": "A", "on": "02/03/2026", "ended": "", "why": ""}
    assert SCHEMA.header == ["id", "kind", "on", "ended", "why"]
    assert SCHEMA.validate([row]) == []


def test_each_way_a_row_fails_is_one_error_with_what_to_fix_and_where():
    rows = [
        Row(
            {"id": "", "kind": "C", "on": "2026-03-02", "ended": "yes", "why": ""},
            "R1",
            {"person": "/p/1/", "case": "/c/1/"},
        ),
        Row({"id": "2", "kind": "B", "on": "", "ended": "", "why": ""}, "R2", {"person": "/p/2/"}),
    ]
    errors = SCHEMA.validate(rows)
    assert [(e.row, e.column, e.problem, e.fix_url) for e in errors] == [
        (1, "id", "is missing", "/p/1/"),
        (1, "kind", "'C' is not one of the codes this return allows", "/p/1/"),
        (1, "on", "'2026-03-02' is not a date written as %d/%m/%Y", "/p/1/"),
        (1, "why", "is missing", "/c/1/"),
    ]
    assert errors[2].fix == "Record the date"
    assert errors[0].message == "id is missing"


@pytest.mark.parametrize(
    ("upn", "problem"),
    [
        ("A123456789012", None),
        ("a123456789012", None),
        ("B123456789012", "This is not a valid unique pupil number: check it against the school's records"),
        ("A12345678901", "A unique pupil number is 13 characters, for example A123456789012"),
        (
            "A12345678901I",
            "A unique pupil number is a letter, 11 digits and a last digit or letter, for example A123456789012",
        ),
    ],
)
def test_unique_pupil_numbers_are_checked_by_their_check_letter(upn, problem):
    """DfE: the check letter is the sum of characters 2 to 13 times their positions, modulo 23, as
    a letter of A to Z without I, O and S."""
    assert upn_problem(upn) == problem


def test_a_temporary_upn_ends_in_a_letter_counted_in_the_check():
    letter = upn_check_letter("X12345678901A")
    # 1*2+2*3+...+9*10 = 330; 0*11 + 1*12 = 12; A (0) * 13 = 0: 342 mod 23 = 20, the letter X.
    assert letter == "X"
    assert upn_problem("X12345678901A") is None


@pytest.mark.parametrize(
    ("number", "problem"),
    [
        ("9434765919", None),
        ("943 476 5919", None),
        ("9434765918", "This is not a valid NHS number: check it against the person's health records"),
        ("943476591", "An NHS number is 10 digits, for example 943 476 5919"),
        # The check would be 10: no NHS number starts with these nine digits.
        ("0000000060", "This is not a valid NHS number: check it against the person's health records"),
    ],
)
def test_nhs_numbers_are_checked_modulus_11(number, problem):
    assert nhs_number_problem(number) == problem


def test_annex_a_looks_back_six_months():
    assert _six_months_to(dt.date(2026, 11, 20)) == (dt.date(2026, 5, 21), dt.date(2026, 11, 20))
    assert _six_months_to(dt.date(2026, 8, 31)) == (dt.date(2026, 3, 1), dt.date(2026, 8, 31))
    assert _six_months_to(dt.date(2026, 3, 31)) == (dt.date(2025, 10, 1), dt.date(2026, 3, 31))


def _claim(**values):
    complete = {
        "case_reference": "EF2026-00106",
        "family_name": "Fox family",
        "team": "North Early Help",
        "lead_practitioner": "Priya Practitioner",
        "needs_count": 3,
        "needs": "Getting a good education; Improved mental and physical health; Secure housing",
        "closed_on": "2026-03-31",
        "outcomes_recorded_on": "2026-03-30",
        "sustained_recorded_on": "2026-10-05",
        "assessment_version": 1,
        "assessment_signed_on": "2026-01-20",
        "assessment_signed_by": "Morgan Manager",
        "plan": "Fox family agreement",
        "plan_signed_on": "2026-01-28",
    }
    links = {"supporting_families": "/sf/", "assessment": "/ra/", "plan": "/plan/", "case": "/case/"}
    return CLAIMS, CLAIMS.row({**complete, **values}, record="EF2026-00106: Fox family", links=links)


def test_the_claim_list_schema_checks_the_headline_outcomes_and_the_evidence():
    schema, row = _claim()
    assert schema.validate([row]) == []
    schema, row = _claim(
        needs="Getting a good education; Getting a good education; Secure housing",
        needs_count=2,
        closed_on="31/03/2026",
        assessment_signed_on="",
        plan="",
    )
    assert [(e.column, e.problem, e.fix_url) for e in schema.validate([row])] == [
        ("needs_count", "'2' is not a number of needs a claim allows (at least 3)", "/sf/"),
        ("needs", "names a headline outcome twice", "/sf/"),
        ("closed_on", "'31/03/2026' is not a date written as %Y-%m-%d", "/case/"),
        ("assessment_signed_on", "is missing", "/ra/"),
        ("plan", "is missing", "/plan/"),
    ]
    schema, row = _claim(needs="Getting a good education; Better school dinners; Secure housing")
    assert [e.problem for e in schema.validate([row])] == [
        "'Better school dinners' is not one of the ten headline outcomes"
    ]
    schema, row = _claim(needs="Getting a good education; Secure housing")
    assert [e.problem for e in schema.validate([row])] == [
        "names 2 headline outcomes: a claim needs at least 3"
    ]
