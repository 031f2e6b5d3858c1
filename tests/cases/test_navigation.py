"""The service navigation comes from one list per role (cases.context_processors), not from role
checks in the base template."""

import pytest
from django.urls import reverse

from tests.factories.cases import AdminFactory, ManagerFactory, PerformanceOfficerFactory, PractitionerFactory

pytestmark = pytest.mark.django_db


def _nav(client, user, url_name):
    client.force_login(user)
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    return {item["label"]: item["active"] for item in response.context["nav_items"]}


def test_a_line_manager_is_offered_the_team_dashboard_and_insight_and_shown_where_they_are(client):
    nav = _nav(client, ManagerFactory(), "dashboard:teams")

    assert list(nav) == ["Needs you", "Team cases", "Notifications", "Team dashboard", "Insight", "Returns"]
    assert nav["Team dashboard"] and not nav["Insight"]


def test_the_performance_officer_starts_on_the_returns_and_is_offered_only_the_returns(client):
    """Issue 22: returns "for a new 'performance' role across the authority", the Supporting
    Families claim list among them."""
    officer = PerformanceOfficerFactory()
    client.force_login(officer)
    assert client.get(reverse("home"))["Location"] == reverse("returns:index")
    nav = _nav(client, officer, "returns:index")
    assert nav == {"Returns": True, "Supporting Families claims": False}


def test_an_admin_is_offered_insight_beside_the_configuration(client):
    nav = _nav(client, AdminFactory(), "insight:overview")

    assert list(nav) == ["Configuration", "Pathways", "Insight"]
    assert nav["Insight"] and not nav["Configuration"] and not nav["Pathways"]


def test_a_lead_practitioner_is_offered_neither_the_team_dashboard_nor_insight(client):
    nav = _nav(client, PractitionerFactory(), "cases:my_cases")

    assert list(nav) == ["My work today", "My cases", "Open a case", "Notifications", "Offline"]


def test_on_the_offline_page_only_offline_is_shown_as_where_they_are(client):
    """/today/offline/ starts with /today/ too: the longest matching address is the one shown."""
    nav = _nav(client, PractitionerFactory(), "today:offline")

    assert nav["Offline"] and not nav["My work today"]


def test_the_current_page_is_marked_in_the_navigation_for_screen_readers_and_without_styles(client):
    """GOV.UK's service navigation: the current item's link has aria-current and its label in
    bold (the fallback when the styles do not load); the others are plain links."""
    client.force_login(ManagerFactory())
    html = client.get(reverse("dashboard:teams")).content.decode()
    items = html.split('id="navigation">', 1)[1].split("</ul>", 1)[0]
    assert (
        '<li class="govuk-service-navigation__item govuk-service-navigation__item--active">'
        '<a class="govuk-service-navigation__link" href="/team/" aria-current="true">'
        '<strong class="govuk-service-navigation__active-fallback">Team dashboard</strong></a></li>'
    ) in items
    assert '<a class="govuk-service-navigation__link" href="/needs-you/">Needs you</a>' in items
    assert items.count("aria-current") == 1 and items.count("<li ") == 6
