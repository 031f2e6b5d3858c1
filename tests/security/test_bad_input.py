"""Bad input never gives a server error (issue findings 12-14), swept over every form and POST URL.

The issue: "Bad input never gives a 500: dates in plausible ranges ..., years of any length
refused with a GOV.UK message, text fields with sensible maximum lengths shown to the user, CR/LF
stripped from single-line fields". The GOV.UK date input guidance asks for "Year must include 4
numbers" and "[whatever it is] must be a real date"; its character count says "You can enter up
to [number] characters" and "[whatever it is] must be [number] characters or less".

The forms are found by walking every form class the project defines, and the URLs come from the
authorization matrix, so a form or URL added later is swept too.
"""

import datetime as dt
import importlib
import pkgutil
import re
import zoneinfo
from types import SimpleNamespace

import pytest
import time_machine
from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from cases.fields import LONG_TEXT_LIMIT, BoundedTextMixin, GovDateField
from cases.models import Case
from engagement.models import ContactAttempt
from tests.authz.matrix_cases import _case_data
from tests.conftest import REFERRAL

from .figures import count
from .matrix import ENTRIES, matrix_world, signed_in

FROZEN = dt.datetime(2026, 11, 18, 11, 0, tzinfo=zoneinfo.ZoneInfo("Europe/London"))
APPS = ("cases", "engagement", "riskassessment", "flowchart", "insight")
HUGE_YEAR = "9" * 30


