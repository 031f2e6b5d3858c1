"""Recording attempts with no connection, on a 390 px phone (issue 21, "Offline at the door").

Issue 21: "with the browser set offline, three attempts are recorded, the outbox shows them, the
connection returns, and each is saved exactly once with its own time, including when the sync is
interrupted and retried; an attempt refused on sync (case closed meanwhile) stays in the outbox
with its text." The outbox is checked by axe-core (no serious or critical violations) and, with
SCREENSHOTS_DIR set, photographed at 390 px and at a desktop width.

The page's service worker is blocked here: with it running, Playwright's routes would not see
the requests the worker makes, and the test breaks the first answer on its way back. The
worker's own caching is checked in tests/insight/today/test_offline.py.
"""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from engagement.models import ContactAttempt
from tests.factories import AdultFactory, CaseFactory, EpisodeFactory, PractitionerFactory

from . import audit
from .journey import Journey

pytestmark = pytest.mark.e2e

PHONE_390 = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
TIMES = ("08:05", "12:40", "17:10")


@pytest.fixture
def family(_seeded):
    lead = PractitionerFactory(email="priya@example.test", full_name="Priya Patel")
    today = timezone.localdate()
    case = CaseFactory(
        lead_practitioner=lead, family_name="Okafor family", referral_date=today - dt.timedelta(days=3)
    )
    EpisodeFactory(case=case)
    AdultFactory(case=case, full_name="Grace Okafor")
    return lead, case


@pytest.fixture
def priya(browser, live_server, family, _plain_static_files, monkeypatch, request):
    monkeypatch.setattr(audit, "SHOT_SIZES", {"phone": PHONE_390, "desktop": DESKTOP})
    context = browser.new_context(
        viewport=PHONE_390, base_url=live_server.url, locale="en-GB", service_workers="block"
    )
    journey = Journey(context.new_page(), "Lead practitioner")
    journey.sign_in(family[0].email)
    expect(journey.page.get_by_role("heading", level=1, name="My work today")).to_be_visible()
    journey.check("my work today")
    journey.page.goto("/today/offline/")
    main = journey.page.locator("main")
    expect(main.get_by_text(family[1].reference, exact=True)).to_be_visible()  # kept on the phone
    journey.check("offline page")
    yield journey
    context.close()
    if not getattr(request.node, "call_failed", False):
        journey.all_checked()


def record_offline(page, case, time: str, notes: str, day: dt.date | None = None) -> None:
    main = page.locator("main")
    main.get_by_role("button", name=f"Record an attempt on {case.reference}").click()
    form = main.locator("form")
    form.get_by_label("Kind of attempt").select_option(label="Unannounced home visit")
    fill_date(form, day or timezone.localdate() - dt.timedelta(days=1))
    form.get_by_label("Time of the attempt").fill(time)
    form.get_by_label("What happened").select_option(label="No answer")
    form.get_by_label("With whom in the family").select_option(label="Grace Okafor")
    form.get_by_label("Notes").fill(notes)
    form.get_by_role("button", name="Save to the outbox").click()
    expect(main.get_by_role("status")).to_contain_text("Saved to the outbox")


def fill_date(form, day: dt.date) -> None:
    form.get_by_label("Day").fill(str(day.day))
    form.get_by_label("Month").fill(str(day.month))
    form.get_by_label("Year").fill(str(day.year))


def test_a_server_fault_keeps_it_waiting_and_a_wrong_date_is_corrected_and_sent_again(priya, family):
    """A 5xx is a failure to retry, not a refusal; a date before the referral is refused with the
    reason, corrected in the form, and sent again with the same id."""
    _, case = family
    page = priya.page
    main = page.locator("main")
    page.context.set_offline(True)
    record_offline(
        page,
        case,
        "10:00",
        "Letter box full of post; no answer.",
        day=case.referral_date - dt.timedelta(days=2),
    )
    faults = []

    def fail_once(route):
        if not faults:
            faults.append(1)
            route.fulfill(status=503, content_type="application/json", body="{}")
        else:
            route.continue_()

    page.route("**/attempts/offline/", fail_once)
    page.context.set_offline(False)
    waiting = main.locator("[data-outbox-waiting] li")
    expect(waiting).to_contain_text("The service could not save it just now. It will be sent again.")

    main.get_by_role("button", name="Send now").click()
    refused = main.locator(".app-outbox-refused")
    expect(refused).to_contain_text(
        f"The attempt must be on or after the referral date, {case.referral_date:%-d %B %Y}"
    )
    refused.get_by_role("button", name="Correct and send again").click()
    form = main.locator("form")
    expect(form.get_by_label("Notes")).to_have_value("Letter box full of post; no answer.")
    fill_date(form, case.referral_date)
    form.get_by_role("button", name="Save to the outbox").click()
    expect(main.get_by_text("Nothing is waiting to be sent.")).to_be_visible()
    attempt = ContactAttempt.objects.get()
    assert timezone.localdate(attempt.occurred_at) == case.referral_date
    assert attempt.notes == "Letter box full of post; no answer."


