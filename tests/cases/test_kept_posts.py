"""An expired session or a failed CSRF check never loses what was typed (issue 21).

The issue: "Submitting then lands on a bare sign-in page with no message; after signing in the
form is empty and the doorstep notes are gone." Now the post is kept for the user who typed it,
and only for them, and they land back on the form with their text and a banner.
"""

import datetime as dt
import re

import pytest
import time_machine
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from cases.concurrency import version_of
from cases.kept_posts import BANNER, KEPT_POST_COOKIE, LAST_USER_COOKIE
from cases.models import KeptPost
from cases.tasks import kept_posts_expire
from engagement.documents import services as documents
from engagement.documents.models import Letter, LetterStep
from engagement.models import AttemptKind, AttemptOutcome, ContactAttempt
from flowchart.services import episode_refresh
from riskassessment import services as assessment_services
from riskassessment.models import ActionKind, AssessmentStatus, FactorSide
from riskassessment.selectors import assessment_view
from tests.factories import CaseFactory, ContactAttemptFactory
from tests.factories.cases import PASSWORD, parent_of
from tests.factories.flowchart import DecisionFactory, EpisodeFactory
from tests.factories.practice import SupervisionRecordFactory
from tests.factories.riskassessment import ActionFactory, AssessmentFactory, FactorFactory

NOTES = "Knocked twice at 9:15; a child's voice upstairs, nobody came to the door."
SHOWN = escape(NOTES)  # as the page shows it


def attempt_url(case):
    return reverse("engagement:attempt_record", kwargs={"case_pk": case.pk})


def attempt_data(lead, **overrides):
    data = {
        "kind": AttemptKind.UNANNOUNCED_VISIT,
        "occurred_on_0": "5",
        "occurred_on_1": "11",
        "occurred_on_2": "2026",
        "occurred_time": "09:15",
        "outcome": AttemptOutcome.DOOR_NOT_OPENED,
        "made_by": lead.pk,
        "notes": NOTES,
    }
    return data | overrides


@pytest.fixture(autouse=True)
def _sign_ins_not_yet_counted():
    """These tests sign in through the sign-in page, many a minute; allauth counts sign-ins per
    address in the cache (Redis in CI's PostgreSQL pass), and would refuse the later ones."""
    cache.clear()


def sign_in(client, user, at=None):
    return client.post(at or reverse("account_login"), {"login": user.email, "password": PASSWORD})


def expire_session(client):
    """The idle timeout: the session row and its cookie are gone; the browser's other cookies stay."""
    client.session.flush()
    client.cookies.pop(settings.SESSION_COOKIE_NAME, None)


@pytest.fixture
def signed_in(client, lead):
    """The lead practitioner signed in through the sign-in page, as in a browser."""
    assert sign_in(client, lead).status_code == 302
    assert LAST_USER_COOKIE in client.cookies
    return client


def test_expired_session_submit_comes_back_after_sign_in_with_the_text_and_a_banner(signed_in, case, lead):
    expire_session(signed_in)
    response = signed_in.post(attempt_url(case), attempt_data(lead))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not ContactAttempt.objects.exists()
    kept = KeptPost.objects.get()
    assert kept.user == lead and kept.fields["notes"] == [NOTES]
    # The browser holds only the token, never the text.
    assert NOTES not in str(signed_in.cookies)

    login_page = signed_in.get(response["Location"])
    assert "your answers are kept" in login_page.content.decode()
    # The sign-in page carries the form's address (?next=...): back there after signing in.
    signed_back = sign_in(signed_in, lead, at=response["Location"])
    assert signed_back["Location"] == attempt_url(case)

    form_page = signed_in.get(signed_back["Location"])
    html = form_page.content.decode()
    assert SHOWN in html
    assert BANNER in html
    # Shown, not saved: the person checks and saves again. Claimed, the kept post is gone.
    assert not ContactAttempt.objects.exists()
    assert not KeptPost.objects.exists()
    assert SHOWN not in signed_in.get(attempt_url(case)).content.decode()

    saved = signed_in.post(attempt_url(case), attempt_data(lead))
    assert saved.status_code == 302
    assert ContactAttempt.objects.get().notes == NOTES


