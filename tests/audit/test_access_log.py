"""Every view of case content writes one access-log row; refusals and failed logins are logged.

The pages are the authorization matrix's: each GET page is either case content, checked here
as an allowed role, or named below as not case content with the reason.
"""

import pytest
from django.core.cache import cache
from django.urls import reverse

from cases.models import AccessLogEntry
from tests.authz.test_matrix import ENTRIES
from tests.factories import PractitionerFactory
from tests.factories.cases import PASSWORD
from tests.security_log import security_messages

LOGIN = "/accounts/login/"

# GET pages that show no one case's content, and why.
NOT_CASE_CONTENT = {
    "home": "redirects to the user's start page",
    "healthz": "service health, no data",
    "cases:my_cases": "a list of the user's cases: references and names, each page logs when opened",
    "cases:case_create": "an empty form for a new referral",
    "flowchart:oversight_queue": "the old address of the manager's queue: sends them to Needs you",
    "needs_you:queue": "a manager's list of what waits for them: names and references, each logs when opened",
    "flowchart:notifications": "the user's own notifications",
    "engagement:document_verify": "an upload form to check any PDF; nothing is read from a case",
    "riskassessment:shared_list": "the member's list of assessments shared with them",
    "socialwork:allocated_cases": "the social worker's list of their cases: references and names, each logs when opened",
    "dashboard:teams": "a manager's list of their teams",
    "dashboard:team_dashboard": "a team's figures in aggregate; each case listed logs when opened",
    "dashboard:figure_cases": "the cases behind a figure, by reference; each logs when opened",
    "flowchart:pathway_list": "the admin's pathway editor: configuration, no case",
    "flowchart:pathway_steps": "a pathway version's steps, and episodes counted per version",
    "flowchart:pathway_step_change": "one step of a pathway's draft: configuration, no case",
    "flowchart:pathway_publish": "a made-up sample family replayed, and episodes counted per version",
    "insight:overview": "figures in aggregate across cases, no one case's content",
    "insight:figure_csv": "figures in aggregate, as a spreadsheet",
    "insight:sudden_drops": "a list of cases whose engagement fell; each logs when opened",
    "today:my_work": "the practitioner's own cases as cards, as My cases lists them; each logs when opened",
    "signed_out": "says why the person was signed out; no case",
    "today:offline": "the offline page: holds no case, the phone fills it in from what it keeps",
    "today:offline_cases": "references, family and people's names and next steps of the user's own cases, as My cases lists them",
    "manifest": "the installable app's manifest: no data",
    "javascript_catalog": "the words the interface's JavaScript shows: no data",
    "cases:outbox": "the local outbox across the user's cases: it logs one row for each case whose messages it shows",
    "engagement:message_costs": "texts sent and their cost, counted per team and across the council: no case",
    "engagement:unmatched_texts": "texts from numbers matching nobody: no case yet; each read logs one row with no case",
    "engagement:unmatched_text_place": "one text from a number matching nobody: no case yet; each read logs one row with no case",
    "service_worker": "the app's service worker script: no data",
    "returns:index": "the list of statutory returns: no case",
    "returns:return_detail": "a return checked across many cases: one access-log row for each case whose failing row it names",
    "returns:return_csv": "a return's file across many cases: one access-log row for each case in it, and one for the export",
    "returns:return_errors_csv": "a return's failing rows: one access-log row for each case named, and one for the list",
    "supporting_families:claim_list": "the claim list's old address: sends on to its return's page, which logs as every return does",
    "supporting_families:claim_list_csv": "the claim list file's old address: sends on to its return's file, which logs as every return does",
    "subject_access:request_list": "the information governance officer's requests: names and dates, no case content",
    "subject_access:request_new": "the search for a person across the authority: names and dates of birth to choose from",
    "subject_access:request_detail": "a request gathering one person's records from many cases: logged on each case when gathered",
    "subject_access:item_review": "one gathered item, copied from a case when the request was opened and logged on that case then",
    "subject_access:bundle_pdf": "the released bundle across many cases: one access-log row on each case at each download",
}
# GET pages that only send the user on to the page that shows the content, which logs it.
SENDS_ON = {
    "cases:case_close": "closing is the manager's decision: sends the practitioner to ask, the manager to close",
    "riskassessment:assessment_edit_moved": "the retired one-page edit's address: sends on to the task list",
}
# Who looks, in order of preference, when several roles may.
VIEWERS = ("lead", "manager", "agency", "social_worker")


def _is_case_content(name, entry, world) -> bool:
    return "case_pk" in entry.kwargs(world) or name.startswith("riskassessment:shared_")


def get_pages():
    return sorted(name for name, entry in ENTRIES.items() if "GET" in entry.methods)


def test_every_get_page_is_classified():
    stale = sorted(set(NOT_CASE_CONTENT) - set(get_pages()))
    assert not stale, f"Listed as not case content but no such GET page: {stale}"