def test_three_attempts_recorded_offline_are_each_saved_once_with_their_own_time(priya, family):
    _, case = family
    page = priya.page
    main = page.locator("main")
    page.context.set_offline(True)
    expect(page.get_by_role("region", name="You are offline")).to_be_visible()

    for number, time in enumerate(TIMES, start=1):
        record_offline(page, case, time, f"Visit {number}: knocked, no answer, card left.")
    waiting = main.locator("[data-outbox-waiting] li")
    expect(main.get_by_role("heading", name="Waiting to be sent: 3 attempts")).to_be_visible()
    expect(waiting).to_have_count(3)
    expect(waiting.nth(0)).to_contain_text("Unannounced home visit")
    assert not ContactAttempt.objects.exists()
    audit.check_page(
        page, "Lead practitioner: outbox, offline", shot="offline-outbox", shot_at="[data-offline-banner]"
    )

    # The connection returns, and the first answer is lost on its way back: the server saved the
    # attempt, the phone does not know it and keeps all three.
    lost = []

    def lose_the_first_answer(route):
        if not lost:
            lost.append(route.fetch().status)
            route.abort("connectionreset")
        else:
            route.continue_()

    page.route("**/attempts/offline/", lose_the_first_answer)
    page.context.set_offline(False)
    expect(page.get_by_role("region", name="You are offline")).to_be_hidden()
    expect(waiting.nth(0)).to_contain_text("It will be sent when the connection returns")
    assert lost == [201]
    expect(waiting).to_have_count(3)
    assert ContactAttempt.objects.count() == 1

    main.get_by_role("button", name="Send now").click()
    expect(main.get_by_text("Nothing is waiting to be sent.")).to_be_visible()
    expect(main.get_by_role("status")).to_contain_text("3 attempts sent and saved")

    yesterday = timezone.localdate() - dt.timedelta(days=1)
    saved = list(ContactAttempt.objects.order_by("occurred_at"))
    assert [timezone.localtime(a.occurred_at).strftime("%H:%M") for a in saved] == list(TIMES)
    assert {timezone.localdate(a.occurred_at) for a in saved} == {yesterday}
    assert [a.notes for a in saved] == [f"Visit {n}: knocked, no answer, card left." for n in (1, 2, 3)]
    assert len({a.client_id for a in saved}) == 3


def test_an_attempt_refused_on_sync_stays_in_the_outbox_with_its_text(priya, family):
    _, case = family
    page = priya.page
    main = page.locator("main")
    page.context.set_offline(True)
    record_offline(page, case, "09:30", "Spoke to the neighbour: the family moved out last week.")
    case.status, case.closed_on = "closed", timezone.localdate()
    case.save()

    page.context.set_offline(False)
    refused = main.locator(".app-outbox-refused")
    expect(refused).to_have_count(1)
    expect(refused).to_contain_text(f"This case was closed on {timezone.localdate():%-d %B %Y}")
    expect(refused).to_contain_text("Spoke to the neighbour: the family moved out last week.")
    expect(refused.get_by_role("button", name="Copy the text")).to_be_visible()
    assert not ContactAttempt.objects.exists()
    audit.check_page(
        page,
        "Lead practitioner: outbox with a refusal",
        shot="offline-outbox-refused",
        shot_at="[data-outbox]",
    )

    # Nothing else is waiting, and opening the page again (which sends what waits) keeps it.
    expect(main.get_by_role("button", name="Send now")).to_be_hidden()
    page.reload()
    priya.check("offline page, later")
    expect(main.locator(".app-outbox-refused")).to_contain_text("the family moved out last week")

    # Signing out warns that it is not sent; signing out anyway forgets the cases kept, not it.
    page.get_by_role("button", name="Sign out").click()
    warning = main.get_by_role("alert")
    expect(warning).to_contain_text("1 attempt recorded offline has not been sent")
    expect(warning.get_by_role("link", name="Go to the outbox")).to_be_visible()
    warning.get_by_role("button", name="Sign out anyway").click()
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Record attempts offline")
    priya.check("signed out")
    assert page.evaluate(KEPT_COUNTS) == {"cases": 0, "outbox": 1}


