"""The whole corpus in a real browser (issue 9): Debian's chromium loads every page carrying payloads.

The authorization matrix's world gets a payload in every free-text column of every row; then each
person opens every page the matrix lets them open, and every element of each page is sent the
events payloads wait for (mouseover, focus, toggle...). No alert, confirm or prompt may open,
nothing may set `window.__xss` (what every payload runs if it gets through), and the console must
stay free of errors. The columns are filled again with the next payloads until every payload of
the corpus has been on a page.

The Content-Security-Policy is switched off here: it would block an inline script that got
through and hide the escaping failure this test looks for behind a console message. What stands
between the payloads and the browser here is escaping alone.
"""

import urllib.request

import pytest
from django.test import Client

from tests.browser_setup import NO_SERVICE_WORKER
from tests.seeds import seed_what_the_migrations_seed

from .figures import record
from .matrix import ENTRIES, matrix_world
from .payloads import PAYLOADS, markers_in
from .scenario import Filler
from .stored import fill_every_text_column

pytestmark = pytest.mark.e2e

# Browsers download these rather than show them (the other tests read them); the health check is
# plain text for a load balancer, not a page; the offline app's manifest, service worker and kept
# cases are JSON and script that no tab shows (opened as a page, the browser's request for a
# favicon answers 404). test_injection reads them all.
NOT_PAGES = ("_pdf", "_csv", "healthz", "manifest", "service_worker", "offline_cases", "_callback")
# Everyone who sees case content. (The admin's screens are Django's, read in test_injection.)
PEOPLE = ("lead", "manager", "agency")
GENERATIONS = 4  # refills of every column, at most, to get the whole corpus onto pages

# Everything a payload's handler could be waiting for, fired at every element of the page.
PROVOKE = """() => {
  for (const element of document.querySelectorAll('*')) {
    for (const type of ['mouseover', 'mouseenter', 'pointerover', 'focus', 'focusin', 'toggle',
                        'animationstart', 'begin', 'start', 'load', 'error']) {
      element.dispatchEvent(new Event(type));
    }
  }
  return window.__xss === undefined ? null : String(window.__xss);
}"""


@pytest.fixture
def _seeded(transactional_db):
    """The seeds, in case the test before this one was transactional too (see tests/seeds.py)."""
    seed_what_the_migrations_seed()


@pytest.fixture
def signed_in(browser, live_server, _seeded, _plain_static_files, settings):
    """A browser of the person's own, signed in, as each has their own device; the one before is
    closed first (`settle`). Swapping the session cookie within one browser raced the pages' own
    background requests (drafts saved as the sweep fires input events), whose answers, arriving
    after the swap, set the earlier person's session cookie again."""
    settings.SECURE_CSP = {}
    opened = []

    def settle():
        """Close every browser and wait for the server to answer what they had sent (a draft saved
        as a page was left): the server answers one request at a time on the test's own database
        connection, so the refill that follows must not run beside it."""
        while opened:
            opened.pop().close()
        with urllib.request.urlopen(f"{live_server.url}/healthz", timeout=60) as answer:
            assert answer.status == 200

    def open_for(user):
        # The last person's browser goes first: its pages may still send a draft saved as they
        # type (the sweep fires every element's events), beside this sign-in's own queries.
        settle()
        client = Client()
        client.force_login(user)
        context = browser.new_context(
            base_url=live_server.url, locale="en-GB", service_workers=NO_SERVICE_WORKER
        )
        context.add_cookies(
            [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
        )
        opened.append(context)
        return context

    open_for.settle = settle
    yield open_for
    settle()


@pytest.mark.slow
def test_no_payload_runs_in_a_real_browser(signed_in, settings):
    world = matrix_world(settings)
    dialogs, errors, problems = [], [], []
    pages = {}

    def page_of(role, generation):
        # Signed in afresh after each refill, as before it: the filler rewrites users' columns too.
        if (role, generation) not in pages:
            page = pages[role, generation] = signed_in(world.users[role]).new_page()
            page.on("dialog", lambda d: (dialogs.append(f"{page.url}: {d.type} {d.message}"), d.dismiss()))
            page.on("console", lambda m: m.type == "error" and errors.append(f"{page.url}: {m.text}"))
            page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
            page.on(
                "response", lambda r: r.status >= 400 and errors.append(f"{page.url}: {r.status} for {r.url}")
            )
        return pages[role, generation]

    shown, corpus = set(), {p.marker for p in PAYLOADS}
    for generation in range(GENERATIONS):
        # Each refill hands out only the payloads no page has shown yet (some columns show nowhere).
        fill = Filler(0, pool=[p for p in PAYLOADS if p.marker not in shown])
        fill_every_text_column(fill)
        for role in PEOPLE:
            page = page_of(role, generation)
            for name, entry in sorted(ENTRIES.items()):
                if "GET" not in entry.methods or role not in entry.allowed or name.endswith(NOT_PAGES):
                    continue
                url = world.urls[name]
                response = page.goto(url, wait_until="load")
                assert response is not None and response.status < 400, f"{role} {url}"
                ran = page.evaluate(PROVOKE)
                if ran is not None:
                    problems.append(f"{role} {url}: window.__xss = {ran}")
                # Text and form values alike (an edit form holds the payload in a value attribute).
                shown |= markers_in(page.content())
                record("browser", "pages", url)
                record("browser", "URLs x roles", (url, role))
                record("browser", "page loads", (url, role, generation))
        signed_in.settle()
        if corpus <= shown:
            break
    assert not dialogs, "dialogs opened:\n" + "\n".join(dialogs)
    assert not problems, "\n".join(problems)
    assert not errors, "console errors:\n" + "\n".join(errors)
    # The browser showed every payload as text.
    assert corpus <= shown, (
        f"{len(corpus - shown)} payloads never reached a page: {sorted(corpus - shown)[:10]}"
    )
    record("browser", "payloads shown as text", *shown)
