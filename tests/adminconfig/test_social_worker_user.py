"""The admin makes allocated social workers: a role of its own, with no team and no case content."""

from django.urls import reverse

from cases.models import Role, User
from tests.factories import AgencyFactory

from .conftest import last_history

USER_ADD = reverse("admin:cases_user_add")


def test_the_admin_creates_an_allocated_social_worker(admin_client, admin_user):
    """The issue: "Allocated social worker: a real user role, linked to the case by membership"."""
    page = admin_client.get(USER_ADD).content.decode()
    assert '<option value="social_worker">Allocated social worker</option>' in page
    agency = AgencyFactory(name="Children's Safeguarding and Social Work")
    response = admin_client.post(
        USER_ADD,
        {
            "email": "Sol.Worker@Example.test",
            "full_name": "Sol Worker",
            "job_title": "Social worker, child in need team",
            "role": Role.SOCIAL_WORKER,
            "agency": agency.pk,
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="sol.worker@example.test")
    assert (user.role, user.team, user.agency, user.is_staff) == (Role.SOCIAL_WORKER, None, agency, False)
    assert user.get_role_display() == "Allocated social worker"
    assert last_history(user).history_user == admin_user
    listing = admin_client.get(reverse("admin:cases_user_changelist") + "?role__exact=social_worker")
    assert "Sol Worker" in listing.content.decode()
