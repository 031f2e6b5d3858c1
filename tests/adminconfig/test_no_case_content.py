"""Admins configure; they never read cases (issue: admins read case content in the Django admin).

The architecture's access table: an admin sees "configuration, users, teams, agencies" and does
"no case content, not even in the Django admin". The sweep below needs no list of admin pages:
it walks `admin.site._registry`, so a model registered tomorrow is swept the day it appears.
"""

import datetime as dt
import zoneinfo

import time_machine
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import NoReverseMatch, reverse

from cases.models import AccessLogEntry, Role
from tests.factories import AdminFactory
from tests.security.matrix import matrix_world, signed_in
from tests.security.payloads import markers_in
from tests.security.scenario import Filler
from tests.security.stored import fill_every_text_column

NOW = dt.datetime(2026, 11, 18, 11, 0, tzinfo=zoneinfo.ZoneInfo("Europe/London"))

# What admins configure. Every other model is case content: none of its text may show on an
# admin page, and every admin page of it is in the access log.
CONFIGURATION = frozenset(
    {
        "cases.User",
        "cases.Team",
        "cases.Agency",
        "cases.DraftSettings",
        "engagement.AgreementTemplate",
        "engagement.LetterTemplate",
        "engagement.MessageTemplate",
        "engagement.OfflineSettings",
        "riskassessment.FactorCategory",
        "riskassessment.SharingSettings",
        "flowchart.Pathway",
        "flowchart.PathwayVersion",
        "flowchart.Step",
        "flowchart.FlowchartSettings",
        "flowchart.ClosureDay",
        "flowchart.SweepDay",
    }
)


def _admin_urls(model) -> list[str]:
    """The list, and the change and history pages of every row (each row may hold other text)."""
    prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    urls = [reverse(f"{prefix}_changelist")]
    for pk in model._base_manager.order_by("pk").values_list("pk", flat=True)[:20]:
        for page in ("change", "history"):
            try:
                urls.append(reverse(f"{prefix}_{page}", args=[pk]))
            except NoReverseMatch:
                continue
    return urls


def test_no_admin_page_shows_case_content_and_each_case_linked_page_is_logged(db, settings):
    """Every admin list, change and history page, as the admin, over a world whose every text
    column holds a marked payload: no case-content marker shows, and each visit to a case-linked
    model's page writes an access-log row."""
    with time_machine.travel(NOW, tick=True):
        world = matrix_world(settings)
        fill = Filler(0)
        fill_every_text_column(fill)
        # The corpus is handed out in turn, so a marker can go to a configuration column and a
        # case-content column alike: seen on a page, it cannot say which it came from.
        configuration = {p.marker for label, p in fill.ledger if label.rsplit(".", 1)[0] in CONFIGURATION}
        case_content = {
            p.marker: label
            for label, p in fill.ledger
            if label.rsplit(".", 1)[0] not in CONFIGURATION and p.marker not in configuration
        }
        assert case_content, "the sweep needs case content to look for"
        admin_user = world.users["admin"]
        client = signed_in(admin_user)
        shown, unlogged, closed, visited = [], [], [], 0
        for url in [reverse("admin:index")] + [
            url for model in admin.site._registry for url in _admin_urls(model)
        ]:
            logged_before = AccessLogEntry.objects.filter(user=admin_user, path=url).count()
            response = client.get(url, follow=True)
            visited += 1
            if response.status_code != 200:
                closed.append(f"{url}: {response.status_code}")
                continue
            for marker in markers_in(response.content.decode()) & case_content.keys():
                shown.append(f"{url} shows {case_content[marker]}")
            model = response.context and getattr(response.context.get("opts"), "label", None)
            logged = AccessLogEntry.objects.filter(user=admin_user, path=url).count() > logged_before
            if model and model not in CONFIGURATION and not logged:
                unlogged.append(url)
        assert visited > 30
        assert not shown, "case content on admin pages:\n" + "\n".join(shown)
        assert not unlogged, "admin pages of case-linked models not in the access log:\n" + "\n".join(
            unlogged
        )
        # Whatever is registered, the admin may open: a model closed to them is not registered.
        assert not closed, "\n".join(closed)


def test_admins_are_not_superusers_but_members_of_the_admins_group(db):
    """The brief: "Admins are not superusers: a permission set covering configuration ... and
    nothing else"."""
    admin_user = AdminFactory()
    assert admin_user.role == Role.ADMIN
    assert admin_user.is_staff and not admin_user.is_superuser
    assert list(admin_user.groups.values_list("name", flat=True)) == ["Admins"]
    permissions = set(
        Group.objects.get(name="Admins").permissions.values_list("content_type__app_label", flat=True)
    )
    assert "mfa" not in permissions and "account" not in permissions and "auth" not in permissions
    assert not admin_user.has_perm("flowchart.view_decision")
    assert not admin_user.has_perm("mfa.change_authenticator")
    assert admin_user.has_perm("flowchart.change_pathway")
    assert admin_user.has_perm("cases.change_user")


def test_the_admins_group_is_made_again_after_the_database_is_flushed(transactional_db):
    """A flush empties every table and sends post_migrate without a registry: the group returns."""
    call_command("flush", interactive=False, verbosity=0)
    group = Group.objects.get(name="Admins")
    assert group.permissions.filter(codename="change_pathway").exists()
