"""Users, roles, teams and agencies: changed in the admin, checked, kept in history."""

import pytest
from django.core import mail
from django.urls import reverse

from cases.models import Agency, CaseStatus, Role, Team, User
from tests.factories import (
    AgencyFactory,
    AgencyMemberFactory,
    CaseFactory,
    ManagerFactory,
    PractitionerFactory,
    TeamFactory,
)

from .conftest import assert_refused, form_data, last_history

USER_ADD = reverse("admin:cases_user_add")
TEAM_ADD = reverse("admin:cases_team_add")
AGENCY_ADD = reverse("admin:cases_agency_add")


def _user_url(user):
    return reverse("admin:cases_user_change", args=[user.pk])


@pytest.fixture
def team(db):
    manager = ManagerFactory(full_name="Morgan Manager")
    return TeamFactory(name="North Early Help Team", manager=manager)


def _new_user(**overrides):
    return {
        "email": "Jo.Bloggs@Example.test",
        "full_name": " Jo   Bloggs ",
        "job_title": "Family support worker",
        "role": Role.LEAD_PRACTITIONER,
    } | overrides


def test_a_new_practitioner_is_saved_with_their_team_and_kept_in_history(admin_client, admin_user, team):
    response = admin_client.post(USER_ADD, _new_user(team=team.pk))

    assert response.status_code == 302
    user = User.objects.get(email="jo.bloggs@example.test")
    assert (user.full_name, user.role, user.team, user.is_staff) == (
        "Jo Bloggs",
        "lead_practitioner",
        team,
        False,
    )
    # Nobody but them ever knows their password: they set it from the link emailed to them.
    assert not user.has_usable_password()
    assert [m.to for m in mail.outbox] == [["jo.bloggs@example.test"]]
    assert "/accounts/password/reset/key/" in mail.outbox[0].body
    assert last_history(user).history_user == admin_user
    page = admin_client.get(reverse("admin:cases_user_history", args=[user.pk])).content.decode()
    assert "Sam Systemowner" in page


def test_the_role_alone_decides_who_opens_the_configuration(admin_client, team):
    admin_client.post(USER_ADD, _new_user(role=Role.ADMIN))
    new_admin = User.objects.get(email="jo.bloggs@example.test")
    assert new_admin.is_staff and not new_admin.is_superuser
    assert new_admin.groups.filter(name="Admins").exists()

    data = form_data(admin_client.get(_user_url(new_admin))) | {
        "role": Role.LEAD_PRACTITIONER,
        "team": team.pk,
    }
    assert admin_client.post(_user_url(new_admin), data).status_code == 302
    new_admin.refresh_from_db()
    assert not new_admin.is_staff and not new_admin.is_superuser
    assert not new_admin.groups.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"role": Role.LEAD_PRACTITIONER}, "Select the team they work in: every lead practitioner needs one"),
        (
            {"role": Role.AGENCY_MEMBER},
            "Select the agency they work for: every multi-agency meeting member needs one",
        ),
        ({"full_name": "   "}, "Enter their full name"),
        ({"email": "not an email"}, "Enter an email address in the correct format, like name@example.gov.uk"),
        (
            {"email": "morgan@example.test"},
            "Someone already uses this email address: find them in the list of users instead",
        ),
        ({"role": ""}, "Select their role"),
    ],
)
def test_a_new_user_without_what_their_role_needs_is_refused(admin_client, team, overrides, message):
    team.manager.email = "morgan@example.test"
    team.manager.save()
    count = User.objects.count()

    response = admin_client.post(USER_ADD, _new_user(**overrides))

    assert_refused(response, message)
    assert User.objects.count() == count


def test_a_line_manager_of_a_team_cannot_lose_the_role_or_be_made_inactive(admin_client, team):
    manager = team.manager
    url = _user_url(manager)
    data = form_data(admin_client.get(url))
    history_rows = manager.history.count()

    demoted = admin_client.post(url, data | {"role": Role.LEAD_PRACTITIONER, "team": team.pk})
    assert_refused(
        demoted,
        "Morgan Manager manages North Early Help Team: choose another line manager for that team first",
    )
    inactive = data.copy()
    del inactive["is_active"]
    response = admin_client.post(url, inactive)
    assert_refused(
        response,
        "Morgan Manager manages North Early Help Team: choose another line manager for that team before making "
        "them inactive",
    )
    manager.refresh_from_db()
    assert manager.role == Role.LINE_MANAGER and manager.is_active
    assert manager.history.count() == history_rows


