"""Replay a scenario through the real services on a moved clock, store nothing, report what happened.

For admins testing a pathway change and for trainers (`manage.py flowchart_replay SCENARIO.json`,
documented in docs/flowchart.md, "Replaying a scenario"). A scenario names a family, a start and
an end date, and events ("a phone call nobody answered at 10:00 on 3 November", "the manager
records the decision"). The run:

1. checks the scenario (`scenario_parse`): an unknown key, a missing one, an unknown event kind or
   person, or a bad date is a `ScenarioInvalid` with one line saying where and what;
2. inside one transaction that is always rolled back (`replay`), makes a team, a line manager, a
   lead practitioner (an allocated social worker if asked, and a school's multi-agency member when
   the scenario has a partner's report), opens the case with the referral date `start` through
   `cases.services.case_open`, adds the people and starts the pathway's episode on `start`;
3. walks every calendar day from `start` to `until` with the clock (time_machine) set to each
   moment: the reminder sweep at the morning reminder time, the day's events at their times,
   the sweep again at the end of the day, as the beat would; then reads the day's flow chart;
4. reads the notifications the run recorded from the Notification table (inside a rolled-back
   transaction `on_commit` never fires, so nothing is emailed), and rolls everything back.

Each event kind is one row of `EVENTS`: the keys it takes and the services it calls, looked up
by name on the service module when the event runs, so a service another engineer has not yet
added gives a refused event ("not available in this version") instead of stopping the run.
An event a service refuses with a domain error is reported in `refused` and the run goes on;
any other exception is a bug and propagates (and the transaction is rolled back all the same).
"""

import datetime as dt
import difflib
import inspect
import json
import re
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

import time_machine
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cases import services as case_services
from cases.documents import DocumentError
from cases.models import (
    Agency,
    AgencyKind,
    Case,
    CaseStatus,
    ContactMethod,
    MembershipRole,
    Person,
    PersonKind,
    ReferralSource,
    RelationshipKind,
    Role,
    SafeContact,
    Team,
    ThresholdLevel,
    User,
)
from cases.notifications import Notification
from cases.retention import RetentionError
from cases.services import CaseError
from engagement import services as engagement_services
from engagement.documents import services as document_services
from engagement.documents.models import Letter, LetterStatus, LetterStep
from engagement.documents.services import AgreementError, LetterError
from engagement.partners import services as partner_services
from engagement.partners.models import HowKnown, PartnerReportKind
from engagement.partners.services import PartnerReportError
from engagement.practice.services import PracticeToolError
from engagement.safety import services as safety_services
from engagement.safety.models import LoneWorkingWarning
from engagement.safety.services import HostileIncidentError
from engagement.services import ContactAttemptError
from riskassessment import services as assessment_services
from riskassessment.services import AssessmentError

from . import selectors
from . import services as flowchart_services
from .models import Episode, Pathway, PathwayVersion, SweepDay
from .pathways import CAMDEN, KNOWSLEY
from .services import FlowchartError

# The project's domain errors (`class ...Error(Exception)` in cases, engagement, flowchart and
# riskassessment): a service refusing an event, with the message a person would see. Anything
# else raised while replaying is a bug and propagates. (cases.documents.DocumentRenderError is
# left out on purpose: a PDF that cannot be rendered is a fault of the installation, not a
# refusal of what the scenario asked.)
DOMAIN_ERRORS: tuple[type[Exception], ...] = (
    CaseError,
    DocumentError,
    RetentionError,
    ContactAttemptError,
    AgreementError,
    LetterError,
    PracticeToolError,
    HostileIncidentError,
    FlowchartError,
    AssessmentError,
    PartnerReportError,
)

# The scenario's pathway names and the codes the seeded pathways have (flowchart/pathways.py).
PATHWAYS = {"knowsley": KNOWSLEY, "camden": CAMDEN}

# A run longer than a year is almost certainly a typing slip in a date, and would run two
# sweeps a day for all of it.
MAX_DAYS = 366

# A child's date of birth for the run: a child needs one (Person.child_has_date_of_birth).
CHILD_AGE_YEARS = 8

# Each step status of flowchart.schedule.Status as the output names it. A status not listed
# here stops the run: it is new, and the output's vocabulary (docs/flowchart.md) must say it.
STEP_STATUS = {
    "done": "done",
    "due_today": "due",
    "overdue": "overdue",
    "upcoming": "upcoming",
    "not_needed": "not_needed",
    "not_possible": "not_possible",
    "missed": "missed",
    "not_sent_unsafe": "not_sent_unsafe",
}

# How an episode ended, as the output names it (the case being closed is "closed" first).
EPISODE_END = {"engaged": "engaged", "decided": "decided", "escalated": "escalated"}

# Who acts for a `by` in the scenario, and how the output names the run's people.
LEAD, MANAGER, SOCIAL_WORKER = "lead_practitioner", "line_manager", "social_worker"
PARTNER = "agency_member"
PROFESSIONAL = "professional"  # `with` on an attempt: someone outside the family
PROFESSIONAL_NAME = "A professional"


class ScenarioInvalid(Exception):
    """The scenario cannot be read as given: one line saying where and what."""


class ReplaySetupFailed(Exception):
    """The run could not be set up in this installation (no such pathway, no manager...)."""


class NotAvailable(Exception):
    """A service (or one of its arguments) the event needs is not in this version of the code."""


# ---------------------------------------------------------------------------------------------
# What a scenario may say