def test_another_person_signing_in_on_the_same_browser_never_sees_the_text(signed_in, case, lead, colleague):
    """The colleague can open the case's form themselves, and still does not get the lead's text."""
    expire_session(signed_in)
    signed_in.post(attempt_url(case), attempt_data(lead))
    assert KeptPost.objects.count() == 1

    sign_in(signed_in, colleague)
    html = signed_in.get(attempt_url(case)).content.decode()
    assert SHOWN not in html and BANNER not in html
    assert not KeptPost.objects.exists()


def test_an_expired_session_with_no_known_user_keeps_nothing(client, case, lead):
    response = client.post(attempt_url(case), attempt_data(lead))
    assert response.status_code == 302
    assert not KeptPost.objects.exists()
    assert KEPT_POST_COOKIE not in client.cookies


def test_a_kept_post_goes_after_its_period(signed_in, case, lead, settings):
    settings.KEPT_POST_SECONDS = 60 * 60
    expire_session(signed_in)
    signed_in.post(attempt_url(case), attempt_data(lead))
    with time_machine.travel(dt.timedelta(hours=1, minutes=1), tick=False):
        sign_in(signed_in, lead)
        html = signed_in.get(attempt_url(case)).content.decode()
    assert SHOWN not in html
    assert not KeptPost.objects.exists()


def test_the_hourly_task_deletes_a_kept_post_nobody_came_back_for(signed_in, case, lead, settings):
    settings.KEPT_POST_SECONDS = 60 * 60
    expire_session(signed_in)
    signed_in.post(attempt_url(case), attempt_data(lead))
    assert kept_posts_expire() == 0
    with time_machine.travel(dt.timedelta(hours=1), tick=False):
        assert kept_posts_expire() == 1
    assert not KeptPost.objects.exists()


def test_a_kept_post_is_given_back_only_on_its_own_page(signed_in, case, lead):
    expire_session(signed_in)
    signed_in.post(attempt_url(case), attempt_data(lead))
    # Signing in from a bare sign-in page still goes back to the kept form.
    assert sign_in(signed_in, lead)["Location"] == attempt_url(case)
    other_case_page = reverse("engagement:chronology", kwargs={"case_pk": case.pk})
    assert SHOWN not in signed_in.get(other_case_page).content.decode()
    assert KeptPost.objects.count() == 1
    assert SHOWN in signed_in.get(attempt_url(case)).content.decode()


def test_csrf_failure_shows_a_plain_page_keeps_the_text_and_the_link_restores_it(case, lead):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(lead)
    # The page was open while the person signed in again in another tab: its token is stale.
    response = browser.post(attempt_url(case), attempt_data(lead, csrfmiddlewaretoken="stale" * 8))
    assert response.status_code == 403
    html = response.content.decode()
    assert "Your answers could not be saved because the page had been open too long" in html
    assert "Your answers are kept" in html
    assert "CSRF" not in html
    assert f'href="{attempt_url(case)}"' in html
    kept = KeptPost.objects.get()
    assert kept.user == lead
    assert "csrfmiddlewaretoken" not in kept.fields

    back = browser.get(attempt_url(case)).content.decode()
    assert SHOWN in back and BANNER in back
    assert not ContactAttempt.objects.exists()


@pytest.mark.parametrize(
    "headers", [{"HTTP_ORIGIN": "https://elsewhere.example"}, {"HTTP_SEC_FETCH_SITE": "cross-site"}]
)
def test_a_post_from_another_site_is_never_kept(case, lead, headers):
    """A page elsewhere, posting into the service, must not put its text in the lead's form."""
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(lead)
    response = browser.post(attempt_url(case), attempt_data(lead), **headers)
    assert response.status_code == 403
    assert "Your answers are kept" not in response.content.decode()
    assert not KeptPost.objects.exists()


def test_a_csrf_failure_on_an_account_page_keeps_no_password(client, lead):
    browser = Client(enforce_csrf_checks=True)
    response = browser.post(
        reverse("account_login"), {"login": lead.email, "password": PASSWORD, "csrfmiddlewaretoken": "x" * 32}
    )
    assert response.status_code == 403
    assert not KeptPost.objects.exists()