def _project_form_classes() -> list[type]:
    for app in APPS:
        package = importlib.import_module(app)
        for module in pkgutil.walk_packages(package.__path__, f"{app}."):
            if "migrations" not in module.name and "tests" not in module.name:
                importlib.import_module(module.name)

    def below(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from below(sub)

    return sorted(
        {
            c
            for c in below(forms.BaseForm)
            if c.__module__.split(".")[0] in APPS and "admin" not in c.__module__
        },
        key=lambda c: f"{c.__module__}.{c.__qualname__}",
    )


FORM_CLASSES = _project_form_classes()
DATE_FIELDS = [
    (f"{form.__module__}.{form.__qualname__}.{name}", field)
    for form in FORM_CLASSES
    for name, field in form.base_fields.items()
    if isinstance(field, forms.MultiValueField) and "date" in type(field.widget).__name__.lower()
]


def test_the_sweep_finds_the_forms():
    assert len(FORM_CLASSES) >= 30
    assert len(DATE_FIELDS) >= 25


@pytest.mark.parametrize(("where", "field"), DATE_FIELDS, ids=[where for where, _ in DATE_FIELDS])
def test_every_date_field_refuses_a_huge_year_and_year_one(where, field, frozen):
    """A 30-digit year raised OverflowError in the date input's own field: every form gave a 500."""
    assert isinstance(field, GovDateField), f"{where} is not a GovDateField"
    with pytest.raises(ValidationError) as huge:
        field.clean(["1", "1", HUGE_YEAR])
    assert "must include 4 numbers" in " ".join(huge.value.messages)
    with pytest.raises(ValidationError) as first:
        field.clean(["1", "1", "1"])
    assert "must include 4 numbers" in " ".join(first.value.messages)
    with pytest.raises(ValidationError) as long_ago:
        field.clean(["1", "1", "0001"])
    assert "must be on or after 1 January" in " ".join(long_ago.value.messages)
    count("bad input", "date fields refusing huge years and year 1")


def test_every_form_bounds_its_text():
    """Every project form strips line breaks from one-line boxes and bounds its long-text boxes."""
    unbounded = [
        f"{form.__module__}.{form.__qualname__}"
        for form in FORM_CLASSES
        if any(isinstance(f, forms.CharField) for f in form.base_fields.values())
        and not issubclass(form, BoundedTextMixin)
    ]
    assert not unbounded, f"forms whose text is not bounded: {unbounded}"


def _date_triples(data: dict) -> list[str]:
    return sorted(key[:-2] for key in data if key.endswith("_2") and f"{key[:-2]}_0" in data)


def _post(client, url, data):
    """Post at the frozen instant and undo whatever it did."""
    with transaction.atomic():
        with time_machine.travel(FROZEN, tick=False):
            response = client.post(url, data)
        transaction.set_rollback(True)
    return response


def _posts(world):
    """(name, url, a client allowed to post, the matrix's data) for every POST URL."""
    for name, entry in sorted(ENTRIES.items()):
        if "POST" not in entry.methods:
            continue
        role = "lead" if "lead" in entry.allowed else sorted(entry.allowed)[0]
        with time_machine.travel(FROZEN, tick=False):
            data = entry.data(world)
        yield name, world.urls[name], signed_in(world.users[role]), data


def test_no_date_posted_to_any_url_gives_a_server_error(db, settings):
    """Every date the matrix posts, sent with a 30-digit year and with year 1: the form comes back."""
    with time_machine.travel(FROZEN, tick=False):
        world = matrix_world(settings)
    problems, swept = [], 0
    for name, url, client, data in _posts(world):
        for prefix in _date_triples(data):
            for year in (HUGE_YEAR, "1"):
                posted = {**data, f"{prefix}_0": "1", f"{prefix}_1": "1", f"{prefix}_2": year}
                response = _post(client, url, posted)
                swept += 1
                body = response.content.decode()
                if response["Content-Type"].startswith("application/json"):
                    # The device's outbox (engagement.offline): the refusal comes back as JSON,
                    # and the outbox keeps what was typed.
                    if response.status_code != 422:
                        problems.append(f"{name} {prefix} year {year[:4]}...: {response.status_code}")
                    elif year == "1" and "must include 4 numbers" not in body:
                        problems.append(f"{name} {prefix}: year 1 is not refused as a year")
                elif response.status_code != 200 or "govuk-error-message" not in body:
                    problems.append(f"{name} {prefix} year {year[:4]}...: {response.status_code}")
                elif year == "1" and "must include 4 numbers" not in body:
                    problems.append(f"{name} {prefix}: year 1 is not refused as a year")
                elif year == HUGE_YEAR and f'value="{year}"' not in body:
                    problems.append(f"{name} {prefix}: what was typed is not kept")
    assert swept >= 20
    assert not problems, "\n".join(problems)
    count("bad input", "date posts with huge years and year 1", swept)


TEXTAREA = re.compile(r'<textarea[^>]*\bname="([^"]+)"')
HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')


def test_every_long_text_box_refuses_text_over_its_limit(db, settings):
    """2.3 MB pasted into the analysis made signing take 43 s: each box says its limit and keeps to it."""
    with time_machine.travel(FROZEN, tick=False):
        world = matrix_world(settings)
    problems, swept = [], 0
    too_long = "a" * (LONG_TEXT_LIMIT + 1)
    for name, url, client, data in _posts(world):
        if "GET" not in ENTRIES[name].methods:
            continue
        with time_machine.travel(FROZEN, tick=False):
            page = client.get(url).content.decode()
        for box in sorted(set(TEXTAREA.findall(page))):
            if f"You can enter up to {LONG_TEXT_LIMIT:,} characters" not in page:
                problems.append(f"{name}: the limit is not shown")
            # Rows the page offers (formsets) are posted as the page would post them.
            response = _post(client, url, {**data, **dict(HIDDEN.findall(page)), box: too_long})
            swept += 1
            body = response.content.decode()
            if response.status_code != 200 or f"must be {LONG_TEXT_LIMIT:,} characters or less" not in body:
                problems.append(f"{name} {box}: {response.status_code}, not refused as too long")
    assert swept >= 20
    assert not problems, "\n".join(problems)
    count("bad input", "long-text boxes refusing text over the limit", swept)


def _opening(**overrides) -> dict:
    """The case the matrix opens, referred on the frozen Tuesday."""
    referred = SimpleNamespace(case=SimpleNamespace(referral_date=REFERRAL))
    return {k: str(v) for k, v in _case_data(referred).items()} | overrides


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("1", "1", "0001", "The referral date must be on or after 1 January 2000"),
        ("1", "1", "1900", "The referral date must be on or after 1 January 2000"),
        ("1", "1", HUGE_YEAR, "The year of the referral date must include 4 numbers, for example 2026"),
        ("1", "1", "26", "The year of the referral date must include 4 numbers, for example 2026"),
        ("6", "11", "2026", "The referral date must be today or in the past"),
        ("1", "123", "2026", "Enter the referral date as a real date, for example 27 3 2026"),
    ],
)
def test_a_referral_date_outside_2000_to_today_is_refused(lead_client, frozen, day, month, year, message):
    """Finding 12: "a referral date of 1/1/0001, gives a 500"; 13: "a referral in 1900" was accepted."""
    data = _opening(referral_date_0=day, referral_date_1=month, referral_date_2=year)
    response = lead_client.post(reverse("cases:case_create"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert f'value="{year}"' in response.content.decode(), "what was typed is kept"
    assert not Case.objects.exists()


def test_line_breaks_in_a_one_line_field_are_read_as_spaces(lead_client, frozen):
    data = _opening(family_name="Okafor\r\nfamily", referrer_name="Mrs\nShah")
    response = lead_client.post(reverse("cases:case_create"), data)
    assert response.status_code == 302
    case = Case.objects.get()
    assert (case.family_name, case.referrer_name) == ("Okafor family", "Mrs Shah")
    # Long text keeps its lines: they are paragraphs.
    response = lead_client.post(
        reverse("cases:case_edit", kwargs={"case_pk": case.pk}),
        _opening(referral_reason="Attendance has fallen.\r\nThe school is worried."),
    )
    case.refresh_from_db()
    assert case.referral_reason.splitlines() == ["Attendance has fallen.", "The school is worried."]


@pytest.mark.parametrize(
    ("year", "accepted"), [("1899", False), ("1900", True), ("1950", True), ("2027", False)]
)
def test_a_date_of_birth_is_not_before_1900_nor_in_the_future(lead_client, case, year, accepted):
    url = reverse("cases:person_add", kwargs={"case_pk": case.pk, "kind": "child"})
    data = {
        "full_name": "Ada Okafor",
        "date_of_birth_0": "1",
        "date_of_birth_1": "1",
        "date_of_birth_2": year,
        "lives_in_household": "True",
    }
    response = lead_client.post(url, data)
    assert response.status_code == (302 if accepted else 200)
    if not accepted:
        html = response.content.decode()
        assert (
            "date of birth must be on or after 1 January 1900" in html
            or "date of birth must be today or in the past" in html
        )


def _attempt(case, lead, **overrides) -> dict:
    data = {
        "kind": "phone_call",
        "occurred_on_0": "5",
        "occurred_on_1": "11",
        "occurred_on_2": "2026",
        "occurred_time": "09:15",
        "outcome": "no_answer",
        "made_by": lead.pk,
        "notes": "Rang Grace's mobile; it rang out.",
    }
    return data | overrides


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"next_contact_on_0": "31", "next_contact_on_1": "12", "next_contact_on_2": "9999"},
            "The date of the next contact must be within a year from today",
        ),
        (
            {"next_contact_on_0": "6", "next_contact_on_1": "11", "next_contact_on_2": "2027"},
            "The date of the next contact must be within a year from today",
        ),
        (
            {"required_by_when_0": "4", "required_by_when_1": "11", "required_by_when_2": "2026"},
            "The date it is required by must be the same as or after the date of the attempt",
        ),
        (
            {"occurred_on_2": HUGE_YEAR},
            "The year of the date of the attempt must include 4 numbers, for example 2026",
        ),
    ],
)
def test_an_attempt_with_an_impossible_date_is_refused(lead_client, case, lead, overrides, message):
    """Finding 13: "a next contact on 31/12/9999, a 'required by' before the attempt" were accepted."""
    url = reverse("engagement:attempt_record", kwargs={"case_pk": case.pk})
    response = lead_client.post(url, _attempt(case, lead, **overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ContactAttempt.objects.exists()


def test_a_next_contact_within_a_year_and_required_by_on_the_day_are_taken(lead_client, case, lead):
    url = reverse("engagement:attempt_record", kwargs={"case_pk": case.pk})
    data = _attempt(
        case,
        lead,
        required_by_when_0="5",
        required_by_when_1="11",
        required_by_when_2="2026",
        next_contact_on_0="5",
        next_contact_on_1="11",
        next_contact_on_2="2027",
    )
    assert lead_client.post(url, data).status_code == 302
    assert ContactAttempt.objects.get().required_by_when == dt.date(2026, 11, 5)


def test_the_chronology_filter_takes_a_huge_year_without_a_server_error(lead_client, case):
    url = reverse("engagement:chronology", kwargs={"case_pk": case.pk})
    response = lead_client.get(url, {"date_from_0": "1", "date_from_1": "1", "date_from_2": HUGE_YEAR})
    assert response.status_code == 200
    assert "The year of the first date must include 4 numbers" in response.content.decode()


def test_the_insight_filter_takes_a_huge_year_without_a_server_error(client, manager, frozen):
    client.force_login(manager)
    for year in (HUGE_YEAR, "1"):
        response = client.get(
            reverse("insight:overview"), {"date_to_0": "1", "date_to_1": "1", "date_to_2": year}
        )
        assert response.status_code == 200
        assert "The year of the last date must include 4 numbers" in response.content.decode()