@pytest.mark.parametrize("name", [n for n in get_pages() if n not in NOT_CASE_CONTENT])
def test_viewing_case_content_writes_one_access_log_row(name, world, client):
    entry = ENTRIES[name]
    assert _is_case_content(name, entry, world), f"{name}: classify it in NOT_CASE_CONTENT or give it a case"
    role = next(role for role in VIEWERS if role in entry.allowed)
    user = world.users[role]
    url = reverse(name, kwargs=entry.kwargs(world))
    client.force_login(user)
    before = set(AccessLogEntry.objects.values_list("pk", flat=True))
    response = client.get(url, follow=name in SENDS_ON)
    assert response.status_code == 200, f"{role} GET {url}: {response.status_code}"
    new = list(AccessLogEntry.objects.exclude(pk__in=before))
    assert len(new) == 1, f"{name}: {len(new)} access-log rows for one view: {[e.what for e in new]}"
    (row,) = new
    assert (row.user, row.case, row.denied) == (user, world.case, False)
    assert row.path == (response.request["PATH_INFO"] if name in SENDS_ON else url) and row.what


@pytest.mark.parametrize("name", sorted(NOT_CASE_CONTENT))
def test_pages_that_are_not_case_content_show_no_case(name, world, client):
    """The reason above holds: no access-log row is written and none is needed."""
    entry = ENTRIES[name]
    assert "case_pk" not in entry.kwargs(world)


# Refusals.


def test_a_refused_case_is_logged_with_who_asked(world, client, security_log):
    outsider = world.users["other_practitioner"]
    client.force_login(outsider)
    url = reverse("cases:case_detail", kwargs={"case_pk": world.case.pk})
    assert client.get(url).status_code == 404
    row = AccessLogEntry.objects.get(user=outsider, case=world.case)
    assert row.denied and row.path == url
    assert any(
        f"access denied: user={outsider.pk}" in m and f"id={world.case.pk}" in m
        for m in security_messages(security_log)
    )


def test_a_refused_manager_action_is_logged_too(world, client, security_log):
    lead = world.users["lead"]
    client.force_login(lead)
    url = reverse("cases:case_reassign", kwargs={"case_pk": world.case.pk})
    assert client.get(url).status_code == 404
    assert AccessLogEntry.objects.filter(user=lead, case=world.case, denied=True).exists()


def test_a_case_that_does_not_exist_is_logged_to_the_security_log_only(world, client, security_log):
    client.force_login(world.users["lead"])
    count = AccessLogEntry.objects.count()
    assert client.get(reverse("cases:case_detail", kwargs={"case_pk": 987654})).status_code == 404
    assert AccessLogEntry.objects.count() == count
    assert any("id=987654" in m for m in security_messages(security_log))


def test_a_page_for_another_role_is_logged(world, client, security_log):
    client.force_login(world.users["lead"])
    assert client.get(reverse("riskassessment:shared_list")).status_code == 404
    assert any("page for another role" in m for m in security_messages(security_log))


def test_any_other_not_found_for_a_signed_in_user_is_logged(world, client, security_log):
    """Objects inside a visible case answer 404 in the app's views; the middleware logs those."""
    client.force_login(world.users["lead"])
    url = reverse("engagement:attempt_detail", kwargs={"case_pk": world.case.pk, "pk": 999999})
    assert client.get(url).status_code == 404
    assert any("answered 404" in m and url in m for m in security_messages(security_log))


def test_refused_views_are_not_counted_as_views(world, client):
    # The world's own making may log reads on the case (a subject access request gathers from it).
    before = set(AccessLogEntry.objects.filter(case=world.case).values_list("pk", flat=True))
    client.force_login(world.users["other_practitioner"])
    client.get(reverse("cases:case_detail", kwargs={"case_pk": world.case.pk}))
    new = AccessLogEntry.objects.filter(case=world.case, denied=False).exclude(pk__in=before)
    assert not new.exists()


# Logins.


@pytest.fixture
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def test_a_failed_login_is_logged_without_the_password(db, client, security_log, _fresh_rate_limits):
    user = PractitionerFactory()
    client.post(LOGIN, {"login": user.email, "password": "Wrong-horse-987"})
    messages = security_messages(security_log)
    assert any("login failed" in m and user.email in m for m in messages)
    assert not any("Wrong-horse-987" in m for m in messages)


def test_a_password_typed_into_the_email_box_is_not_logged(db, security_log):
    """The login form refuses a login that is not an email address before checking it; any other
    way in that reaches authentication logs the attempt without what was typed."""
    from django.contrib.auth import authenticate

    assert authenticate(None, email="Tr0ub4dor&3-secret", password="x") is None
    messages = security_messages(security_log)
    assert any("login failed: login=(not an email address)" in m for m in messages)
    assert not any("Tr0ub4dor" in m for m in messages)


def test_logins_and_logouts_are_logged(db, client, security_log, _fresh_rate_limits):
    user = PractitionerFactory()
    client.post(LOGIN, {"login": user.email, "password": PASSWORD})
    client.post("/accounts/logout/")
    messages = security_messages(security_log)
    assert any(m.startswith(f"login: user={user.pk}") for m in messages)
    assert any(m.startswith(f"logout: user={user.pk}") for m in messages)