@dataclass(frozen=True)
class Field:
    """One key of the scenario: its type, whether it must be given, and its allowed values.

    Types: "text", "date" (YYYY-MM-DD), "datetime" (YYYY-MM-DDTHH:MM), "boolean", "integer"
    (1 or more), "texts" (a list of text), "ref" (a person's ref), "with" (a person's ref or
    "professional"), "choice" (one of `choices`).
    """

    type: str
    required: bool = False
    choices: tuple[str, ...] = ()
    non_empty: bool = False  # for "texts": at least one


TOP_FIELDS: dict[str, Field] = {
    "description": Field("text"),
    "start": Field("date", required=True),
    "until": Field("date", required=True),
    "pathway": Field("choice", choices=tuple(PATHWAYS)),
    "people": Field("people"),
    "social_worker": Field("boolean"),
    "events": Field("events"),
}

PERSON_FIELDS: dict[str, Field] = {
    "ref": Field("text", required=True),
    "relationship": Field("choice", required=True, choices=(*RelationshipKind.values, "child")),
    "lives_in_household": Field("boolean"),
    "domestic_abuse_concern": Field("boolean"),
    "preferred_contact": Field("choice", choices=tuple(ContactMethod.values)),
    # Codes of cases.models.SafeContact, such as "no_letters" or "text_only".
    "safe_contact": Field("texts"),
    "prefers_verbal": Field("boolean"),
    "needs_interpreter": Field("boolean"),
}

# Keys every event has besides its kind.
EVENT_FIELDS: dict[str, Field] = {
    "at": Field("datetime", required=True),
    "note": Field("text"),
}


@dataclass(frozen=True)
class Service:
    """A service looked up by name on its module when an event runs."""

    module: ModuleType
    name: str

    @property
    def path(self) -> str:
        return f"{self.module.__name__}.{self.name}"

    def resolve(self) -> Callable[..., Any]:
        found = getattr(self.module, self.name, None)
        if found is None:
            raise NotAvailable(f"{self.path} is not available in this version")
        return found


@dataclass
class Run:
    """What one replay made and what it found."""

    case: Case
    lead: User
    manager: User
    social_worker: User | None
    people: dict[str, Person]
    pathway_code: str
    refused: list[dict] = field(default_factory=list)
    # The multi-agency member who reports (`partner_report`): made when the scenario has one.
    partner: User | None = None

    def user(self, by: str) -> User:
        return {LEAD: self.lead, MANAGER: self.manager, SOCIAL_WORKER: self.social_worker}[by]


@dataclass(frozen=True)
class EventKind:
    """One row of the event → service table: the event's keys, the services it calls (in the
    order `run` receives them, resolved when the event runs) and how the event calls them."""

    fields: Mapping[str, Field]
    services: tuple[Service, ...]
    run: Callable[..., Any]


def _accepting(function: Callable, **optional: Any) -> dict[str, Any]:
    """The optional keywords given a value, checked against the service's signature: a keyword
    the service does not take yet is refused as not available, not a crash."""
    given = {name: value for name, value in optional.items() if value}
    parameters = inspect.signature(function).parameters
    takes_any = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values())
    for name in given:
        if name not in parameters and not takes_any:
            raise NotAvailable(
                f'{function.__module__}.{function.__name__} does not take "{name}" in this version'
            )
    return given


# Text the services require that a scenario need not spell out; each can be given on the event.
FILLER = {
    "strategies_tried": "Telephone calls at different times of day, home visits with letters left, "
    "and the referrer asked how best to reach the family.",
    "fera_outcome": "The risks outweigh the protective factors while the children cannot be seen.",
    "discussion": "Discussed the non-engagement and the assessment with the lead practitioner.",
    "action": "Agree the next steps with the family's network",
    "analysis": "The family has not been reached despite repeated attempts; the children have not "
    "been seen since the referral.",
    "reasons": "Agreed with the lead practitioner after the assessment and the attempts made.",
    "reason": "Recorded in a replayed scenario.",
    "what": "To work with the service",
    "concern": "An immediate safeguarding concern about the children.",
    "mash_contact": "Telephoned the MASH and spoke to the duty social worker.",
    "place": "At the family's home",
    "what_happened": "Threats were made to the lead practitioner.",
    "letter_refused": "A letter could be read by the person she is kept safe from: ring her own mobile instead.",
    "details": "Recorded in a replayed scenario: what the partner agency saw, in their own words.",
    # The one risk factor and the one action of a replayed assessment: always these, not given on the event.
    "factor": "The children have not been seen since the referral",
    "evidence": "The chronology of contact attempts",
    "plan_action": "Arrange a joint visit with someone the family trusts",
}

# Where a replayed letter goes, and what fills its dotted gaps.
REPLAY_ADDRESS = "1 Replay Street\nReplay Town"
_DOTTED_GAP = re.compile(r"\.{5,}")


def _attempt(run: Run, body: dict, at: dt.datetime, record: Callable) -> None:
    with_ref = body.get("with")
    outcomes = body["outcomes"]
    record(
        case=run.case,
        by=run.lead,
        kind=body["kind"],
        outcome=outcomes[0],
        occurred_at=at,
        with_person=run.people[with_ref] if with_ref and with_ref != PROFESSIONAL else None,
        with_other=PROFESSIONAL_NAME if with_ref == PROFESSIONAL else "",
        non_engagement_forms=tuple(body.get("forms", ())),
        child_seen=body.get("child_seen", ""),
        notes=body.get("notes", ""),
        **_accepting(
            record,
            also_outcomes=tuple(outcomes[1:]),
            response=body.get("response", ""),
            what_agreed=body.get("what_agreed", ""),
            instead_of_letter=body.get("instead_of_letter", False),
        ),
    )


