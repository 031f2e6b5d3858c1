"""My work today: the lead practitioner's home page, what is owed first, one card per family.

Knowsley (000, Appendix 4) sets the minimum attempts by day: "Lead Practitioner to make telephone
contact with the family to arrange home visit. Before Day 3". The page puts the families whose
step is overdue first, then those due today, then this week, then the rest.
"""

import datetime as dt

import pytest
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils.html import escape

from cases.models import MembershipRole, MembershipStatus
from engagement.models import ContactAttempt
from engagement.safety.services import hostile_incident_record
from flowchart.schedule import OpenStep, Status, Summary
from flowchart.selectors import live_charts, practitioners_live_charts
from flowchart.services import case_flowchart_refresh
from insight.today.selectors import Card, Group, _open_case_rows, _people_rows, my_work_today
from tests.factories import (
    AdultFactory,
    AgencyMemberFactory,
    CaseFactory,
    CaseMembershipFactory,
    ChildFactory,
    ContactAttemptFactory,
    EpisodeFactory,
    PractitionerFactory,
)
from tests.performance.test_list_queries import MANY, assert_same_queries

from .conftest import NOW, TODAY, running

PAGE = "today:my_work"
PHONE_STEP = "Telephone the family to arrange a home visit"


def page(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse(PAGE))
    assert response.status_code == 200
    return response.content.decode()


def card_of(html: str, case) -> str:
    """The card of one family on the page."""
    return html.split(f'data-case="{case.reference}"', 1)[1].split('class="govuk-summary-card"', 1)[0]


def test_sections_come_in_the_order_overdue_due_today_this_week_then_the_rest(priya, families):
    """The guidance's day numbers decide the order: the step "before Day 3" is overdue on day 3."""
    sections = my_work_today(priya.lead, TODAY)
    assert [(s.group, [c.case.family_name for c in s.cards]) for s in sections] == [
        (Group.OVERDUE, ["Okafor family"]),
        (Group.DUE_TODAY, ["Brown family"]),
        (Group.THIS_WEEK, ["Carter family"]),
        (Group.REST, ["Doyle family"]),
    ]
    overdue = sections[0].cards[0]
    assert overdue.summary.day_number == 3 and overdue.chart_days == 15
    assert overdue.next_step.step.title == PHONE_STEP
    assert overdue.next_step.due_on == dt.date(2026, 11, 4)


def test_within_a_section_the_longest_overdue_comes_first(priya, families):
    earlier = running(priya.lead, "Adams family", dt.date(2026, 10, 29))  # day 6: due 30 October
    overdue = my_work_today(priya.lead, TODAY)[0]
    assert [c.case for c in overdue.cards] == [earlier, families.okafor]


def test_the_coming_week_is_the_next_seven_days_not_the_calendar_week(priya, families):
    """On Friday, a step due on Monday is the next thing to plan for: it is due in the next 7 days,
    not left under "later"; a step due in more than 7 days is with the rest."""
    friday = TODAY + dt.timedelta(days=1)
    monday_step = running(priya.lead, "Evans family", friday)  # day 1 Friday, phone due day 2: Monday
    sections = {s.group: [c.case for c in s.cards] for s in my_work_today(priya.lead, friday)}
    assert monday_step in sections[Group.THIS_WEEK]
    assert families.carter in sections[Group.DUE_TODAY]
    two_weeks_on = friday + dt.timedelta(days=8)
    sections = {s.group: [c.case for c in s.cards] for s in my_work_today(priya.lead, two_weeks_on)}
    assert monday_step not in sections.get(Group.THIS_WEEK, [])


def test_each_card_shows_the_day_the_next_step_its_due_date_and_a_prefilled_attempt_link(
    priya, families, client
):
    html = page(client, priya.lead)
    assert html.index("Okafor family") < html.index("Brown family") < html.index("Carter family")
    assert html.index("Carter family") < html.index("Doyle family")
    assert "Day 3 of 15" in html and "Day 2 of 15" in html and "Day 1 of 15" in html
    assert f"Day 3: {PHONE_STEP}" in html
    # Only problems are highlighted: overdue in red, due today as a tag, the rest plain.
    assert html.count("govuk-tag--red") == 1 and html.count('govuk-tag--blue">Due today') == 1
    assert "Due Fri 6 Nov" in html
    assert "Not running (" in card_of(html, families.doyle)
    attempt = reverse("engagement:attempt_record", kwargs={"case_pk": families.okafor.pk})
    assert f'href="{attempt}?step=2"' in html
    # Cards, not a table.
    assert "<table" not in html and html.count('class="govuk-summary-card"') == 4


