"""Records made before contact and engagement were told apart, migrated by the documented rule.

Knowsley (000, Appendix 4): "Ensure the steps within the non-engagement flow chart are the minimum
attempts to engage the parent." An old "seen" or "spoke" with a parent records contact only (its
response becomes "undecided"); nothing is made an agreement; the runs such contact had ended as
"engaged" run again; every row is kept.
"""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from cases.models import Case
from engagement.models import ContactAttempt, EngagementAgreement
from flowchart.models import Episode
from tests.factories import CaseFactory, parent_of
from tests.factories.flowchart import ensure_pathways

BEFORE = [("engagement", "0007_attempt_hostile"), ("flowchart", "0008_pathways_oversight_day_13")]


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_old_contact_becomes_undecided_and_runs_ended_by_contact_run_again():
    ensure_pathways()
    case = CaseFactory(referral_date=dt.date(2026, 11, 2), status="engaged")
    mother = parent_of(case, preferred_contact_method="text")
    child = case.people.get(kind="child")
    lead = case.lead_practitioner
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    OldAttempt = old.get_model("engagement", "ContactAttempt")
    at = timezone.make_aware(dt.datetime(2026, 11, 4, 10))

    def attempt(kind, outcome, person=None, other=""):
        return OldAttempt.objects.create(
            case_id=case.pk,
            occurred_at=at,
            made_by_id=lead.pk,
            recorded_by_id=lead.pk,
            kind=kind,
            outcome=outcome,
            with_person_id=person.pk if person else None,
            with_other=other,
        ).pk

    spoke_with_mother = attempt("phone_call", "spoke", mother)
    seen_child = attempt("joint_visit", "seen", child)
    liaison = attempt("liaison", "spoke", other="School nurse")
    text = attempt("text_message", "message_left", mother)
    version = old.get_model("flowchart", "PathwayVersion").objects.filter(published_at__isnull=False).first()
    ended = old.get_model("flowchart", "Episode").objects.create(
        case_id=case.pk,
        version_id=version.pk,
        day1=case.referral_date,
        started_by_id=lead.pk,
        ended_on=dt.date(2026, 11, 4),
        end_reason="engaged",
    )

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    responses = dict(ContactAttempt.objects.values_list("pk", "response"))
    assert responses == {spoke_with_mother: "undecided", seen_child: "", liaison: "", text: ""}
    counts_as = dict(ContactAttempt.objects.values_list("pk", "counts_as"))
    assert counts_as[text] == "phone_call" and counts_as[spoke_with_mother] == "phone_call"
    assert counts_as[liaison] == "liaison"
    assert not EngagementAgreement.objects.exists()
    reopened = Episode.objects.get(pk=ended.pk)
    assert (reopened.ended_on, reopened.end_reason, reopened.next_due_on) == (None, "", reopened.day1)
    assert reopened.history.first().history_change_reason.startswith("Contact is not engagement")
    reopened_case = Case.objects.get(pk=case.pk)
    assert reopened_case.status == "open"
    assert reopened_case.history.first().history_change_reason.startswith("Contact is not engagement")
    assert ContactAttempt.objects.count() == 4