def _letter(run: Run, body: dict, at: dt.datetime, draft: Callable, update: Callable, send: Callable) -> None:
    """The lead practitioner sends a letter to `to` for the step `step`: a letter the manager has
    approved for them and that step is sent; otherwise a new one is written from the wording for
    the step's day, its gaps filled, and sent (held for the manager when the household needs it)."""
    person, order = run.people[body["to"]], body["step"]
    approved = (
        Letter.objects.filter(
            case=run.case, recipient=person, flow_step__order=order, status=LetterStatus.APPROVED
        )
        .order_by("decided_at", "pk")
        .first()
    )
    if approved is not None:
        send(letter=approved, by=run.lead)
        return
    live = selectors.live_episode(run.case)
    step = live.version.steps.filter(order=order).first() if live else None
    wording = LetterStep.DAY_5 if step is not None and step.day <= 5 else LetterStep.DAY_10
    letter = draft(case=run.case, by=run.lead, step=wording, recipient=person, flow_step_order=order)
    update(
        letter=letter,
        by=run.lead,
        address=REPLAY_ADDRESS,
        subject=letter.subject,
        body=_DOTTED_GAP.sub("the number at the top of this letter", letter.body),
    )
    send(letter=letter, by=run.lead)


def _letter_decision(run: Run, body: dict, at: dt.datetime, decide: Callable) -> None:
    """The line manager approves or refuses the letter that has waited longest for them."""
    held = Letter.objects.filter(case=run.case, status=LetterStatus.HELD).order_by("held_at", "pk").first()
    if held is None:
        raise LetterError("There is no letter waiting for the manager's approval")
    approve = body["approve"]
    decide(
        letter=held,
        by=run.manager,
        approve=approve,
        notes=body.get("reason", "" if approve else FILLER["letter_refused"]),
    )


def _engaged(run: Run, body: dict, at: dt.datetime, record: Callable) -> None:
    record(
        case=run.case,
        by=run.lead,
        person=run.people[body["who"]],
        what_agreed=body.get("what", FILLER["what"]),
        agreed_at=at,
    )


def _not_possible(run: Run, body: dict, at: dt.datetime, record: Callable) -> None:
    record(case=run.case, by=run.lead, order=body["step"], reason=body.get("reason", FILLER["reason"]))


def _inform_manager(run: Run, body: dict, at: dt.datetime, inform: Callable) -> None:
    inform(
        case=run.case,
        by=run.lead,
        strategies_tried=body.get("strategies_tried", FILLER["strategies_tried"]),
        fera_outcome=body.get("fera_outcome", FILLER["fera_outcome"]),
        risk_increased=body.get("risk_increased", "yes"),
    )


def _oversight(run: Run, body: dict, at: dt.datetime, record: Callable) -> None:
    by_when = body.get("by_when") or at.date() + dt.timedelta(days=7)
    record(
        case=run.case,
        by=run.manager,
        discussion=body.get("discussion", FILLER["discussion"]),
        risk_raised=body.get("risk_raised", "yes"),
        actions=[
            {
                "what": body.get("action", FILLER["action"]),
                "who": run.lead.full_name,
                "by_when": by_when,
                "review_on": body.get("review_on") or by_when + dt.timedelta(days=7),
            }
        ],
    )


def _fera_submitted(
    run: Run,
    body: dict,
    at: dt.datetime,
    start: Callable,
    update: Callable,
    submit: Callable,
    factor_data: type,
    action_data: type,
) -> None:
    """Start the assessment, write one risk factor, the analysis and one "what needs to happen"
    row with its review date, and submit it to the manager, all as the lead practitioner."""
    today = at.date()
    assessment = start(case=run.case, by=run.lead)
    update(
        assessment=assessment,
        by=run.lead,
        children=[p for p in run.people.values() if p.kind == PersonKind.CHILD],
        assessment_date=today,
        participants=run.lead.full_name,
        with_multi_agency_meeting=False,
        service=run.case.team.name,
        analysis=body.get("analysis", FILLER["analysis"]),
        elevated_risk=body.get("elevated_risk", False),
        factors=[
            factor_data(
                side="risk",
                timeframe="current",
                basis="evidenced",
                description=FILLER["factor"],
                evidence=FILLER["evidence"],
            )
        ],
        plan_actions=[
            action_data(
                what=FILLER["plan_action"],
                who=run.lead.full_name,
                by_when=today + dt.timedelta(days=5),
                review_on=today + dt.timedelta(days=10),
            )
        ],
    )
    submit(assessment=assessment, by=run.lead)


def _decision(run: Run, body: dict, at: dt.datetime, record: Callable) -> None:
    outcome = body["outcome"]
    review_on = body.get("review_on")
    if outcome == "continue" and review_on is None:
        review_on = at.date() + dt.timedelta(days=14)
    record(
        case=run.case,
        by=run.manager,
        outcome=outcome,
        reasons=body.get("reasons", FILLER["reasons"]),
        considered=flowchart_services.Considered(
            mash_referral="yes", multi_agency_meeting="yes", level_two="yes"
        ),
        social_worker_consulted=body.get("social_worker_consulted", "yes" if run.case.is_step_down else ""),
        review_on=review_on,
    )


def _close_request(run: Run, body: dict, at: dt.datetime, make: Callable) -> None:
    make(case=run.case, by=run.user(body.get("by", LEAD)), reason=body.get("reason", FILLER["reason"]))


def _close(run: Run, body: dict, at: dt.datetime, close: Callable) -> None:
    close(case=run.case, by=run.user(body["by"]), reason=body.get("reason", FILLER["reason"]))


def _safeguarding_escalation(run: Run, body: dict, at: dt.datetime, escalate: Callable) -> None:
    escalate(
        case=run.case,
        by=run.lead,
        concern=body.get("concern", FILLER["concern"]),
        mash_contact=body.get("mash_contact", FILLER["mash_contact"]),
    )