def test_no_password_field_is_ever_kept(case, lead):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(lead)
    browser.post(attempt_url(case), attempt_data(lead, password="secret", new_password1="secret"))
    assert set(KeptPost.objects.get().fields) == set(attempt_data(lead))


def _covered_pages(case):
    """Each long form: its page, and what was typed on it (one field, or the rows of a table)."""
    attempt = ContactAttemptFactory(case=case)
    draft = AssessmentFactory(case=case)
    factor = FactorFactory(assessment=draft)
    action = ActionFactory(assessment=draft)
    # The signature is asked for once oversight is recorded; before that, the oversight action.
    # (One live assessment a case: this one is on another of the team's cases.)
    overseen = AssessmentFactory(case=CaseFactory(lead_practitioner=case.lead_practitioner))
    ActionFactory(assessment=overseen, kind=ActionKind.OVERSIGHT)
    agreement = documents.agreement_start(case=case, by=case.lead_practitioner)
    # An earlier run of the flow chart ended with its decision (to be shared); the live one
    # awaits its own.
    earlier = EpisodeFactory(case=case)
    decided = DecisionFactory(episode=earlier, outcome="continue")
    episode_refresh(episode=earlier)
    EpisodeFactory(case=case)
    supervision = SupervisionRecordFactory(case=case)
    parent = parent_of(case)
    letter = Letter.objects.create(
        case=case,
        step=LetterStep.DAY_10,
        recipient=parent,
        address="1 Mill Lane",
        subject="We would like to meet you",
        body="Dear Ms Okafor",
        created_by=case.lead_practitioner,
    )

    def assessment(name, **kwargs):
        return reverse(f"riskassessment:{name}", kwargs={"case_pk": case.pk, "pk": draft.pk, **kwargs})

    def on_case(name, **kwargs):
        return reverse(name, kwargs={"case_pk": case.pk, **kwargs})

    risk = {"side": FactorSide.RISK}
    return {
        "contact attempt, corrected": (on_case("engagement:attempt_edit", pk=attempt.pk), "notes"),
        "hostile incident": (on_case("engagement:hostile_incident_record"), "what_happened"),
        "supervision": (on_case("practice:supervision_new"), "concerns"),
        "assessment, about": (assessment("assessment_about"), "participants"),
        "assessment, analysis": (assessment("assessment_analysis"), "analysis"),
        "assessment, factor added": (assessment("assessment_factor_add", **risk), "evidence"),
        "assessment, factor changed": (
            assessment("assessment_factor_change", factor_pk=factor.pk, **risk),
            "evidence",
        ),
        "assessment, action added": (assessment("assessment_action_add"), "what"),
        "assessment, action changed": (assessment("assessment_action_change", action_pk=action.pk), "what"),
        "working together agreement": (on_case("engagement:agreement_edit", pk=agreement.pk), "goals"),
        "Signs of Safety": (on_case("practice:safety_new"), "danger_statements"),
        "letter outside the system": (on_case("engagement:letter_outside"), "body"),
        "inform the manager": (on_case("flowchart:manager_inform"), "strategies_tried"),
        "closure request": (on_case("flowchart:closure_request"), "reason"),
        "GROW goal": (on_case("practice:goal_new"), "goal"),
        "letter": (on_case("engagement:letter_edit", pk=letter.pk), "body"),
        "escalation to the MASH": (on_case("flowchart:safeguarding_escalate"), "concern"),
        # Knowsley's day-8 step is "if possible".
        "step not possible": (on_case("flowchart:step_not_possible", order=8), "reason"),
        "share decision": (on_case("flowchart:decision_share", pk=decided.pk), "next_steps"),
        "agreement signing": (on_case("engagement:agreement_sign", pk=agreement.pk), "typed_name"),
        # Nothing typed, only chosen: the choice comes back checked.
        "letter start": (
            on_case("engagement:letter_start"),
            {"step": LetterStep.DAY_10, "recipient": str(parent.pk)},
            f'<option value="{parent.pk}" selected>',
        ),
        "stage (cycle of change)": (on_case("practice:stage", person_pk=parent.pk), "evidence"),
        "scale rating": (on_case("practice:scale_rating_new"), "reason"),
        "family discussion": (on_case("practice:supervision_family", pk=supervision.pk), "notes"),
        # The manager's.
        "assessment, oversight": (
            assessment("assessment_oversight"),
            {"oversight-TOTAL_FORMS": "1", "oversight-INITIAL_FORMS": "0", "oversight-0-what": NOTES},
        ),
        "assessment, sign: the oversight asked for in place": (
            assessment("assessment_sign"),
            {"record_oversight": "Save", "oversight-what": NOTES},
        ),
        "assessment, sign": (
            reverse(
                "riskassessment:assessment_sign", kwargs={"case_pk": overseen.case_id, "pk": overseen.pk}
            ),
            "typed_name",
        ),
        "assessment, return": (assessment("assessment_return"), "reason"),
        "flow chart, oversight": (on_case("flowchart:oversight_record"), "discussion"),
        "closing the case": (on_case("flowchart:case_close"), "reasons"),
        "letter, approve or refuse": (on_case("engagement:letter_decide", pk=letter.pk), "notes"),
        "decision": (on_case("flowchart:decision_record"), "reasons"),
    }