def test_a_practitioner_leading_open_cases_keeps_a_role_that_can_lead_them(admin_client, team):
    lead = PractitionerFactory(full_name="Priya Patel", team=team)
    CaseFactory(lead_practitioner=lead, team=team)
    CaseFactory(lead_practitioner=lead, team=team, status=CaseStatus.CLOSED, closed_on="2026-10-01")
    agency = AgencyFactory()
    data = form_data(admin_client.get(_user_url(lead))) | {"role": Role.AGENCY_MEMBER, "agency": agency.pk}

    response = admin_client.post(_user_url(lead), data)

    assert_refused(
        response,
        "Priya Patel is the lead practitioner for 1 open case: ask their line manager to reassign them first",
    )


def test_a_leaver_is_made_inactive_and_told_whose_cases_need_reassigning(admin_client, admin_user, team):
    lead = PractitionerFactory(full_name="Priya Patel", team=team)
    CaseFactory(lead_practitioner=lead, team=team)
    data = form_data(admin_client.get(_user_url(lead)))
    del data["is_active"]

    response = admin_client.post(_user_url(lead), data, follow=True)

    lead.refresh_from_db()
    assert not lead.is_active
    assert last_history(lead).history_user == admin_user
    assert "They lead 1 open case: ask their line manager to reassign it." in response.content.decode()


def test_an_admin_cannot_lock_themselves_out(admin_client, admin_user):
    url = _user_url(admin_user)
    data = form_data(admin_client.get(url))
    response = admin_client.post(url, data | {"role": Role.AGENCY_MEMBER, "agency": AgencyFactory().pk})
    assert_refused(response, "You cannot take away your own admin role: ask another admin")
    del data["is_active"]
    assert_refused(admin_client.post(url, data), "You cannot make yourself inactive: ask another admin")
    admin_user.refresh_from_db()
    assert admin_user.role == Role.ADMIN and admin_user.is_active


def test_users_cannot_be_deleted(admin_client, team):
    assert admin_client.get(reverse("admin:cases_user_delete", args=[team.manager.pk])).status_code == 403


def test_a_team_is_saved_with_its_line_manager_and_kept_in_history(admin_client, admin_user, team):
    manager = ManagerFactory(full_name="Lee Leader")

    response = admin_client.post(TEAM_ADD, {"name": "  South   Early Help Team ", "manager": manager.pk})

    assert response.status_code == 302
    south = Team.objects.get(name="South Early Help Team")
    assert south.manager == manager
    assert last_history(south).history_user == admin_user
    page = admin_client.get(reverse("admin:cases_team_history", args=[south.pk])).content.decode()
    assert "Sam Systemowner" in page


@pytest.mark.parametrize(
    ("name", "who", "message"),
    [
        ("South Early Help Team", None, "Select the team's line manager: every team needs one"),
        (
            "South Early Help Team",
            "practitioner",
            "Select a line manager from the list: only active users whose role is line manager can manage a team",
        ),
        (
            "South Early Help Team",
            "inactive manager",
            "Select a line manager from the list: only active users whose role is line manager can manage a team",
        ),
        (
            "North Early Help Team",
            "manager",
            "There is a team with this name already: choose a different name",
        ),
        ("   ", "manager", "Enter the name of the team"),
    ],
)
def test_a_team_without_a_line_manager_or_with_someone_else_is_refused(
    admin_client, team, name, who, message
):
    people = {
        "practitioner": PractitionerFactory(team=team),
        "inactive manager": ManagerFactory(is_active=False),
        "manager": ManagerFactory(),
    }
    data = {"name": name} | ({"manager": people[who].pk} if who else {})
    count = Team.objects.count()

    response = admin_client.post(TEAM_ADD, data)

    assert_refused(response, message)
    assert Team.objects.count() == count


def test_an_existing_team_cannot_be_left_without_a_line_manager(admin_client, team):
    url = reverse("admin:cases_team_change", args=[team.pk])
    response = admin_client.post(url, {"name": team.name, "manager": ""})
    assert_refused(response, "Select the team's line manager: every team needs one")
    team.refresh_from_db()
    assert team.manager is not None


def test_an_agency_is_saved_and_kept_in_history_and_a_duplicate_refused(admin_client, admin_user):
    response = admin_client.post(AGENCY_ADD, {"name": " Oakfield  Primary School ", "kind": "school"})
    assert response.status_code == 302
    agency = Agency.objects.get(name="Oakfield Primary School")
    assert last_history(agency).history_user == admin_user

    again = admin_client.post(AGENCY_ADD, {"name": "Oakfield Primary School", "kind": "school"})
    assert_refused(again, "There is an agency with this name already: choose it from the list instead")
    assert_refused(
        admin_client.post(AGENCY_ADD, {"name": "", "kind": "school"}), "Enter the name of the agency"
    )
    assert Agency.objects.count() == 1


def test_an_agency_member_needs_their_agency(admin_client):
    member = AgencyMemberFactory(full_name="Alex Adeyemi")
    data = form_data(admin_client.get(_user_url(member))) | {"agency": ""}
    assert_refused(
        admin_client.post(_user_url(member), data),
        "Select the agency they work for: every multi-agency meeting member needs one",
    )