def _partner_report(run: Run, body: dict, at: dt.datetime, record: Callable) -> None:
    """The run's multi-agency member (a school's designated safeguarding lead) reports."""
    record(
        case=run.case,
        by=run.partner,
        kind=body["what"],
        occurred_on=body.get("when", at.date()),
        how_known=body.get("how", HowKnown.FIRST_HAND),
        details=body.get("details", FILLER["details"]),
    )


def _restart(run: Run, body: dict, at: dt.datetime, start: Callable) -> None:
    start(case=run.case, by=run.lead, pathway_code=run.pathway_code, day1=body["day1"])


def _hostile_incident(run: Run, body: dict, at: dt.datetime, record: Callable, place_for: Callable) -> None:
    """The lead practitioner records a hostile incident with one person, at the event's time. A
    hostile attempt recorded at the same minute is the attempt it came from (as the incident form
    is reached from the attempt form), and says where it happened."""
    attempt = (
        run.case.contact_attempts.filter(occurred_at=at, hostile=True, hostile_incident__isnull=True)
        .order_by("-pk")
        .first()
    )
    record(
        case=run.case,
        by=run.lead,
        occurred_at=at,
        place=place_for(attempt) if attempt is not None else FILLER["place"],
        people=[run.people[body["with"]]],
        what_happened=body.get("what", FILLER["what_happened"]),
        violence=body["violence"],
        threats=body.get("threats", False),
        staff_affected=[run.lead],
        attempt=attempt,
    )


def _warning_lifted(run: Run, body: dict, at: dt.datetime, lift: Callable) -> None:
    """`by` lifts the case's live lone-working warning; only the line manager may, with a reason."""
    warning = LoneWorkingWarning.objects.filter(case=run.case, lifted_at__isnull=True).first()
    if warning is None:
        raise HostileIncidentError("The case has no lone-working warning to lift")
    by = run.user(body["by"])
    if by is None:
        raise HostileIncidentError(
            'There is no allocated social worker in this run: give "social_worker": true'
        )
    lift(warning=warning, by=by, reason=body.get("reason", ""))


# The event → service table: one row per event kind. A new service slots in here.
EVENTS: dict[str, EventKind] = {
    "attempt": EventKind(
        fields={
            "kind": Field("text", required=True),
            "with": Field("with"),
            "outcomes": Field("texts", required=True, non_empty=True),
            "response": Field("text"),
            "what_agreed": Field("text"),
            "forms": Field("texts"),
            "child_seen": Field("text"),
            "notes": Field("text"),
            "instead_of_letter": Field("boolean"),
        },
        services=(Service(engagement_services, "contact_attempt_record"),),
        run=_attempt,
    ),
    "engaged": EventKind(
        fields={"who": Field("ref", required=True), "what": Field("text")},
        services=(Service(engagement_services, "engagement_agreement_record"),),
        run=_engaged,
    ),
    "not_possible": EventKind(
        fields={"step": Field("integer", required=True), "reason": Field("text")},
        services=(Service(flowchart_services, "step_not_possible_record"),),
        run=_not_possible,
    ),
    "inform_manager": EventKind(
        fields={
            "strategies_tried": Field("text"),
            "fera_outcome": Field("text"),
            "risk_increased": Field("text"),
        },
        services=(Service(flowchart_services, "manager_inform"),),
        run=_inform_manager,
    ),
    "oversight": EventKind(
        fields={
            "discussion": Field("text"),
            "risk_raised": Field("text"),
            "action": Field("text"),
            "by_when": Field("date"),
            "review_on": Field("date"),
        },
        services=(Service(flowchart_services, "oversight_record"),),
        run=_oversight,
    ),
    "fera_submitted": EventKind(
        fields={"analysis": Field("text"), "elevated_risk": Field("boolean")},
        services=(
            Service(assessment_services, "assessment_start"),
            Service(assessment_services, "assessment_update"),
            Service(assessment_services, "assessment_submit"),
            Service(assessment_services, "FactorData"),
            Service(assessment_services, "ActionData"),
        ),
        run=_fera_submitted,
    ),
    "decision": EventKind(
        fields={
            "outcome": Field("text", required=True),
            "reasons": Field("text"),
            "review_on": Field("date"),
            "social_worker_consulted": Field("text"),
        },
        services=(Service(flowchart_services, "decision_record"),),
        run=_decision,
    ),
    "close_request": EventKind(
        fields={"by": Field("choice", choices=(LEAD,)), "reason": Field("text")},
        services=(Service(flowchart_services, "closure_request_make"),),
        run=_close_request,
    ),
    "close": EventKind(
        fields={"by": Field("choice", required=True, choices=(LEAD, MANAGER)), "reason": Field("text")},
        services=(Service(case_services, "case_close"),),
        run=_close,
    ),
    "safeguarding_escalation": EventKind(
        fields={"concern": Field("text"), "mash_contact": Field("text")},
        services=(Service(flowchart_services, "safeguarding_escalate"),),
        run=_safeguarding_escalation,
    ),
    "restart": EventKind(
        fields={"day1": Field("date", required=True)},
        services=(Service(flowchart_services, "episode_start"),),
        run=_restart,
    ),
    "hostile_incident": EventKind(
        fields={
            "with": Field("ref", required=True),
            "violence": Field("boolean", required=True),
            "threats": Field("boolean"),
            "what": Field("text"),
        },
        services=(
            Service(safety_services, "hostile_incident_record"),
            Service(safety_services, "place_for_attempt"),
        ),
        run=_hostile_incident,
    ),
    "warning_lifted": EventKind(
        fields={
            "by": Field("choice", required=True, choices=(LEAD, MANAGER, SOCIAL_WORKER)),
            "reason": Field("text"),
        },
        services=(Service(safety_services, "lone_working_warning_lift"),),
        run=_warning_lifted,
    ),
    "letter": EventKind(
        fields={"to": Field("ref", required=True), "step": Field("integer", required=True)},
        services=(
            Service(document_services, "letter_draft"),
            Service(document_services, "letter_update"),
            Service(document_services, "letter_send"),
        ),
        run=_letter,
    ),
    "letter_decision": EventKind(
        fields={"approve": Field("boolean", required=True), "reason": Field("text")},
        services=(Service(document_services, "letter_decide"),),
        run=_letter_decision,
    ),
    "partner_report": EventKind(
        fields={
            "what": Field("choice", required=True, choices=tuple(PartnerReportKind.values)),
            "when": Field("date"),
            "how": Field("choice", choices=tuple(HowKnown.values)),
            "details": Field("text"),
        },
        services=(Service(partner_services, "partner_report_record"),),
        run=_partner_report,
    ),
}