def test_flags_lone_working_domestic_abuse_and_interpreter(priya, families, client):
    """Camden (004): "victims may have good reason to avoid contact with agencies"; "using
    interpreters". A hostile incident puts "Visit in pairs" on the card until the manager lifts it."""
    victim = AdultFactory(case=families.okafor, domestic_abuse_concern=True, phone="")
    AdultFactory(case=families.okafor, needs_interpreter=True, language="Polish", phone="")
    hostile_incident_record(
        case=families.brown,
        by=priya.lead,
        occurred_at=NOW - dt.timedelta(hours=2),
        place="On the doorstep",
        people=[AdultFactory(case=families.brown)],
        what_happened="Shouted and slammed the door.",
        threats=True,
        staff_affected=[priya.lead],
    )
    html = page(client, priya.lead)
    okafor = card_of(html, families.okafor)
    brown = card_of(html, families.brown)
    assert "Domestic abuse concern" in okafor and "Interpreter needed: Polish" in okafor
    assert "Visit in pairs" not in okafor and "Visit in pairs: hostile incident on 5 Nov 2026" in brown
    assert "Domestic abuse concern" not in brown
    assert victim.full_name  # the flag names no one: the case page says who


def test_tap_to_call_the_person_to_contact_and_none_without_a_phone(priya, families, client):
    mother = AdultFactory(case=families.okafor, full_name="Grace Okafor", phone="07700 900123")
    AdultFactory(case=families.okafor, full_name="Aaron Away", phone="07700 900999", lives_in_household=False)
    AdultFactory(case=families.brown, full_name="Bea Brown", phone="07700 900456", safe_contact=["text_only"])
    html = page(client, priya.lead)
    assert f'href="tel:07700900123">Call {escape(mother.full_name)} on 07700 900123</a>' in html
    assert "900999" not in html  # someone outside the household is not the first to call
    # A safe-contact plan of texts only: a text, never a call.
    assert 'href="sms:07700900456">Text Bea Brown on 07700 900456</a>' in html
    assert "tel:07700900456" not in html
    carter = card_of(html, families.carter)
    assert "No phone number recorded" in carter and "tel:" not in carter


def test_empty_state(priya, client):
    html = page(client, priya.lead)
    assert "You have no open cases." in html
    assert "govuk-summary-card" not in html


def test_co_worker_cases_show_as_on_my_cases(priya, families, client):
    """The same cases as "My cases": those the practitioner leads and those they co-work."""
    other = PractitionerFactory(team=priya.team)
    shared = running(other, "Fisher family", dt.date(2026, 11, 3))
    CaseMembershipFactory(case=shared, user=priya.lead, role=MembershipRole.CO_WORKER, agency_role="")
    stranger = running(other, "Grant family", dt.date(2026, 11, 3))
    html = page(client, priya.lead)
    assert "Fisher family" in html and stranger.family_name not in html


def test_home_sends_the_lead_practitioner_here_and_my_cases_stays_in_the_nav(priya, client):
    client.force_login(priya.lead)
    response = client.get("/")
    assert response["Location"] == reverse(PAGE)
    html = client.get(reverse(PAGE)).content.decode()
    assert f'href="{reverse("cases:my_cases")}"' in html
    client.force_login(priya.manager)
    assert client.get("/")["Location"] != reverse(PAGE)


@pytest.mark.parametrize("who", ["manager", "agency"])
def test_only_lead_practitioners_see_it(priya, client, who):
    user = priya.manager if who == "manager" else AgencyMemberFactory()
    client.force_login(user)
    assert client.get(reverse(PAGE)).status_code == 404


def _cases_with_everything(lead, n):
    """n families each with an overdue step, a phone number, an interpreter and a child."""
    for _ in range(n):
        case = running(lead, "Howard family", dt.date(2026, 11, 3))
        AdultFactory(case=case, needs_interpreter=True, language="Urdu", domestic_abuse_concern=True)
        ChildFactory(case=case)


def test_the_same_queries_for_1_and_200_families(priya, client, django_assert_num_queries):
    _cases_with_everything(priya.lead, 1)
    client.force_login(priya.lead)
    html = assert_same_queries(
        client, reverse(PAGE), lambda: _cases_with_everything(priya.lead, MANY - 1), django_assert_num_queries
    )
    assert html.count('class="govuk-summary-card"') == MANY
    assert html.count("Interpreter needed: Urdu") == MANY


# The attempt form, pre-filled for the step.


def attempt_url(case, step) -> str:
    return reverse("engagement:attempt_record", kwargs={"case_pk": case.pk}) + f"?step={step}"


def test_the_attempt_form_starts_as_the_step_asks(priya, families, client):
    grace = AdultFactory(case=families.okafor, full_name="Grace Okafor", phone="07700 900123")
    client.force_login(priya.lead)
    response = client.get(attempt_url(families.okafor, 2))
    form = response.context["form"]
    assert form.initial["kind"] == "phone_call"
    assert form.initial["with_person"] == grace.pk
    assert form.initial["occurred_on"] == TODAY
    html = response.content.decode()
    assert f"For the flow-chart step on day 3: {PHONE_STEP}." in html
    assert "Due 4 November 2026." in html