LEADS_FORMS = [
    "contact attempt, corrected",
    "hostile incident",
    "supervision",
    "assessment, about",
    "assessment, analysis",
    "assessment, factor added",
    "assessment, factor changed",
    "assessment, action added",
    "assessment, action changed",
    "working together agreement",
    "Signs of Safety",
    "letter outside the system",
    "inform the manager",
    "closure request",
    "GROW goal",
    "letter",
    "escalation to the MASH",
    "step not possible",
    "share decision",
    "agreement signing",
    "letter start",
    "stage (cycle of change)",
    "scale rating",
    "family discussion",
]
MANAGERS_FORMS = [
    "assessment, oversight",
    "assessment, sign: the oversight asked for in place",
    "assessment, sign",
    "assessment, return",
    "flow chart, oversight",
    "closing the case",
    "letter, approve or refuse",
    "decision",
]


def _row(case, page):
    """A covered page's address, what is posted to it, and what shows it came back."""
    url, typed, *shown = _covered_pages(case)[page]
    data = typed if isinstance(typed, dict) else {typed: NOTES}
    return url, data, shown[0] if shown else SHOWN


def _kept_and_given_back(client, user, url, data, shown):
    expire_session(client)
    assert client.post(url, data).status_code == 302
    assert sign_in(client, user)["Location"] == url
    html = client.get(url).content.decode()
    assert shown in html and BANNER in html
    assert not KeptPost.objects.exists()
    return html


def _kept_after_a_csrf_failure(user, url, data, shown):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    assert browser.get(url).status_code == 200
    assert shown not in browser.get(url).content.decode()
    assert browser.post(url, data | {"csrfmiddlewaretoken": "stale" * 8}).status_code == 403
    html = browser.get(url).content.decode()
    assert shown in html and BANNER in html
    assert not KeptPost.objects.exists()


@pytest.mark.parametrize("page", LEADS_FORMS)
def test_the_other_long_forms_give_the_text_back_too(signed_in, case, lead, page):
    _kept_and_given_back(signed_in, lead, *_row(case, page))


@pytest.mark.parametrize("page", MANAGERS_FORMS)
def test_the_managers_forms_give_the_text_back_too(client, case, manager, page):
    assert sign_in(client, manager).status_code == 302
    _kept_and_given_back(client, manager, *_row(case, page))


@pytest.mark.parametrize("page", LEADS_FORMS)
def test_the_other_long_forms_give_the_text_back_after_a_csrf_failure(case, lead, page):
    _kept_after_a_csrf_failure(lead, *_row(case, page))


@pytest.mark.parametrize("page", MANAGERS_FORMS)
def test_the_managers_forms_give_the_text_back_after_a_csrf_failure(case, manager, page):
    _kept_after_a_csrf_failure(manager, *_row(case, page))