# The reminder sweep, run as the beat would: at the morning time and at the end of each day.
SWEEP = Service(flowchart_services, "reminders_sweep")


# ---------------------------------------------------------------------------------------------
# Reading a scenario


@dataclass(frozen=True)
class PersonSpec:
    ref: str
    relationship: str
    lives_in_household: bool = True
    domestic_abuse_concern: bool = False
    preferred_contact: str = ""
    safe_contact: tuple[str, ...] = ()
    prefers_verbal: bool = False
    needs_interpreter: bool = False

    @property
    def is_child(self) -> bool:
        return self.relationship == "child"


@dataclass(frozen=True)
class EventSpec:
    index: int
    at: dt.datetime
    kind: str
    body: dict


@dataclass(frozen=True)
class Scenario:
    start: dt.date
    until: dt.date
    pathway: str = "knowsley"
    people: tuple[PersonSpec, ...] = ()
    social_worker: bool = False
    events: tuple[EventSpec, ...] = ()

    @property
    def pathway_code(self) -> str:
        return PATHWAYS[self.pathway]


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?")


def _q(value: str) -> str:
    """A value from the scenario in double quotes, escaped as JSON: the message stays one line."""
    return json.dumps(value, ensure_ascii=False)


def _quoted(values) -> str:
    return ", ".join(_q(v) for v in values)


def _suggest(word: str, choices) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f' (did you mean "{close[0]}"?)' if close else ""


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict:
    keys = [key for key, _ in pairs]
    for key in keys:
        if keys.count(key) > 1:
            raise ScenarioInvalid(f"the key {_q(key)} is given twice in one object")
    return dict(pairs)


def _object(value: Any, where: str) -> dict:
    if not isinstance(value, dict):
        raise ScenarioInvalid(f"{where}: expected an object {{...}}")
    return value


def _keys(given: dict, fields: Mapping[str, Field], where: str) -> None:
    for key in given:
        if key not in fields:
            raise ScenarioInvalid(f"{where}: unknown key {_q(key)}{_suggest(key, fields)}")
    for key, spec in fields.items():
        if spec.required and key not in given:
            raise ScenarioInvalid(f'{where}: missing key "{key}"')


def _value(value: Any, spec: Field, where: str, refs: Mapping[str, PersonSpec]) -> Any:
    """The value checked against its field and converted (dates to dates)."""
    kind = spec.type
    if kind in ("text", "ref", "with", "choice", "date", "datetime") and not isinstance(value, str):
        raise ScenarioInvalid(f"{where}: expected text in double quotes, got {json.dumps(value)}")
    if kind == "date":
        try:
            if not _DATE.fullmatch(value):
                raise ValueError
            return dt.date.fromisoformat(value)
        except ValueError:
            raise ScenarioInvalid(f"{where}: {_q(value)} is not a date: write it as YYYY-MM-DD") from None
    if kind == "datetime":
        try:
            if not _DATETIME.fullmatch(value):
                raise ValueError
            return dt.datetime.fromisoformat(value).replace(tzinfo=timezone.get_default_timezone())
        except ValueError:
            raise ScenarioInvalid(
                f"{where}: {_q(value)} is not a date and time: write it as YYYY-MM-DDTHH:MM"
            ) from None
    if kind == "boolean" and not isinstance(value, bool):
        raise ScenarioInvalid(f"{where}: expected true or false, got {json.dumps(value)}")
    if kind == "integer" and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
        raise ScenarioInvalid(f"{where}: expected a whole number from 1, got {json.dumps(value)}")
    if kind == "texts":
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise ScenarioInvalid(f'{where}: expected a list of text, such as ["no_answer"]')
        if spec.non_empty and not value:
            raise ScenarioInvalid(f"{where}: give at least one")
    if kind == "choice" and value not in spec.choices:
        raise ScenarioInvalid(
            f"{where}: {_q(value)} is not one of {_quoted(spec.choices)}{_suggest(value, spec.choices)}"
        )
    if kind in ("ref", "with") and value not in refs and not (kind == "with" and value == PROFESSIONAL):
        known = _quoted(refs) if refs else "none: add them under people"
        also = ' or "professional"' if kind == "with" else ""
        raise ScenarioInvalid(
            f"{where}: unknown person {_q(value)}{_suggest(value, refs)}; the people are {known}{also}"
        )
    return value


def _fields(given: dict, fields: Mapping[str, Field], where: str, refs: Mapping[str, PersonSpec]) -> dict:
    _keys(given, fields, where)
    return {key: _value(value, fields[key], f"{where}.{key}", refs) for key, value in given.items()}