def test_a_visit_step_asks_for_a_visit_and_leaves_who_open(priya, families, client):
    AdultFactory(case=families.okafor, phone="07700 900123")
    client.force_login(priya.lead)
    form = client.get(attempt_url(families.okafor, 5)).context["form"]  # day 5: unannounced visit
    assert form.initial["kind"] == "unannounced_visit"
    assert "with_person" not in form.initial


@pytest.mark.parametrize("step", ["99", "abc", "-1", "1", "0", "", "99999999999999999999", "2.5"])
def test_an_unknown_step_or_one_met_by_a_record_is_ignored(priya, families, client, step):
    """Step 1 (the referral) is met by a record, not an attempt: nothing to pre-fill."""
    client.force_login(priya.lead)
    response = client.get(attempt_url(families.okafor, step))
    assert response.status_code == 200
    assert "kind" not in response.context["form"].initial
    assert response.context["for_step"] is None


def test_a_step_on_a_case_not_running_is_ignored(priya, families, client):
    client.force_login(priya.lead)
    response = client.get(attempt_url(families.doyle, 2))
    assert response.status_code == 200 and response.context["for_step"] is None


def test_another_practitioners_case_is_404_with_a_step(priya, families, client):
    client.force_login(PractitionerFactory())
    assert client.get(attempt_url(families.okafor, 2)).status_code == 404


CALL = {
    "kind": "phone_call",
    "occurred_on_0": "5",
    "occurred_on_1": "11",
    "occurred_on_2": "2026",
    "occurred_time": "10:00",
    "outcome": "no_answer",
}


def three_calls_this_morning(case):
    """The "three further telephone calls" (before day 5) already made today, on time."""
    for hour in (8, 9, 10):
        ContactAttemptFactory(
            case=case, kind="phone_call", outcome="no_answer", occurred_at=NOW.replace(hour=hour, minute=0)
        )
    case_flowchart_refresh(case=case)


def test_saving_from_an_overdue_step_says_it_met_that_step(priya, families, client):
    three_calls_this_morning(families.okafor)
    client.force_login(priya.lead)
    data = {**CALL, "made_by": priya.lead.pk, "occurred_time": "10:15"}
    html = client.post(attempt_url(families.okafor, 2), data, follow=True).content.decode()
    assert f"It counted towards the flow-chart step: {PHONE_STEP} (late)." in html
    assert "still" not in html.split("govuk-notification-banner__content", 1)[1].split("</div>", 1)[0]
    cards = {s.group: [c.case for c in s.cards] for s in my_work_today(priya.lead, TODAY)}
    assert families.okafor not in cards.get(Group.OVERDUE, [])


def test_saving_says_when_the_chosen_step_is_still_owed(priya, families, client):
    """Knowsley (000, Appendix 4): "Before Day 5 Attempt a further 3 phone calls": a call on day 3
    is on time for those, so the flow chart counts it there, and the overdue call before day 3 is
    still owed. The message says both."""
    client.force_login(priya.lead)
    html = client.post(
        attempt_url(families.okafor, 2), {**CALL, "made_by": priya.lead.pk}, follow=True
    ).content.decode()
    assert ContactAttempt.objects.filter(case=families.okafor).count() == 1
    assert "It counted towards the flow-chart step: Three further telephone calls to arrange a visit." in html
    assert f"The step you recorded it for, {PHONE_STEP}, is still overdue." in html


def test_saving_from_a_step_due_today_names_it(priya, families, client):
    client.force_login(priya.lead)
    html = client.post(
        attempt_url(families.brown, 2), {**CALL, "made_by": priya.lead.pk}, follow=True
    ).content.decode()
    assert f"It counted towards the flow-chart step: {PHONE_STEP}." in html
    assert "is still" not in html


def test_a_bad_attempt_from_the_step_keeps_the_step_and_what_was_typed(priya, families, client):
    client.force_login(priya.lead)
    response = client.post(attempt_url(families.okafor, 2), {"kind": "phone_call", "notes": "Rang twice."})
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html and "Rang twice." in html
    assert response.context["for_step"].order == 2


def test_a_closed_case_does_not_appear(priya, families, client):
    closed = CaseFactory(
        lead_practitioner=priya.lead, family_name="Irwin family", status="closed", closed_on=TODAY
    )
    EpisodeFactory(case=closed)
    assert "Irwin family" not in page(client, priya.lead)


