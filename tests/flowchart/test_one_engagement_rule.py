"""The engagement rule lives in one place (engagement.rules), and every reader agrees on it.

Knowsley (000, Appendix 4): "Ensure the steps within the non-engagement flow chart are the minimum
attempts to engage the parent." The flow chart, the chronology's tags, the team dashboard and
insight must say the same of the same records: a parent who spoke but did not agree is contact,
not engagement; a parent who agreed to work with us is engagement.
"""

import datetime as dt

from django.utils import timezone

from cases.models import Case
from engagement import rules
from engagement.models import ContactAttempt
from engagement.services import contact_attempt_record
from flowchart import services
from flowchart.models import Episode
from insight.dashboard import selectors as dashboard_selectors
from insight.selectors import InsightFilter, attempts_figure, first_contact_figure
from tests.factories import CaseFactory, parent_of

from .conftest import at


def test_the_flow_chart_chronology_dashboard_and_insight_agree(family, walk):
    spoke = family.case
    agreed = CaseFactory(
        lead_practitioner=family.lead, referral_date=family.day1, family_name="Agreed family"
    )
    walk.to(at(family.day1, 9))
    for case in (spoke, agreed):
        services.episode_start(case=case, by=family.lead)
    walk.to(at(walk.day(3), 11))
    for case, response, what in ((spoke, "undecided", ""), (agreed, "agreed", "Weekly visits")):
        contact_attempt_record(
            case=case,
            by=family.lead,
            kind="unannounced_visit",
            outcome="seen",
            with_person=parent_of(case),
            response=response,
            what_agreed=what,
            occurred_at=timezone.now(),
        )
    # The flow chart.
    ended = dict(Episode.objects.values_list("case_id", "end_reason"))
    assert ended == {spoke.pk: "", agreed.pk: "engaged"}
    # The chronology's tags.
    tags = {a.case_id: a.tag for a in ContactAttempt.objects.select_related("agreement")}
    assert tags == {spoke.pk: rules.Tag.CONTACT, agreed.pk: rules.Tag.AGREED}
    # The team dashboard: only the family still not engaged is live flow-chart work.
    figures = dashboard_selectors.team_figures(user=family.manager, team=family.team, today=walk.day(3))
    assert set(figures.cases_behind("in_flowchart")) == {spoke.pk}
    # Insight: one attempt with an agreement, one with contact only; both reached the family.
    filters = InsightFilter(date_from=family.day1 - dt.timedelta(days=40), date_to=walk.day(3))
    cases = Case.objects.filter(pk__in=[spoke.pk, agreed.pk])
    total = attempts_figure(cases, filters, walk.day(3)).total
    assert (total.agreed, total.contact, total.reached) == (1, 1, 2)
    assert first_contact_figure(cases, filters, walk.day(3)).not_reached == 0


def test_a_professional_and_a_child_are_never_contact_with_the_family(family, walk):
    child = parent_of(family.case).relationships.get().child
    walk.to(at(family.day1, 9))
    services.episode_start(case=family.case, by=family.lead)
    walk.to(at(walk.day(2), 11))
    for kind, person, other in (("liaison", None, "School nurse"), ("joint_visit", child, "School nurse")):
        contact_attempt_record(
            case=family.case,
            by=family.lead,
            kind=kind,
            outcome="seen",
            with_person=person,
            with_other=other,
            occurred_at=timezone.now(),
        )
    attempts = ContactAttempt.objects.select_related("agreement")
    assert {a.tag for a in attempts} == {rules.Tag.CONTACT, rules.Tag.OTHER}
    # The child seen is contact with a member of the family, never engagement.
    assert Episode.objects.get().ended_on is None
    filters = InsightFilter(date_from=family.day1 - dt.timedelta(days=40), date_to=walk.day(2))
    total = attempts_figure(Case.objects.all(), filters, walk.day(2)).total
    assert (total.agreed, total.contact) == (0, 1)