def scenario_parse(text: str) -> Scenario:
    """The scenario from its JSON text, or ScenarioInvalid saying in one line what is wrong."""
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicate_keys)
    except json.JSONDecodeError as error:
        raise ScenarioInvalid(
            f"not valid JSON at line {error.lineno}, column {error.colno}: {error.msg}"
        ) from None
    top = _object(data, "the scenario")
    _keys(top, TOP_FIELDS, "the scenario")
    values = {
        key: _value(top[key], spec, key, {})
        for key, spec in TOP_FIELDS.items()
        if key in top and spec.type not in ("people", "events")
    }
    start, until = values["start"], values["until"]
    if until < start:
        raise ScenarioInvalid(f"until: {until} is before start, {start}")
    if (until - start).days + 1 > MAX_DAYS:
        raise ScenarioInvalid(f"until: a run can cover at most {MAX_DAYS} days")
    people = _people(top.get("people", []))
    refs = {person.ref: person for person in people}
    events = _events(top.get("events", []), refs, start, until)
    return Scenario(
        start=start,
        until=until,
        pathway=values.get("pathway", "knowsley"),
        people=people,
        social_worker=values.get("social_worker", False),
        events=events,
    )


def _people(given: Any) -> tuple[PersonSpec, ...]:
    if not isinstance(given, list):
        raise ScenarioInvalid("people: expected a list [...]")
    people: list[PersonSpec] = []
    for index, raw in enumerate(given):
        where = f"people[{index}]"
        values = _fields(_object(raw, where), PERSON_FIELDS, where, {})
        ref = values["ref"]
        if not ref.strip():
            raise ScenarioInvalid(f'{where}.ref: give the person a short name, such as "mum"')
        if ref == PROFESSIONAL:
            raise ScenarioInvalid(
                f'{where}.ref: "{PROFESSIONAL}" means someone outside the family: choose another'
            )
        if any(person.ref == ref for person in people):
            raise ScenarioInvalid(f"{where}.ref: {_q(ref)} is already someone else's ref")
        people.append(
            PersonSpec(
                ref=ref,
                relationship=values["relationship"],
                lives_in_household=values.get("lives_in_household", True),
                domestic_abuse_concern=values.get("domestic_abuse_concern", False),
                preferred_contact=values.get("preferred_contact", ""),
                safe_contact=_safe_contact(values.get("safe_contact", []), f"{where}.safe_contact"),
                prefers_verbal=values.get("prefers_verbal", False),
                needs_interpreter=values.get("needs_interpreter", False),
            )
        )
    return tuple(people)


def _safe_contact(codes: list[str], where: str) -> tuple[str, ...]:
    known = tuple(SafeContact.values)
    for code in codes:
        if code not in known:
            raise ScenarioInvalid(
                f"{where}: {_q(code)} is not one of {_quoted(known)}{_suggest(code, known)}"
            )
    return tuple(dict.fromkeys(codes))


def _events(
    given: Any, refs: Mapping[str, PersonSpec], start: dt.date, until: dt.date
) -> tuple[EventSpec, ...]:
    if not isinstance(given, list):
        raise ScenarioInvalid("events: expected a list [...]")
    events: list[EventSpec] = []
    for index, raw in enumerate(given):
        where = f"events[{index}]"
        raw = _object(raw, where)
        kinds = [key for key in raw if key not in EVENT_FIELDS]
        for key in kinds:
            if key not in EVENTS:
                hint = _suggest(key, [*EVENTS, *EVENT_FIELDS]) or f"; the kinds are {', '.join(EVENTS)}"
                raise ScenarioInvalid(f"{where}: unknown event kind {_q(key)}{hint}")
        if len(kinds) != 1:
            raise ScenarioInvalid(
                f'{where}: give "at" and exactly one event kind ({", ".join(EVENTS)})'
                + (f", not {len(kinds)}" if kinds else "")
            )
        kind = kinds[0]
        common = _fields({k: v for k, v in raw.items() if k != kind}, EVENT_FIELDS, where, refs)
        at = common["at"]
        if not start <= at.date() <= until:
            raise ScenarioInvalid(f"{where}.at: {raw['at']} is outside the run, {start} to {until}")
        if events and at < events[-1].at:
            raise ScenarioInvalid(
                f"{where}.at: {raw['at']} is before the event above it: list events in time order"
            )
        body = _fields(_object(raw[kind], f"{where}.{kind}"), EVENTS[kind].fields, f"{where}.{kind}", refs)
        events.append(EventSpec(index=index, at=at, kind=kind, body=body))
    return tuple(events)


# ---------------------------------------------------------------------------------------------
# Running it


class _RolledBack(Exception):
    """Raised at the end of every run so the transaction is rolled back, carrying the result."""

    def __init__(self, result: dict):
        super().__init__("rolled back")
        self.result = result


def replay(scenario: Scenario, *, version: PathwayVersion | None = None) -> dict:
    """Run the scenario, roll back everything it wrote, and return the report (see the module).

    With a `version`, the family follows that version of its pathway instead of the scenario's
    pathway: a draft is published for the run only (and rolled back with the rest), so an admin
    sees what a change would do before anyone follows it.
    """
    zone = timezone.get_default_timezone()
    with time_machine.travel(
        dt.datetime.combine(scenario.start, dt.time(0, 0), tzinfo=zone), tick=False
    ) as clock:
        try:
            with transaction.atomic():
                raise _RolledBack(_run(scenario, clock, zone, version))
        except _RolledBack as done:
            return done.result