def test_a_cards_due_date_reads_as_the_date_filter_gives_it_every_day_of_a_year():
    """The card writes the next step's due date itself (as `|date:"j M"` and `|date:"D j M"`), for
    the page's speed: the same text, any day of the year."""
    step = type("Spec", (), {"order": 1})()
    for offset in range(366):
        due_on = dt.date(2026, 1, 1) + dt.timedelta(days=offset)
        summary = Summary(day_number=1, open_steps=(OpenStep(step, due_on, Status.UPCOMING),))
        card = Card(case=None, summary=summary, chart_days=15, group=Group.REST)
        assert card.due_short == date_filter(due_on, "j M")
        assert card.due_with_weekday == date_filter(due_on, "D j M")
    assert Card(case=None, summary=None, chart_days=None, group=Group.REST).due_short == ""


def test_each_cards_links_are_the_case_page_and_its_attempt_form(priya, families):
    """The card's two links are made once per page and filled with each case's id: they must be
    the addresses `reverse` gives for every case, and its pathway's length the last step's day."""
    cards = [card for section in my_work_today(priya.lead, TODAY) for card in section.cards]
    assert len(cards) == 4
    for card in cards:
        assert card.url == reverse("cases:case_detail", kwargs={"case_pk": card.case.pk})
        assert card.attempt_url == reverse("engagement:attempt_record", kwargs={"case_pk": card.case.pk})
    assert {card.chart_days for card in cards if card.summary} == {15}


def test_the_caseloads_compiled_reads_find_what_their_querysets_find(priya, families):
    """The page's three reads are compiled once a process (`cases.compiled`): each must give the
    rows its own queryset gives, for the cases the practitioner leads and co-works and only those:
    not a co-worker request still waiting, a membership that has ended, another practitioner's
    case, or a closed one. The flow charts read are those `live_charts` finds for the same cases."""
    other = PractitionerFactory(team=priya.team)
    co_worked = running(other, "Fisher family", dt.date(2026, 11, 3))
    CaseMembershipFactory(case=co_worked, user=priya.lead, role=MembershipRole.CO_WORKER, agency_role="")
    waiting = running(other, "Grant family", dt.date(2026, 11, 3))
    CaseMembershipFactory(
        case=waiting,
        user=priya.lead,
        role=MembershipRole.CO_WORKER,
        agency_role="",
        status=MembershipStatus.REQUESTED,
    )
    ended = running(other, "Hughes family", dt.date(2026, 11, 3))
    CaseMembershipFactory(
        case=ended, user=priya.lead, role=MembershipRole.CO_WORKER, agency_role="", ended_at=NOW
    )
    running(other, "Ives family", dt.date(2026, 11, 3))
    CaseFactory(lead_practitioner=priya.lead, family_name="Jones family", status="closed", closed_on=TODAY)
    for case in (families.okafor, co_worked, waiting):
        AdultFactory(case=case, phone="07700 900123")

    for read in (_open_case_rows, _people_rows):
        assert sorted(read(practitioner=priya.lead.pk)) == sorted(read.build(practitioner=priya.lead.pk))
    cases = [card.case for section in my_work_today(priya.lead, TODAY) for card in section.cards]
    assert sorted(c.family_name for c in cases) == [
        "Brown family",
        "Carter family",
        "Doyle family",
        "Fisher family",
        "Okafor family",
    ]
    assert {row[1] for row in _people_rows(practitioner=priya.lead.pk)} == {families.okafor.pk, co_worked.pk}

    def charts(found):
        return {
            case_id: (
                c.last_day,
                c.summary.day_number,
                [(s.step.id, s.due_on, s.status) for s in c.summary.open_steps],
            )
            for case_id, c in found.items()
        }

    assert charts(practitioners_live_charts(priya.lead, TODAY)) == charts(live_charts(cases, TODAY))
    assert set(practitioners_live_charts(priya.lead, TODAY)) == {
        c.pk for c in (families.okafor, families.brown, families.carter, co_worked)
    }


def test_a_card_escapes_what_it_shows_once(priya, families, client):
    """Each card is written in one call (`today_tags.my_work_card`): a family's or a person's name
    holding markup, an ampersand or braces is shown as typed, escaped once."""
    families.okafor.family_name = "O'Kafor & {0} <family>"
    families.okafor.save()
    AdultFactory(case=families.okafor, full_name="Grace <b>{}</b>", phone="07700 900123")
    html = page(client, priya.lead)
    okafor = card_of(html, families.okafor)
    assert "O&#x27;Kafor &amp; {0} &lt;family&gt;</a>" in okafor
    assert 'href="tel:07700900123">Call Grace &lt;b&gt;{}&lt;/b&gt; on 07700 900123</a>' in okafor
    assert "&amp;amp;" not in okafor and "&amp;lt;" not in okafor
    # The overdue step: its tag, then its due date, as the catalogue's words put them.
    assert '<strong class="govuk-tag govuk-tag--red">Overdue</strong> due 4 Nov' in okafor