KEPT_COUNTS = """() => new Promise((resolve) => {
  const opening = indexedDB.open("engaging-families");
  opening.onsuccess = () => {
    const tx = opening.result.transaction(["cases", "outbox"]);
    const cases = tx.objectStore("cases").count();
    const outbox = tx.objectStore("outbox").count();
    tx.oncomplete = () => resolve({cases: cases.result, outbox: outbox.result});
  };
})"""


AGED = """async (days) => {
  const db = await idb.openDB("engaging-families", 1);
  const kept = await db.get("meta", "kept");
  kept.fetched_at = new Date(Date.now() - days * 24 * 60 * 60 * 1000 - 60000).toISOString();
  await db.put("meta", kept, "kept");
  return [await offlineStore.dropStaleCases(), (await db.getAll("cases")).length, kept.keep_days];
}"""


def test_the_cases_kept_go_after_the_admins_period_without_signing_in(priya, family):
    """Issue 21: "cleared ... after an admin-set period without signing in" (7 days by default)."""
    page = priya.page
    assert page.evaluate(AGED, 6) == [False, 1, 7]  # within the period: kept
    assert page.evaluate(AGED, 7) == [True, 0, 7]  # a day more: gone
    assert page.evaluate("async () => (await offlineStore.outbox()).length") == 0


def test_the_installed_app_opens_the_offline_page_with_no_connection(
    browser, live_server, family, _plain_static_files
):
    """The service worker keeps the offline page and its files, never a case page: with no
    connection the page opens, filled in from what the phone keeps, and the case page does not."""
    lead, case = family
    context = browser.new_context(viewport=PHONE_390, base_url=live_server.url, locale="en-GB")
    journey = Journey(context.new_page(), "Lead practitioner")
    page = journey.page
    journey.sign_in(lead.email)
    expect(page.get_by_role("heading", level=1, name="My work today")).to_be_visible()
    journey.check("my work today")
    page.goto("/today/offline/")
    expect(page.locator("main").get_by_text(case.reference, exact=True)).to_be_visible()
    journey.check("offline page")
    # Installing fetches the page and the static files it needs: slow on a busy machine.
    page.evaluate("async () => { await navigator.serviceWorker.ready; }")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=90_000)
    page.wait_for_function(
        "async () => Boolean(await (await caches.open('offline-page')).match('/today/offline/'))",
        timeout=90_000,
    )

    context.set_offline(True)
    page.reload()
    expect(page.get_by_role("region", name="You are offline")).to_be_visible()
    expect(page.locator("main").get_by_text(case.reference, exact=True)).to_be_visible()
    journey.check("offline page, opened offline")
    with pytest.raises(Exception, match="ERR_INTERNET_DISCONNECTED"):
        page.goto(f"/cases/{case.pk}/")
    # The browser shows its own "no internet" page after that goto has failed: wait for it, or it
    # interrupts the next navigation.
    page.wait_for_url(lambda url: url.startswith("chrome-error://"))
    page.wait_for_load_state()
    page.goto("/today/offline/")
    expect(page.locator("main").get_by_text(case.reference, exact=True)).to_be_visible()
    # The browser's own "no internet" page is not ours to check.
    journey.loads[:] = [url for url in journey.loads if not url.startswith("chrome-error://")]
    journey.check("offline page, opened offline again")
    cached = page.evaluate(
        "async () => { const out = []; for (const name of await caches.keys()) {"
        " for (const r of await (await caches.open(name)).keys()) out.push(new URL(r.url).pathname); }"
        " return out; }"
    )
    assert "/today/offline/" in cached and "/jsi18n/" in cached  # the page, and the words its scripts show
    assert all(path in {"/today/offline/", "/jsi18n/"} or path.startswith("/static/") for path in cached), (
        cached
    )
    context.close()