def _run(scenario: Scenario, clock, zone, version: PathwayVersion | None = None) -> dict:
    # The replay's sweeps make each day's first full pass themselves: a day the real sweep
    # already passed would otherwise read only episodes changed since then, and miss this one.
    SweepDay.objects.filter(day__range=(scenario.start, scenario.until)).delete()
    if version is not None and not version.is_published:
        version.published_at = timezone.now()
        version.save(update_fields=["published_at"])
    run = _set_up(scenario, version.pathway.code if version is not None else None)
    sweep = SWEEP.resolve()
    morning = selectors.settings_in_force().morning_reminder_time
    by_day: dict[dt.date, list[EventSpec]] = {}
    for event in scenario.events:
        by_day.setdefault(timezone.localdate(event.at, zone), []).append(event)
    days = []
    for today in _dates(scenario.start, scenario.until):
        # The morning sweep goes before the day's events at the same minute or later; an event
        # earlier than the morning time (a 7:30 visit) happens before it, as it would.
        moments: list[tuple[dt.datetime, int, EventSpec | None]] = [
            (dt.datetime.combine(today, morning, tzinfo=zone), 0, None),
            *((event.at, 1, event) for event in by_day.get(today, [])),
            (dt.datetime.combine(today, dt.time(23, 59, 59), tzinfo=zone), 2, None),
        ]
        for when, _, event in sorted(moments, key=lambda m: (m[0], m[1])):
            clock.move_to(when, tick=False)
            if event is None:
                sweep(now=timezone.now())
            else:
                _play(run, event)
        days.append(_day(run, today))
    run.case.refresh_from_db()
    return {
        "days": days,
        "notifications": _notifications(run, zone),
        "refused": run.refused,
        "case_status": run.case.status,
        "warnings": _warnings(run, zone),
        "letters": _letters(run),
    }


def _play(run: Run, event: EventSpec) -> None:
    kind = EVENTS[event.kind]
    try:
        functions = [service.resolve() for service in kind.services]
        with transaction.atomic():
            kind.run(run, event.body, event.at, *functions)
    except NotAvailable as error:
        run.refused.append({"event": event.index, "error": f"{event.kind}: {error}"})
    except DOMAIN_ERRORS as error:
        run.refused.append({"event": event.index, "error": str(error)})


def _dates(start: dt.date, until: dt.date) -> Iterator[dt.date]:
    for offset in range((until - start).days + 1):
        yield start + dt.timedelta(days=offset)


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _set_up(scenario: Scenario, pathway_code: str | None = None) -> Run:
    """The team, its line manager, the lead practitioner, the case on the scenario's pathway
    from `start`, its people, (if asked) an allocated social worker with the role and a
    social-worker membership, and (for a partner's report) a school's multi-agency member: all
    through the real models and services, all rolled back with the rest."""
    token = uuid.uuid4().hex[:12]

    def user(name: str, role: str, **extra) -> User:
        return User.objects.create_user(
            email=f"replay-{token}-{name.lower().replace(' ', '-')}@example.invalid",
            password=None,  # unusable: nobody can sign in as a replay's user
            full_name=f"{name} (replay)",
            role=role,
            **extra,
        )

    manager = user("Line manager", Role.LINE_MANAGER, job_title="Team manager")
    team = Team.objects.create(name=f"Replay team {token}", manager=manager)
    manager.team = team
    manager.save(update_fields=["team"])
    lead = user("Lead practitioner", Role.LEAD_PRACTITIONER, team=team, job_title="Family support worker")
    social_worker = (
        user("Social worker", Role.SOCIAL_WORKER, job_title="Allocated social worker")
        if scenario.social_worker
        else None
    )
    partner = None
    if any(event.kind == "partner_report" for event in scenario.events):
        agency = Agency.objects.create(name=f"Replay school {token}", kind=AgencyKind.SCHOOL)
        partner = user("Partner", Role.AGENCY_MEMBER, agency=agency, job_title="Designated safeguarding lead")
    code = pathway_code or scenario.pathway_code
    try:
        case = _case_open(scenario, code, lead, social_worker)
        live = selectors.live_episode(case)
        if live is None:
            flowchart_services.episode_start(case=case, by=lead, pathway_code=code, day1=scenario.start)
        elif live.version.pathway.code != code or live.day1 != scenario.start:
            raise RuntimeError(
                f"The case opened on {live.version} from {live.day1}, not {code} from {scenario.start}"
            )
        if social_worker is not None:
            case_services.membership_add(
                case=case, by=lead, user=social_worker, role=MembershipRole.SOCIAL_WORKER
            )
        if partner is not None:
            case_services.membership_add(
                case=case,
                by=lead,
                user=partner,
                role=MembershipRole.AGENCY_MEMBER,
                agency_role="Designated safeguarding lead",
            )
        people = _people_add(scenario, case, lead)
    except DOMAIN_ERRORS as error:
        raise ReplaySetupFailed(f"the run could not be set up: {error}") from error
    return Run(
        case=case,
        lead=lead,
        manager=manager,
        social_worker=social_worker,
        people=people,
        pathway_code=code,
        partner=partner,
    )


def _case_open(scenario: Scenario, code: str, lead: User, social_worker: User | None) -> Case:
    if not Pathway.objects.filter(code=code).exists():
        raise ReplaySetupFailed(
            f'the run could not be set up: there is no pathway "{code}" in this installation'
        )
    # case_open starts the pathway used for new cases. Within this run (rolled back, so nobody
    # else ever sees it) the scenario's pathway is made that one.
    if not Pathway.objects.filter(code=code, is_default=True).exists():
        for pathway in [*Pathway.objects.filter(is_default=True), *Pathway.objects.filter(code=code)]:
            pathway.is_default = pathway.code == code
            pathway.save(update_fields=["is_default"])
    return case_services.case_open(
        by=lead,
        lead_practitioner=lead,
        family_name="Replay family",
        referral_date=scenario.start,
        referral_source=ReferralSource.OTHER,
        referrer_name="The referrer (replay)",
        referrer_contact="referrer@example.invalid",
        referral_reason="A scenario replayed through the flow chart.",
        threshold_level=ThresholdLevel.TARGETED,
        social_worker_name=social_worker.full_name if social_worker else "",
    )


