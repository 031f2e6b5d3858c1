"""The safety-scale chart in a real browser: visible, named, shaped, tabulated, and not colour-dependent."""

import datetime as dt
import os

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone

from engagement.practice.models import RaterKind
from tests.browser_setup import (
    NO_SERVICE_WORKER,
    browser_type_launch_args,  # noqa: F401  (Debian's chromium, shared)
)
from tests.factories import CaseFactory, ManagerFactory, PractitionerFactory, TeamFactory
from tests.factories.practice import SafetyMappingFactory, SafetyRatingFactory

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = pytest.mark.e2e

PEOPLE = [
    ("Rukhsana Begum", RaterKind.FAMILY, [2, 4, 6]),
    ("Priya Patel", RaterKind.PROFESSIONAL, [3, 4, 5]),
    ("Alex Adeyemi", RaterKind.PROFESSIONAL, [4, 5, 6]),
]


@pytest.fixture
def mapped_case(transactional_db, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    manager = ManagerFactory(full_name="Morgan Manager")
    team = TeamFactory(name="North Early Help Team", manager=manager)
    lead = PractitionerFactory(full_name="Priya Patel", team=team)
    start = timezone.localdate() - dt.timedelta(days=20)
    case = CaseFactory(lead_practitioner=lead, family_name="Begum family", referral_date=start)
    for index, name in enumerate(["Home visit", "Team around the family", "Review visit"]):
        mapping = SafetyMappingFactory(
            case=case, meeting_on=start + dt.timedelta(days=3 + 6 * index), meeting_name=name
        )
        for person, kind, ratings in PEOPLE:
            SafetyRatingFactory(mapping=mapping, rater_name=person, rater_kind=kind, rating=ratings[index])
    return case, lead


@pytest.fixture
def signed_in(browser, live_server, mapped_case):
    case, lead = mapped_case
    client = Client()
    client.force_login(lead)
    context = browser.new_context(
        base_url=live_server.url,
        locale="en-GB",
        viewport={"width": 1024, "height": 900},
        service_workers=NO_SERVICE_WORKER,
    )
    context.add_cookies(
        [
            {
                "name": django_settings.SESSION_COOKIE_NAME,
                "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    csp_errors = []
    page.on(
        "console", lambda msg: csp_errors.append(msg.text) if "Content Security Policy" in msg.text else None
    )
    yield page, case, csp_errors
    context.close()


def _open_chart(page, case):
    page.goto(f"/practice/cases/{case.pk}/signs-of-safety/")
    chart = page.locator("svg#safety-chart")
    chart.wait_for(state="visible")
    return chart


def test_the_chart_names_every_person_with_a_shape_of_their_own(signed_in):
    page, case, csp_errors = signed_in
    chart = _open_chart(page, case)
    assert chart.is_visible()
    box = chart.bounding_box()
    assert box["width"] > 300 and box["height"] > 200

    # Each person's latest rating is written beside their line, in words.
    for name, _, ratings in PEOPLE:
        label = chart.locator("text.app-safety-chart__label", has_text=name)
        assert label.count() == 1
        assert label.is_visible()
        assert label.text_content().strip() == f"{name}: {ratings[-1]}"

    # Distinct silhouettes per person, one marker per rating.
    series = chart.locator("g.app-safety-chart__series")
    shapes = series.evaluate_all("els => els.map(e => e.dataset.shape)")
    outlines = series.evaluate_all(
        "els => els.map(e => e.querySelector('path.app-safety-chart__marker').getAttribute('d'))"
    )
    assert len(shapes) == len(PEOPLE) and len(set(shapes)) == len(PEOPLE)
    assert len(set(outlines)) == len(PEOPLE)
    assert chart.locator("path.app-safety-chart__marker").count() == 9
    # And distinct line patterns, so lines can be told apart where they cross.
    dashes = series.evaluate_all(
        "els => els.map(e => e.querySelector('polyline').getAttribute('stroke-dasharray') || 'solid')"
    )
    assert len(set(dashes)) == len(PEOPLE)

    # A key above the chart names each person's shape in words, for phones and screen readers.
    key = [" ".join(t.split()) for t in page.locator(".app-chart-legend li").all_text_contents()]
    assert key == [
        "Rukhsana Begum (family member, circle): latest 6 out of 10",
        "Priya Patel (professional, square): latest 5 out of 10",
        "Alex Adeyemi (professional, triangle): latest 6 out of 10",
    ]

    # The same numbers as a table beside the chart.
    table = page.locator("table#safety-ratings")
    assert table.is_visible()
    headers = table.locator("thead th").all_text_contents()
    assert [h.strip() for h in headers] == ["Meeting"] + [name for name, _, _ in PEOPLE]
    first_row = table.locator("tbody tr").first.locator("td").all_text_contents()
    assert [c.strip() for c in first_row] == [str(r[0]) for _, _, r in PEOPLE]

    assert not csp_errors, csp_errors


def test_the_chart_reads_without_colour(signed_in):
    page, case, _ = signed_in
    page.emulate_media(forced_colors="active")
    chart = _open_chart(page, case)
    assert page.evaluate("matchMedia('(forced-colors: active)').matches")
    # Paint the chart in greys only: what is left to tell people apart is shape and text.
    chart.evaluate("svg => svg.setAttribute('filter', 'grayscale(1)')")
    for name, _, _ in PEOPLE:
        assert chart.locator("text.app-safety-chart__label", has_text=name).is_visible()
    markers = chart.locator("path.app-safety-chart__marker")
    assert all(markers.nth(i).is_visible() for i in range(markers.count()))
    silhouettes = chart.locator("g.app-safety-chart__series").evaluate_all(
        "els => els.map(e => e.querySelector('path.app-safety-chart__marker').getAttribute('d'))"
    )
    assert len(set(silhouettes)) == len(PEOPLE)
    # Markers keep their own outline shapes whatever colours the system imposes.
    assert chart.screenshot(type="png")


def test_the_chart_fits_a_small_phone(signed_in):
    page, case, _ = signed_in
    page.set_viewport_size({"width": 320, "height": 640})
    chart = _open_chart(page, case)
    assert chart.is_visible()
    # The chart scrolls inside its own box; the page itself never scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_the_chart_prints(signed_in):
    page, case, _ = signed_in
    page.emulate_media(media="print")
    chart = _open_chart(page, case)
    assert chart.is_visible()
    assert page.locator("table#safety-ratings").is_visible()
    assert not page.locator(".govuk-breadcrumbs").is_visible()
