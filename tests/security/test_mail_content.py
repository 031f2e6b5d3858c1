"""Mail carries no case content (security finding 6): "Notification emails carry case notes
(strategies tried, assessment outcomes, safeguarding concerns, decision reasons, partners'
comments). Email leaves the authority's systems; it should carry the case reference, what is due
and a link, never the content." The family's name and the names of its people are case content
too: the case reference names the case.

A whole case is written through the service's own forms with a traceable payload in every
free-text field and in the family's and its people's names (tests/security/scenario.py); the
few kinds that case does not reach (the chases, the reviews, a step not possible, a co-worker from another team asked
for and refused, a closure without a run of the flow chart, the Supporting Families reminder six months after closure) are then sent through their services with payloads of their
own. Every email sent, and every notification stored, is read for any payload's marker; every
`NotificationKind` must have been sent, so a new kind without coverage here fails.
"""

import datetime as dt

import time_machine
from django.core import mail

from cases.models import MembershipRole
from cases.notifications import Notification, NotificationKind
from cases.services import membership_add, membership_decide
from engagement.messages.models import Channel
from engagement.messages.services import message_decide, message_send, message_status_record, text_receive
from engagement.supporting_families import services as supporting_families
from engagement.supporting_families.services import Answer
from flowchart.models import Decision, Step
from flowchart.services import (
    Considered,
    case_closure_record,
    decision_shares_chase,
    reminders_sweep,
    step_not_possible_record,
)
from riskassessment.models import Action, Share
from riskassessment.services import shares_chase
from tests.factories import AdultFactory, CaseFactory, CaseMembershipFactory, PractitionerFactory, TeamFactory
from tests.factories.flowchart import EpisodeFactory

from .payloads import markers_in
from .test_injection import LONDON, NOW, _run_round


def _sweep_on(day: dt.date) -> None:
    with time_machine.travel(dt.datetime.combine(day, dt.time(9, 0), tzinfo=LONDON), tick=False):
        reminders_sweep()


def _what_the_first_case_does_not_reach(scenario) -> None:
    """The chases of a share and of a decision not yet shared, the reviews due, a step recorded
    as not possible and a case closed with no run of the flow chart awaiting a decision."""
    fill, today = scenario.fill, scenario.today
    # The reviews agreed at oversight, at the decision and in the assessment's action tables.
    review_days = {
        *Action.objects.filter(assessment__case=scenario.case).values_list("review_on", flat=True),
        *Decision.objects.filter(episode__case=scenario.case).values_list("review_on", flat=True),
        today + dt.timedelta(days=10),  # the oversight action's
    }
    # The case is closed by the end of the round; the reviews are reminded while it is open.
    for day in sorted(d for d in review_days if d):
        _sweep_on(day)
    # The shares: reminded on the day they are due, escalated once late.
    for share in Share.objects.filter(assessment__case=scenario.case):
        shares_chase(today=share.due_on)
        shares_chase(today=share.due_on + dt.timedelta(days=14))
    # A second family: a step not possible, a decision not yet shared, a closure with no run.
    case = CaseFactory(
        reference="EF2026-90001",
        lead_practitioner=scenario.lead,
        family_name=fill("Case.family_name (second case)", 200),
        referral_date=today - dt.timedelta(days=12),
    )
    CaseMembershipFactory(case=case, user=scenario.agency)
    episode = EpisodeFactory(case=case)
    step = Step.objects.filter(version=episode.version, if_possible=True).order_by("order").first()
    step_not_possible_record(
        case=case, by=scenario.lead, order=step.order, reason=fill("StepNotPossible.reason")
    )
    # A co-worker from another team: asked for, then refused by the case's line manager.
    elsewhere = PractitionerFactory(team=TeamFactory(name=fill("Team.name (another team)", 100)))
    asked = membership_add(case=case, by=scenario.lead, user=elsewhere, role=MembershipRole.CO_WORKER)
    membership_decide(membership=asked, by=case.team.manager, approve=False)
    answered = Considered(mash_referral="no", multi_agency_meeting="no", level_two="no")
    decision = case_closure_record(
        case=case, by=scenario.manager, reasons=fill("Decision.reasons (second case)"), considered=answered
    )
    decision_shares_chase(today=decision.share_due_on)
    decision_shares_chase(today=decision.share_due_on + dt.timedelta(days=14))
    # A case that never had a run of the flow chart is closed on the case alone.
    alone = CaseFactory(
        reference="EF2026-90002",
        lead_practitioner=scenario.lead,
        family_name=fill("Case.family_name (third case)", 200),
    )
    # Its Supporting Families needs, their outcomes at closure, and the reminder six months on.
    supporting_families.family_needs_record(
        case=alone, by=scenario.lead, headlines=["education", "health", "housing"]
    )
    case_closure_record(
        case=alone, by=scenario.manager, reasons=fill("Case.closure_reason (third case)"), considered=answered
    )
    alone.refresh_from_db()
    supporting_families.need_outcomes_record(
        case=alone,
        by=scenario.lead,
        answers=[
            Answer(need.pk, "achieved", fill(f"FamilyNeed.outcome_evidence ({need.headline})"))
            for need in alone.supporting_families_needs.all()
        ],
    )
    supporting_families.sustained_reminders_send(today=supporting_families.sustained_due_on(alone.closed_on))
    # A text to a household with a domestic abuse concern: held, approved, not delivered; and a
    # text back from the family.
    texted = CaseFactory(
        reference="EF2026-90003",
        lead_practitioner=scenario.lead,
        family_name=fill("Case.family_name (fourth case)", 200),
    )
    parent = AdultFactory(
        case=texted,
        full_name=fill("Person.full_name (a parent texted)", 200),
        phone="07700 900461",
        domestic_abuse_concern=True,
    )
    held = message_send(
        case=texted, person=parent, by=scenario.lead, channel=Channel.SMS, body=fill("FamilyMessage.body")
    )
    sent = message_decide(
        message=held, by=texted.team.manager, approve=True, notes=fill("FamilyMessage.decision_notes")
    )
    message_status_record(notify_id=sent.notify_id, status="permanent-failure")
    text_receive(
        notify_id="7c9e6679-7425-40de-944b-e07fc1f90ae7",
        from_number="+447700900461",
        body=fill("ReceivedText.body"),
        received_at=dt.datetime.combine(today, dt.time(10), tzinfo=LONDON),
    )


def test_no_email_carries_case_content(people, settings, django_capture_on_commit_callbacks):
    with time_machine.travel(NOW, tick=True):
        scenario = _run_round(0, people, settings, django_capture_on_commit_callbacks)
        with django_capture_on_commit_callbacks(execute=True):
            _what_the_first_case_does_not_reach(scenario)
            scenario.close()

    typed = {payload.marker: label for label, payload in scenario.fill.ledger}
    carried = {}
    for message in mail.outbox:
        for marker in markers_in(message.subject) | markers_in(message.body):
            carried.setdefault(f"email {message.subject[:50]!r}", set()).add(typed.get(marker, marker))
    for notification in Notification.objects.all():
        for marker in markers_in(notification.subject) | markers_in(notification.body):
            carried.setdefault(f"{notification.kind} notification", set()).add(typed.get(marker, marker))
    assert not carried, f"case content in notifications: {carried}"

    sent = set(Notification.objects.values_list("kind", flat=True))
    assert sent == set(NotificationKind.values), (
        f"kinds never sent here: {set(NotificationKind.values) - sent}"
    )
    assert {message.subject for message in mail.outbox} >= set(
        Notification.objects.values_list("subject", flat=True)
    ), "every notification was emailed"