def _people_add(scenario: Scenario, case: Case, lead: User) -> dict[str, Person]:
    """Children first (each adult's relationship to each child comes with the adult)."""
    people: dict[str, Person] = {}
    children = [p for p in scenario.people if p.is_child]
    for spec in children:
        people[spec.ref] = case_services.person_add(
            case=case,
            by=lead,
            kind=PersonKind.CHILD,
            full_name=spec.ref,
            date_of_birth=_years_before(scenario.start, CHILD_AGE_YEARS),
            lives_in_household=spec.lives_in_household,
            domestic_abuse_concern=spec.domestic_abuse_concern,
            preferred_contact_method=spec.preferred_contact,
            **_reading_and_plan(spec),
        )
    for spec in scenario.people:
        if spec.is_child:
            continue
        people[spec.ref] = case_services.person_add(
            case=case,
            by=lead,
            kind=PersonKind.ADULT,
            relationships={people[child.ref]: spec.relationship for child in children},
            full_name=spec.ref,
            lives_in_household=spec.lives_in_household,
            domestic_abuse_concern=spec.domestic_abuse_concern,
            preferred_contact_method=spec.preferred_contact,
            **_reading_and_plan(spec),
        )
    return {spec.ref: people[spec.ref] for spec in scenario.people}


def _reading_and_plan(spec: PersonSpec) -> dict:
    """The person's safe-contact plan and reading needs, as cases.services.person_add takes them."""
    details = {}
    if spec.safe_contact:
        details["safe_contact"] = list(spec.safe_contact)
    if spec.prefers_verbal:
        details["prefers_verbal_communication"] = True
    if spec.needs_interpreter:
        details["needs_interpreter"] = True
    return details


def _episode_now(case: Case) -> Episode:
    """The live episode, or the one that started last."""
    episodes = Episode.objects.filter(case=case).select_related("version")
    return episodes.filter(ended_on__isnull=True).first() or episodes.order_by("-started_at", "-pk").first()


def _day(run: Run, today: dt.date) -> dict:
    case = Case.objects.get(pk=run.case.pk)
    episode = _episode_now(case)
    result = selectors.episode_progress(episode, today)
    if case.status == CaseStatus.CLOSED:
        state = "closed"
    elif episode.ended_on is None or episode.ended_on > today:
        state = "live"
    elif episode.end_reason in EPISODE_END:
        state = EPISODE_END[episode.end_reason]
    else:
        raise RuntimeError(
            f"An episode end the replay does not know: {episode.end_reason!r}: add it to EPISODE_END"
        )
    return {
        "date": today.isoformat(),
        "day": result.day_number if today >= episode.day1 else None,
        "episode": state,
        "steps": [
            {
                "order": step.step.order,
                "title": step.step.title,
                "due": step.due_on.isoformat(),
                "status": _status(step.status),
            }
            for step in result.steps
        ],
    }


def _status(status: str) -> str:
    try:
        return STEP_STATUS[str(status)]
    except KeyError:
        raise RuntimeError(
            f"A step status the replay does not know: {status!r}: add it to flowchart.replay.STEP_STATUS "
            "and to the output's description in docs/flowchart.md"
        ) from None


# Each letter status as the output names it (engagement.documents.models.LetterStatus).
LETTER_STATUS = {
    "draft": "draft",
    "held": "held",
    "approved": "approved",
    "refused": "refused",
    "sent": "sent",
}


def _letters(run: Run) -> list[dict]:
    """Every letter of the run's case as it stood at the end, in the order they were written:
    who it was to (their ref), the step's order (null if written for no step) and its status."""
    refs = {person.pk: ref for ref, person in run.people.items()}
    rows = (
        Letter.objects.filter(case=run.case)
        .order_by("created_at", "pk")
        .values_list("recipient_id", "flow_step__order", "status")
    )
    return [
        {"to": refs.get(recipient, str(recipient)), "step": order, "status": LETTER_STATUS[status]}
        for recipient, order, status in rows
    ]


def _notifications(run: Run, zone) -> list[dict]:
    """What was recorded for the run's people, and for anyone else about the run's case (named
    by their role: a multi-agency member is "agency_member"), in the order it was recorded."""
    roles = {run.lead.pk: LEAD, run.manager.pk: MANAGER}
    if run.social_worker is not None:
        roles[run.social_worker.pk] = SOCIAL_WORKER
    if run.partner is not None:
        roles[run.partner.pk] = PARTNER
    rows = (
        Notification.objects.filter(Q(recipient_id__in=roles) | Q(case=run.case))
        .order_by("created_at", "pk")
        .values_list("created_at", "recipient_id", "recipient__role", "kind")
    )
    return [
        {
            "at": timezone.localtime(at, zone).strftime("%Y-%m-%dT%H:%M"),
            "to_role": roles.get(recipient, role),
            "kind": kind,
        }
        for at, recipient, role, kind in rows
    ]


def _warnings(run: Run, zone) -> list[dict]:
    """Each lone-working warning the case carried: the day it was raised and the day it was
    lifted (null while it is still on the case), oldest first."""
    rows = (
        LoneWorkingWarning.objects.filter(case=run.case)
        .order_by("raised_on", "pk")
        .values_list("raised_on", "lifted_at")
    )
    return [
        {
            "from": raised_on.isoformat(),
            "to": timezone.localtime(lifted_at, zone).date().isoformat() if lifted_at else None,
        }
        for raised_on, lifted_at in rows
    ]