def _record_version(html) -> str:
    tag = re.search(r"<input[^>]*record_version[^>]*>", html).group(0)
    return re.search(r'value="(\d+)"', tag).group(1)


def test_a_form_given_back_keeps_the_version_first_opened_so_a_save_meanwhile_is_caught(
    signed_in, case, lead
):
    """Nothing is overwritten silently: the draft saved by someone else while the person was
    signed out is not replaced by their kept text without them being told."""
    draft = AssessmentFactory(case=case)
    url = reverse("riskassessment:assessment_analysis", kwargs={"case_pk": case.pk, "pk": draft.pk})
    opened_at = _record_version(signed_in.get(url).content.decode())
    expire_session(signed_in)
    typed = {"analysis": NOTES, "elevated_risk": "no", "record_version": opened_at}
    signed_in.post(url, typed)
    assessment_services.assessment_update_section(
        view=assessment_view(draft, with_sharing=False), by=lead, analysis="Changed in the other tab"
    )

    sign_in(signed_in, lead)
    html = signed_in.get(url).content.decode()
    assert SHOWN in html and _record_version(html) == opened_at
    refused = signed_in.post(url, typed).content.decode()
    assert "Someone else changed this since you opened it" in refused
    draft.refresh_from_db()
    assert draft.analysis == "Changed in the other tab"


def test_a_kept_signature_or_oversight_is_shown_not_saved(client, case, manager):
    """Given back on a GET, the sign page's forms show what was typed and record nothing."""
    draft = AssessmentFactory(case=case)
    url = reverse("riskassessment:assessment_sign", kwargs={"case_pk": case.pk, "pk": draft.pk})
    sign_in(client, manager)
    expire_session(client)
    oversight = {
        "record_oversight": "Save",
        "oversight-what": NOTES,
        "oversight-who": "Line manager",
        "oversight-by_when_0": "12",
        "oversight-by_when_1": "11",
        "oversight-by_when_2": "2026",
        "oversight-review_on_0": "19",
        "oversight-review_on_1": "11",
        "oversight-review_on_2": "2026",
    }
    client.post(url, oversight)
    sign_in(client, manager)
    html = client.get(url).content.decode()
    assert SHOWN in html and BANNER in html
    assert not assessment_view(draft, with_sharing=False).has_oversight

    # The signature form, once oversight is recorded: kept, shown, and the draft still unsigned.
    ActionFactory(assessment=draft, kind=ActionKind.OVERSIGHT)
    expire_session(client)
    client.post(url, {"typed_name": manager.full_name})
    sign_in(client, manager)
    html = client.get(url).content.decode()
    assert f'value="{escape(manager.full_name)}"' in html and BANNER in html
    draft.refresh_from_db()
    assert draft.status == AssessmentStatus.DRAFT and draft.signed_at is None


def test_a_corrected_attempt_given_back_carries_the_version_first_opened(signed_in, case, lead):
    attempt = ContactAttemptFactory(case=case)
    url = reverse("engagement:attempt_edit", kwargs={"case_pk": case.pk, "pk": attempt.pk})
    opened_at = _record_version(signed_in.get(url).content.decode())
    expire_session(signed_in)
    signed_in.post(url, {"notes": NOTES, "record_version": opened_at})
    attempt.notes = "Corrected in the other tab"
    attempt.save()  # a new history row: the attempt's version moves on
    assert version_of(attempt) != opened_at

    sign_in(signed_in, lead)
    html = signed_in.get(url).content.decode()
    assert SHOWN in html and _record_version(html) == opened_at


def test_kept_decision_answers_come_back_even_if_the_decision_was_recorded_meanwhile(client, case, manager):
    """Another manager recorded the decision while this one was signed out: their answers are
    still shown (recording them again is refused with the reason), never silently dropped."""
    url, data, shown = _row(case, "decision")
    sign_in(client, manager)
    expire_session(client)
    client.post(url, data)
    live = case.episodes.get(ended_on__isnull=True)
    DecisionFactory(episode=live)
    episode_refresh(episode=live)

    sign_in(client, manager)
    html = client.get(url).content.decode()
    assert shown in html and BANNER in html
