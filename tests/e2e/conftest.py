"""Browser tests: Debian's chromium driven by Playwright against the live test server."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests import browser_setup
from tests.browser_setup import NO_SERVICE_WORKER
from tests.seeds import seed_what_the_migrations_seed

from .audit import TALLY
from .journey import Journey

# Debian's chromium and plain static files, as every browser test has them (tests/browser_setup.py).
browser_type_launch_args = browser_setup.browser_type_launch_args
_plain_static_files = browser_setup._plain_static_files

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# around it are still synchronous and safe.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

# Signing a document renders and signs a PDF inside the request: on a busy machine that can
# take longer than the default 5 seconds an expectation waits.
expect.set_options(timeout=15_000)

PHONE = {"width": 375, "height": 667}
DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture
def phone(browser, live_server, transactional_db, _plain_static_files):
    """A page on a phone-sized screen, pointed at the live server."""
    context = browser.new_context(
        viewport=PHONE, base_url=live_server.url, locale="en-GB", service_workers=NO_SERVICE_WORKER
    )
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def _seeded(transactional_db):
    """The seeds, in case the test before this one was transactional too (see tests/seeds.py)."""
    seed_what_the_migrations_seed()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.call_failed = report.failed
    return report


@pytest.fixture
def journeys(request, browser, live_server, _seeded, _plain_static_files):
    """Open a browser session for a person: `journeys("Priya, lead practitioner", viewport=PHONE)`.

    With E2E_ARTIFACTS set to a folder, a failing test leaves each session's last page there.
    """
    opened = []

    def open_journey(who: str, *, viewport=PHONE) -> Journey:
        context = browser.new_context(
            viewport=viewport,
            base_url=live_server.url,
            locale="en-GB",
            accept_downloads=True,
            service_workers=NO_SERVICE_WORKER,
        )
        journey = Journey(context.new_page(), who)
        opened.append((context, journey))
        return journey

    yield open_journey
    failed = getattr(request.node, "call_failed", False)
    artifacts = os.environ.get("E2E_ARTIFACTS")
    for index, (context, journey) in enumerate(opened):
        if failed and artifacts:
            stem = Path(artifacts) / f"{request.node.name}-{index}"
            stem.parent.mkdir(parents=True, exist_ok=True)
            journey.page.screenshot(path=f"{stem}.png", full_page=True)
            Path(f"{stem}.html").write_text(journey.page.content())
        context.close()
        if not failed:
            journey.all_checked()


def pytest_terminal_summary(terminalreporter):
    if TALLY.pages_checked:
        terminalreporter.section("accessibility of the pages the browser journeys visited")
        for line in TALLY.lines():
            terminalreporter.write_line(line)
