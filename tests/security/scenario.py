"""A whole case written through the service's own forms, every free-text field filled with a payload.

`Scenario.run()` does what a lead practitioner, their line manager and a multi-agency member do
over a case's first weeks, each through the page and form they would use: open the case, add
the family (and the allocated social worker), record attempts, take a partner agency's report, agree and sign a working together agreement, send letters, draft,
return, sign and share the risk assessment, inform the manager, record oversight and a decision,
escalate to the MASH, use every practice tool, and close the case. Every free-text box gets the
next payload of the corpus; the ledger remembers which field got which.
"""

import datetime as dt
import re
from dataclasses import dataclass, field

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, Person
from engagement.documents.models import Agreement, Letter
from engagement.models import AttemptKind, AttemptOutcome
from flowchart.models import ClosureRequest, Decision
from riskassessment.models import Assessment, Factor

from .payloads import PAYLOADS, Payload


@dataclass
class Filler:
    """Hands out the corpus in turn, skipping payloads too long for a field; remembers who got what."""

    position: int = 0
    ledger: list[tuple[str, Payload]] = field(default_factory=list)
    deferred: list[Payload] = field(default_factory=list)  # too long for the field they came up for
    pool: list[Payload] = field(default_factory=lambda: PAYLOADS)

    def __call__(self, label: str, max_length: int | None = None) -> str:
        for index, waiting in enumerate(self.deferred):
            if waiting.fits(max_length):
                payload = self.deferred.pop(index)
                break
        else:
            for _ in range(len(self.pool)):
                payload = self.pool[self.position % len(self.pool)]
                self.position += 1
                if payload.fits(max_length):
                    break
                if payload not in self.deferred:
                    self.deferred.append(payload)
            else:
                # A short pool (the payloads still to show) may hold none short enough for this
                # field: it gets the first of the whole corpus that fits instead.
                payload = next(p for p in PAYLOADS if p.fits(max_length))
        self.ledger.append((label, payload))
        return payload.text


def date_fields(prefix: str, day: dt.date) -> dict:
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year}


def _errors(response) -> str:
    text = response.content.decode(errors="replace")
    found = re.findall(r'<a href="#[^"]*">([^<]*)</a>', text.split("govuk-error-summary__list", 1)[-1])
    return "; ".join(found[:5]) or text[:300]


def submit(client: Client, url: str, data: dict | None = None) -> str:
    """POST like the browser does; the form must be accepted (a redirect). Returns where it went."""
    response = client.post(url, data or {})
    assert response.status_code == 302, (
        f"POST {url} was refused ({response.status_code}): {_errors(response)}"
    )
    return response["Location"]


def _pk(location: str, name: str) -> int:
    match = re.search(rf"/{name}/(\d+)/", location)
    assert match, f"no {name} id in {location}"
    return int(match[1])


@dataclass
class Scenario:
    lead: object
    manager: object
    agency: object
    today: dt.date
    fill: Filler
    social_worker: object = None  # the allocated social worker, added to the case when given
    clients: dict = field(default_factory=dict)
    urls: dict = field(default_factory=dict)  # page name -> (role, url), rendered at the end
    visited: list = field(default_factory=list)  # (page name, role, url, response) along the way
    pdf_urls: dict = field(default_factory=dict)  # document name -> (role, url)
    case: Case | None = None

    def client(self, role: str) -> Client:
        if role not in self.clients:
            client = Client()
            people = {
                "lead": self.lead,
                "manager": self.manager,
                "agency": self.agency,
                "social_worker": self.social_worker,
            }
            client.force_login(people[role])
            self.clients[role] = client
        return self.clients[role]

    def url(self, name: str, **kwargs) -> str:
        return reverse(name, kwargs=kwargs)

    def page(self, label: str, role: str, name: str, **kwargs) -> None:
        """A page to render once everything is recorded."""
        self.urls[label] = (role, self.url(name, **kwargs))

    def visit(self, label: str, role: str, name: str, **kwargs) -> None:
        """A page that shows a passing state (a draft, a form): render it now."""
        url = self.url(name, **kwargs)
        self.visited.append((label, role, url, self.client(role).get(url)))

    # --- The case and the family ---------------------------------------------------------------

    def open_case(self) -> None:
        f, lead = self.fill, self.client("lead")
        location = submit(
            lead,
            self.url("cases:case_create"),
            {
                "family_name": f("Case.family_name", 200),
                **date_fields("referral_date", self.today - dt.timedelta(days=16)),
                "referral_source": "school",
                "referrer_name": f("Case.referrer_name", 200),
                "referrer_organisation": f("Case.referrer_organisation", 200),
                "referrer_contact": f("Case.referrer_contact", 200),
                "referral_reason": f("Case.referral_reason"),
                "threshold_level": 3,
                "is_step_down": "on",
                "social_worker_name": f("Case.social_worker_name", 200),
                "social_worker_contact": f("Case.social_worker_contact", 200),
            },
        )
        self.case = Case.objects.get(pk=_pk(location, "cases"))
        c = self.case.pk
        self.page("case page", "lead", "cases:case_detail", case_pk=c)
        self.page("case page (manager)", "manager", "cases:case_detail", case_pk=c)
        self.page("my cases", "lead", "cases:my_cases")
        self.page("team cases", "manager", "cases:my_cases")
        self.page("my work today", "lead", "today:my_work")
        self.page("edit the case", "lead", "cases:case_edit", case_pk=c)
        self.page("close the case", "manager", "flowchart:case_close", case_pk=c)
        self.page("reassign", "manager", "cases:case_reassign", case_pk=c)
        self.page("add someone", "lead", "cases:membership_add", case_pk=c)
        self.page("add a child", "lead", "cases:person_add", case_pk=c, kind="child")

    def add_family(self) -> None:
        f, lead, c = self.fill, self.client("lead"), self.case.pk
        submit(
            lead,
            self.url("cases:person_add", case_pk=c, kind="child"),
            {
                "full_name": f("Person.full_name (child)", 200),
                **date_fields("date_of_birth", self.today - dt.timedelta(days=3000)),
                "school": f("Person.school", 200),
                "lives_in_household": "True",
                "language": f("Person.language", 100),
                "learning_needs": f("Person.learning_needs (child)"),
            },
        )
        self.child = Person.objects.filter(case=self.case, kind="child").latest("pk")
        for label, abuse in (("adult", False), ("adult with a domestic abuse concern", True)):
            submit(
                lead,
                self.url("cases:person_add", case_pk=c, kind="adult"),
                {
                    "full_name": f(f"Person.full_name ({label})", 200),
                    "lives_in_household": "True",
                    "phone": f("Person.phone", 50),
                    "preferred_contact_method": "text",
                    "language": f("Person.language", 100),
                    "learning_needs": f("Person.learning_needs"),
                    "safe_contact_notes": f("Person.safe_contact_notes"),
                    f"relationship_{self.child.pk}": "mother",
                    **({"domestic_abuse_concern": "on"} if abuse else {}),
                },
            )
        adults = list(Person.objects.filter(case=self.case, kind="adult").order_by("pk"))
        self.parent, self.guarded = adults
        submit(
            lead,
            self.url("cases:membership_add", case_pk=c),
            {
                "user": self.agency.pk,
                "role": "agency_member",
                "agency_role": f("CaseMembership.agency_role", 200),
            },
        )
        if self.social_worker is not None:
            submit(
                lead,
                self.url("cases:membership_add", case_pk=c),
                {
                    "user": self.social_worker.pk,
                    "role": "social_worker",
                    "agency_role": f("CaseMembership.agency_role (social worker)", 200),
                },
            )
            self.page("allocated cases", "social_worker", "socialwork:allocated_cases")
            self.page("allocated case", "social_worker", "socialwork:case", case_pk=c)
        self.page("add an adult", "lead", "cases:person_add", case_pk=c, kind="adult")
        self.page("my work today (the family to call)", "lead", "today:my_work")
        self.page("edit the child", "lead", "cases:person_edit", case_pk=c, pk=self.child.pk)
        self.page("edit the adult", "lead", "cases:person_edit", case_pk=c, pk=self.parent.pk)

    # --- Contact attempts ----------------------------------------------------------------------

    def record_attempt(self) -> None:
        f, c = self.fill, self.case.pk
        n = self.case.contact_attempts.count()
        submit(
            self.client("lead"),
            self.url("engagement:attempt_record", case_pk=c),
            {
                "kind": AttemptKind.UNANNOUNCED_VISIT if n % 2 else AttemptKind.PHONE_CALL,
                **date_fields("occurred_on", self.today - dt.timedelta(days=max(15 - n, 0))),
                "occurred_time": "09:30",
                "outcome": AttemptOutcome.NO_ANSWER,
                "with_person": self.parent.pk,
                "with_other": f("ContactAttempt.with_other", 200),
                "made_by": self.lead.pk,
                "notes": f("ContactAttempt.notes"),
                "child_seen": "",
                "child_words": f("ContactAttempt.child_words"),
                "challenge": f("ContactAttempt.challenge"),
                "family_response": f("ContactAttempt.family_response"),
                "purpose": f("ContactAttempt.purpose"),
                "what_was_done": f("ContactAttempt.what_was_done"),
                "what_is_required": f("ContactAttempt.what_is_required"),
                "required_by_whom": f("ContactAttempt.required_by_whom", 200),
                **date_fields("required_by_when", self.today + dt.timedelta(days=5)),
            },
        )

    def drain(self) -> None:
        """Payloads put aside as too long for a short field go into attempts' long fields."""
        while self.fill.deferred:
            self.record_attempt()

    def record_attempts(self, count: int = 2) -> None:
        c = self.case.pk
        for _ in range(count):
            self.record_attempt()
        attempt = self.case.contact_attempts.order_by("pk").first()
        self.page("chronology", "lead", "engagement:chronology", case_pk=c)
        self.page("chronology (manager)", "manager", "engagement:chronology", case_pk=c)
        self.page("attempt", "lead", "engagement:attempt_detail", case_pk=c, pk=attempt.pk)
        self.page("attempt (manager)", "manager", "engagement:attempt_detail", case_pk=c, pk=attempt.pk)
        self.page("correct an attempt", "lead", "engagement:attempt_edit", case_pk=c, pk=attempt.pk)
        self.page("record an attempt", "lead", "engagement:attempt_record", case_pk=c)

    # --- A hostile incident, its review and the lone-working warning -----------------------------

    def hostile_incident(self) -> None:
        """Hostility ticked on a call leads to the incident form; the manager reviews and lifts."""
        f, lead, manager, c = self.fill, self.client("lead"), self.client("manager"), self.case.pk
        location = submit(
            lead,
            self.url("engagement:attempt_record", case_pk=c),
            {
                "kind": AttemptKind.PHONE_CALL,
                **date_fields("occurred_on", self.today),
                "occurred_time": "09:30",
                "outcome": AttemptOutcome.SPOKE,
                "with_person": self.parent.pk,
                "response": "hostile",
                "made_by": self.lead.pk,
                "notes": f("ContactAttempt.notes (hostile call)"),
                "non_engagement_forms": ["hostility"],
            },
        )
        assert "/hostile-incidents/new/?attempt=" in location, "hostility leads to the incident form"
        self.visited.append(
            ("hostile incident form (from the attempt)", "lead", location, lead.get(location))
        )
        location = submit(
            lead,
            location,
            {
                **date_fields("occurred_on", self.today),
                "occurred_time": "09:30",
                "place": f("HostileIncident.place", 200),
                "people": [self.parent.pk],
                "what_happened": f("HostileIncident.what_happened"),
                "involved": ["threats", "police_called"],
                "police_reference": f("HostileIncident.police_reference", 100),
                "staff_affected": [self.lead.pk],
                "others_affected": f("HostileIncident.others_affected", 300),
            },
        )
        pk = _pk(location, "hostile-incidents")
        self.visit("case page (visit in pairs)", "lead", "cases:case_detail", case_pk=c)
        self.visit("my cases (visit in pairs)", "lead", "cases:my_cases")
        self.visit("needs you (incident to review)", "manager", "needs_you:queue")
        self.visit("review the incident", "manager", "engagement:hostile_incident_review", case_pk=c, pk=pk)
        location = submit(
            manager,
            self.url("engagement:hostile_incident_review", case_pk=c, pk=pk),
            {
                "meeting_held": "yes",
                **date_fields("meeting_on", self.today),
                "safety_plan": f("HostileIncidentReview.safety_plan"),
                "warning_stays": "no",
            },
        )
        assert "/lone-working-warnings/" in location, "the manager goes on to lift the warning"
        self.visited.append(("lift the warning", "manager", location, manager.get(location)))
        submit(manager, location, {"reason": f("LoneWorkingWarning.lift_reason")})
        self.page("hostile incident", "lead", "engagement:hostile_incident_detail", case_pk=c, pk=pk)
        self.page(
            "hostile incident (manager)", "manager", "engagement:hostile_incident_detail", case_pk=c, pk=pk
        )
        self.page("record a hostile incident", "lead", "engagement:hostile_incident_record", case_pk=c)
        if self.social_worker is not None:
            # The allocated social worker reads it and records their own review after the meeting.
            self.visit(
                "review the incident (social worker)",
                "social_worker",
                "engagement:hostile_incident_review",
                case_pk=c,
                pk=pk,
            )
            submit(
                self.client("social_worker"),
                self.url("engagement:hostile_incident_review", case_pk=c, pk=pk),
                {
                    "meeting_held": "yes",
                    **date_fields("meeting_on", self.today),
                    "safety_plan": f("HostileIncidentReview.safety_plan (social worker)"),
                },
            )
            self.page(
                "hostile incident (social worker)",
                "social_worker",
                "engagement:hostile_incident_detail",
                case_pk=c,
                pk=pk,
            )

    # --- A partner agency's report of non-engagement --------------------------------------------

    def partner_report(self) -> None:
        """The school's member reports, from the case they sit on; the lead practitioner reads it in
        the chronology and the allocated social worker on their page for the case."""
        c = self.case.pk
        submit(
            self.client("agency"),
            self.url("engagement:partner_report", case_pk=c),
            {
                "kind": "child_not_brought",
                **date_fields("occurred_on", self.today - dt.timedelta(days=1)),
                "occurred_time": "08:45",
                "how_known": "records",
                "details": self.fill("PartnerReport.details"),
            },
        )
        self.page("report non-engagement", "agency", "engagement:partner_report", case_pk=c)
        self.page("chronology, with a partner's report", "lead", "engagement:chronology", case_pk=c)
        if self.social_worker is not None:
            self.page("partner reports", "social_worker", "socialwork:partner_reports", case_pk=c)

    # --- Working together agreement and letters ------------------------------------------------

    def agree(self) -> None:
        f, lead, c = self.fill, self.client("lead"), self.case.pk
        location = submit(lead, self.url("engagement:agreement_start", case_pk=c))
        pk = _pk(location, "agreements")
        submit(
            lead,
            self.url("engagement:agreement_edit", case_pk=c, pk=pk),
            {
                "our_commitments": f("Agreement.our_commitments"),
                "family_commitments": f("Agreement.family_commitments"),
                "goals": f("Agreement.goals"),
                **date_fields("review_on", self.today + dt.timedelta(days=30)),
            },
        )
        self.visit("agreement (draft)", "lead", "engagement:agreement_detail", case_pk=c, pk=pk)
        self.visit("edit the agreement", "lead", "engagement:agreement_edit", case_pk=c, pk=pk)
        submit(
            lead,
            self.url("engagement:agreement_sign", case_pk=c, pk=pk),
            {
                "role": "parent",
                "person": self.parent.pk,
                "method": "typed",
                "typed_name": f("AgreementSignature.name (parent)", 200),
            },
        )
        self.visit("sign the agreement", "lead", "engagement:agreement_sign", case_pk=c, pk=pk)
        submit(
            lead,
            self.url("engagement:agreement_sign", case_pk=c, pk=pk),
            {
                "role": "practitioner",
                "method": "typed",
                "typed_name": f("AgreementSignature.name (practitioner)", 200),
            },
        )
        self.agreement = Agreement.objects.get(pk=pk)
        assert self.agreement.document_id, "signing by both sides prints the agreement"
        self.page("agreement", "lead", "engagement:agreement_detail", case_pk=c, pk=pk)
        self.page("agreements", "lead", "engagement:agreement_list", case_pk=c)
        self.pdf_urls["agreement"] = ("lead", self.url("engagement:agreement_pdf", case_pk=c, pk=pk))

    def write_letters(self) -> None:
        """Both adults live at one address and one has a domestic abuse concern: every letter is
        held for the manager. The manager approves the parent's (with a note) and refuses the
        other's (with the reason); a letter written outside the system is recorded and held too."""
        f, lead, manager, c = self.fill, self.client("lead"), self.client("manager"), self.case.pk
        letters = {}
        for label, person in (("sent", self.parent), ("held", self.guarded)):
            location = submit(
                lead,
                self.url("engagement:letter_start", case_pk=c),
                {"step": "day_10", "recipient": person.pk},
            )
            pk = _pk(location, "letters")
            submit(
                lead,
                self.url("engagement:letter_edit", case_pk=c, pk=pk),
                {
                    "address": f("Letter.address"),
                    "subject": f("Letter.subject", 200),
                    "body": f("Letter.body"),
                },
            )
            self.visit(f"letter ({label}, draft)", "lead", "engagement:letter_detail", case_pk=c, pk=pk)
            self.visit(f"edit a letter ({label})", "lead", "engagement:letter_edit", case_pk=c, pk=pk)
            submit(lead, self.url("engagement:letter_send", case_pk=c, pk=pk))
            letters[label] = pk
        location = submit(
            lead,
            self.url("engagement:letter_outside", case_pk=c),
            {
                "step": "day_5",
                "recipient": self.parent.pk,
                "address": f("Letter.address (outside the system)"),
                "subject": f("Letter.subject (outside the system)", 200),
                "body": f("Letter.body (outside the system)"),
            },
        )
        outside = _pk(location, "letters")
        self.visit("record a letter sent outside the system", "lead", "engagement:letter_outside", case_pk=c)
        self.visit("needs you (letter awaiting approval)", "manager", "needs_you:queue")
        held = letters["held"]
        self.visit("letter (held)", "manager", "engagement:letter_detail", case_pk=c, pk=held)
        self.visit("decide on a letter", "manager", "engagement:letter_decide", case_pk=c, pk=held)
        submit(
            manager,
            self.url("engagement:letter_decide", case_pk=c, pk=letters["sent"]),
            {"decision": "approve", "notes": f("Letter.decision_notes (approved)")},
        )
        submit(
            manager,
            self.url("engagement:letter_decide", case_pk=c, pk=outside),
            {"decision": "approve", "notes": f("Letter.decision_notes (outside the system)")},
        )
        submit(
            manager,
            self.url("engagement:letter_decide", case_pk=c, pk=held),
            {"decision": "refuse", "notes": f("Letter.decision_notes")},
        )
        submit(lead, self.url("engagement:letter_send", case_pk=c, pk=letters["sent"]))
        submit(lead, self.url("engagement:letter_send", case_pk=c, pk=outside))
        self.letter = Letter.objects.get(pk=letters["sent"])
        assert self.letter.document_id, "sending a letter prints it"
        assert Letter.objects.get(pk=outside).status == "sent"
        self.page("letter (held, refused)", "lead", "engagement:letter_detail", case_pk=c, pk=held)
        self.page("letter (sent)", "lead", "engagement:letter_detail", case_pk=c, pk=letters["sent"])
        self.page("letter (outside the system)", "lead", "engagement:letter_detail", case_pk=c, pk=outside)
        self.page("letters", "lead", "engagement:letter_list", case_pk=c)
        self.pdf_urls["letter"] = ("lead", self.url("engagement:letter_pdf", case_pk=c, pk=letters["sent"]))

    # --- The risk assessment -------------------------------------------------------------------

    def _assessment_edit(self, pk: int, *, factors=(None, None), action=None) -> None:
        """Fill every text of the draft through its section pages, as the lead practitioner does:
        about, analysis, one factor a side and one action (added, or changed when an id is given)."""
        f, lead, c = self.fill, self.client("lead"), self.case.pk
        draft = {"case_pk": c, "pk": pk}
        submit(
            lead,
            self.url("riskassessment:assessment_about", **draft),
            {
                "children": [self.child.pk],
                **date_fields("assessment_date", self.today),
                "participants": f("Assessment.participants"),
                "with_multi_agency_meeting": "no",
                "service": f("Assessment.service", 200),
            },
        )
        submit(
            lead,
            self.url("riskassessment:assessment_analysis", **draft),
            {"analysis": f("Assessment.analysis"), "elevated_risk": "yes"},
        )
        for side, factor_pk in zip(("risk", "protective"), factors, strict=True):
            name, row = "assessment_factor_add", {"side": side}
            if factor_pk is not None:
                name, row = "assessment_factor_change", {"side": side, "factor_pk": factor_pk}
            submit(
                lead,
                self.url(f"riskassessment:{name}", **draft, **row),
                {
                    "timeframe": "current",
                    "basis": "evidenced",
                    "category": "",
                    "description": f(f"Factor.description ({side})"),
                    "evidence": f(f"Factor.evidence ({side})"),
                },
            )
        name, row = "assessment_action_add", {}
        if action is not None:
            name, row = "assessment_action_change", {"action_pk": action}
        submit(
            lead,
            self.url(f"riskassessment:{name}", **draft, **row),
            {
                "what": f("Action.what (plan)"),
                "who": f("Action.who (plan)", 200),
                **date_fields("by_when", self.today + dt.timedelta(days=7)),
                **date_fields("review_on", self.today + dt.timedelta(days=14)),
            },
        )

    def assess(self) -> None:
        lead, manager, c = self.client("lead"), self.client("manager"), self.case.pk
        location = submit(lead, self.url("riskassessment:assessment_start", case_pk=c))
        pk = int(re.search(r"/case/\d+/(\d+)/", location)[1])
        self._assessment_edit(pk)
        self.visit("assessment (draft)", "lead", "riskassessment:assessment_detail", case_pk=c, pk=pk)
        self.visit("assessment task list", "lead", "riskassessment:assessment_tasks", case_pk=c, pk=pk)
        self.visit("assessment about", "lead", "riskassessment:assessment_about", case_pk=c, pk=pk)
        self.visit("assessment analysis", "lead", "riskassessment:assessment_analysis", case_pk=c, pk=pk)
        self.visit("submit the assessment", "lead", "riskassessment:assessment_submit", case_pk=c, pk=pk)
        submit(lead, self.url("riskassessment:assessment_submit", case_pk=c, pk=pk))
        self.visit("assessment (submitted)", "manager", "riskassessment:assessment_detail", case_pk=c, pk=pk)
        self.visit("record oversight", "manager", "riskassessment:assessment_oversight", case_pk=c, pk=pk)
        self.visit("return", "manager", "riskassessment:assessment_return", case_pk=c, pk=pk)
        submit(
            manager,
            self.url("riskassessment:assessment_return", case_pk=c, pk=pk),
            {"reason": self.fill("assessment_return reason (notification)")},
        )
        submit(lead, self.url("riskassessment:assessment_submit", case_pk=c, pk=pk))
        submit(
            manager,
            self.url("riskassessment:assessment_oversight", case_pk=c, pk=pk),
            {
                "oversight-TOTAL_FORMS": "1",
                "oversight-INITIAL_FORMS": "0",
                "oversight-0-id": "",
                "oversight-0-what": self.fill("Action.what (oversight)"),
                "oversight-0-who": self.fill("Action.who (oversight)", 200),
                **date_fields("oversight-0-by_when", self.today + dt.timedelta(days=7)),
                **date_fields("oversight-0-review_on", self.today + dt.timedelta(days=14)),
            },
        )
        self.visit(
            "record oversight (recorded)", "manager", "riskassessment:assessment_oversight", case_pk=c, pk=pk
        )
        self.visit("sign", "manager", "riskassessment:assessment_sign", case_pk=c, pk=pk)
        submit(
            manager,
            self.url("riskassessment:assessment_sign", case_pk=c, pk=pk),
            {"typed_name": self.manager.full_name},
        )
        signed = Assessment.objects.get(pk=pk)
        assert signed.is_signed and signed.shares.filter(member=self.agency).exists()
        submit(
            self.client("agency"),
            self.url("riskassessment:shared_comment", pk=pk),
            {"body": self.fill("Comment.body")},
        )
        self.page("assessment (signed)", "lead", "riskassessment:assessment_detail", case_pk=c, pk=pk)
        self.page("assessment (manager)", "manager", "riskassessment:assessment_detail", case_pk=c, pk=pk)
        self.page("assessments", "lead", "riskassessment:case_assessments", case_pk=c)
        self.page("shared with me", "agency", "riskassessment:shared_list")
        self.page("shared assessment", "agency", "riskassessment:shared_detail", pk=pk)
        if self.social_worker is not None:
            self.page(
                "assessment (social worker)", "social_worker", "socialwork:assessment", case_pk=c, pk=pk
            )
        self.pdf_urls["assessment"] = ("lead", self.url("riskassessment:assessment_pdf", case_pk=c, pk=pk))
        self.pdf_urls["assessment (shared)"] = ("agency", self.url("riskassessment:shared_pdf", pk=pk))
        # Version 2: amended, every text changed again, so the changes page has something to show.
        location = submit(lead, self.url("riskassessment:assessment_amend", case_pk=c, pk=pk))
        v2 = int(re.search(r"/case/\d+/(\d+)/", location)[1])
        risk, protective = (
            list(
                Factor.objects.filter(assessment_id=v2, side=side)
                .order_by("position")
                .values_list("pk", flat=True)
            )
            for side in ("risk", "protective")
        )
        actions = Assessment.objects.get(pk=v2).actions.filter(kind="plan").values_list("pk", flat=True)
        self._assessment_edit(v2, factors=(risk[0], protective[0]), action=actions[0])
        self.page("assessment v2 (draft)", "lead", "riskassessment:assessment_detail", case_pk=c, pk=v2)
        # The same draft through its task list: every section page that shows what was typed.
        self.page("task list v2", "lead", "riskassessment:assessment_tasks", case_pk=c, pk=v2)
        self.page("about v2", "lead", "riskassessment:assessment_about", case_pk=c, pk=v2)
        self.page("analysis v2", "lead", "riskassessment:assessment_analysis", case_pk=c, pk=v2)
        for side, rows in (("risk", risk), ("protective", protective)):
            row = {"case_pk": c, "pk": v2, "side": side}
            self.page(f"{side} factors v2", "lead", "riskassessment:assessment_factors", **row)
            self.page(
                f"change a {side} factor v2",
                "lead",
                "riskassessment:assessment_factor_change",
                factor_pk=rows[0],
                **row,
            )
            self.page(
                f"remove a {side} factor v2",
                "lead",
                "riskassessment:assessment_factor_remove",
                factor_pk=rows[0],
                **row,
            )
        self.page("actions v2", "lead", "riskassessment:assessment_actions", case_pk=c, pk=v2)
        for name in ("assessment_action_change", "assessment_action_remove"):
            self.page(f"{name} v2", "lead", f"riskassessment:{name}", case_pk=c, pk=v2, action_pk=actions[0])
        self.page("submit v2", "lead", "riskassessment:assessment_submit", case_pk=c, pk=v2)
        self.page("what changed", "lead", "riskassessment:assessment_changes", case_pk=c, pk=v2)

    # --- The flow chart ------------------------------------------------------------------------

    def flowchart(self) -> None:
        f, lead, manager, c = self.fill, self.client("lead"), self.client("manager"), self.case.pk
        submit(
            lead,
            self.url("flowchart:manager_inform", case_pk=c),
            {
                "strategies_tried": f("ManagerInformed.strategies_tried"),
                "fera_outcome": f("ManagerInformed.fera_outcome"),
                "risk_increased": "yes",
            },
        )
        self.page("needs you", "manager", "needs_you:queue")
        self.visit("record flow chart oversight", "manager", "flowchart:oversight_record", case_pk=c)
        submit(
            manager,
            self.url("flowchart:oversight_record", case_pk=c),
            {
                "discussion": f("Oversight.discussion"),
                "risk_raised": "no",
                "actions-TOTAL_FORMS": "1",
                "actions-INITIAL_FORMS": "0",
                "actions-0-what": f("OversightAction.what", 1000),
                "actions-0-who": f("OversightAction.who", 200),
                **date_fields("actions-0-by_when", self.today + dt.timedelta(days=3)),
                **date_fields("actions-0-review_on", self.today + dt.timedelta(days=10)),
            },
        )
        # The lead practitioner asks to close the case; the manager does not agree, saying why.
        self.page("ask to close the case", "lead", "flowchart:closure_request", case_pk=c)
        submit(
            self.client("lead"),
            self.url("flowchart:closure_request", case_pk=c),
            {"reason": f("ClosureRequest.reason")},
        )
        asked = ClosureRequest.objects.get(case=self.case, decided_at__isnull=True)
        self.visit(
            "answer the request to close", "manager", "flowchart:closure_decide", case_pk=c, pk=asked.pk
        )
        self.visit("case page with a request to close (manager)", "manager", "cases:case_detail", case_pk=c)
        submit(
            manager,
            self.url("flowchart:closure_decide", case_pk=c, pk=asked.pk),
            {"agree": "no", "reasons": f("ClosureRequest.decision_reason"), "confirm": "yes"},
        )
        self.visit("record the decision", "manager", "flowchart:decision_record", case_pk=c)
        decision = {
            "outcome": "continue",
            **date_fields("review_on", self.today + dt.timedelta(days=20)),
            "reasons": f("Decision.reasons"),
            "considered_mash_referral": "no",
            "considered_multi_agency_meeting": "yes",
            "considered_level_two": "yes",
            "social_worker_consulted": "yes",
            "options_notes": f("Decision.options_notes"),
        }
        url = self.url("flowchart:decision_record", case_pk=c)
        self.visited.append(("check the decision", "manager", url, manager.post(url, decision)))
        submit(manager, url, {**decision, "confirm": "yes"})
        # The lead practitioner tells the multi-agency meeting what happens next.
        recorded = Decision.objects.get(episode__case=self.case)
        self.visit("share the decision", "lead", "flowchart:decision_share", case_pk=c, pk=recorded.pk)
        submit(
            self.client("lead"),
            self.url("flowchart:decision_share", case_pk=c, pk=recorded.pk),
            {"next_steps": f("Decision.next_steps_shared")},
        )
        # The next run of the flow chart shows its own records: read this run's now.
        self.visit("flow chart, decided", "lead", "flowchart:case_flowchart", case_pk=c)
        self.visit("flow chart, decided (manager)", "manager", "flowchart:case_flowchart", case_pk=c)
        self.visit("evidence, decided", "lead", "flowchart:evidence", case_pk=c)
        if self.social_worker is not None:
            self.page("decisions (social worker)", "social_worker", "socialwork:decisions", case_pk=c)
        self.page("flow chart", "lead", "flowchart:case_flowchart", case_pk=c)
        self.page("flow chart (manager)", "manager", "flowchart:case_flowchart", case_pk=c)
        self.page("evidence", "lead", "flowchart:evidence", case_pk=c)
        self.page("escalate", "lead", "flowchart:safeguarding_escalate", case_pk=c)
        self.page("inform the manager", "lead", "flowchart:manager_inform", case_pk=c)

    def restart_and_escalate(self) -> None:
        """The decision ended the flow chart: a new run starts, and an immediate concern ends it."""
        f = self.fill
        submit(
            self.client("lead"),
            self.url("flowchart:episode_start", case_pk=self.case.pk),
            {"pathway": "knowsley-15-day", **date_fields("day1", timezone.localdate())},
        )
        submit(
            self.client("lead"),
            self.url("flowchart:safeguarding_escalate", case_pk=self.case.pk),
            {
                "concern": f("SafeguardingEscalation.concern"),
                "mash_contact": f("SafeguardingEscalation.mash_contact"),
                "mash_reference": f("SafeguardingEscalation.mash_reference", 100),
            },
        )

    # --- Practice tools ------------------------------------------------------------------------

    def practice(self) -> None:
        f, lead, c = self.fill, self.client("lead"), self.case.pk
        submit(
            lead,
            self.url("practice:stage", case_pk=c, person_pk=self.parent.pk),
            {
                "stage": "contemplation",
                **date_fields("assessed_on", self.today),
                "evidence": f("StageOfChange.evidence"),
            },
        )
        texts = [
            "attendees",
            "past_harm",
            "future_danger",
            "complicating_factors",
            "strengths",
            "safety",
            "agency_goals",
            "family_goals",
            "next_steps",
            "danger_statements",
            "safety_goals",
            "family_safety_plan",
        ]
        location = submit(
            lead,
            self.url("practice:safety_new", case_pk=c),
            {
                "rows": "2",
                **date_fields("meeting_on", self.today),
                "meeting_name": f("SafetyMapping.meeting_name", 200),
                **{name: f(f"SafetyMapping.{name}") for name in texts},
                "rating_1_name": f("SafetyRating.rater_name", 200),
                "rating_1_kind": "family",
                "rating_1_rating": "3",
                "rating_1_reason": f("SafetyRating.reason"),
                "rating_2_name": f("SafetyRating.rater_name", 200),
                "rating_2_kind": "professional",
                "rating_2_rating": "6",
                "rating_2_reason": f("SafetyRating.reason"),
            },
        )
        mapping = _pk(location, "signs-of-safety")
        location = submit(
            lead,
            self.url("practice:goal_new", case_pk=c),
            {
                "person": self.parent.pk,
                **date_fields("agreed_on", self.today),
                "goal": f("GrowGoal.goal"),
                "reality": f("GrowGoal.reality"),
                "options": f("GrowGoal.options"),
                "will": f("GrowGoal.will"),
                "agreement_reference": f("GrowGoal.agreement_reference", 200),
            },
        )
        goal = int(re.search(r"#goal-(\d+)", location)[1])
        location = submit(
            lead,
            self.url("practice:supervision_new", case_pk=c),
            {
                "rows": "1",
                **date_fields("supervised_on", self.today),
                "supervisor": self.manager.pk,
                "practitioner": self.lead.pk,
                "concerns": f("SupervisionRecord.concerns"),
                "action_1_what": f("SupervisionAction.what"),
                "action_1_who": f("SupervisionAction.who", 200),
                **date_fields("action_1_by_when", self.today + dt.timedelta(days=7)),
            },
        )
        record = _pk(location, "supervision")
        self.visit(
            "record the family discussion", "lead", "practice:supervision_family", case_pk=c, pk=record
        )
        submit(
            lead,
            self.url("practice:supervision_family", case_pk=c, pk=record),
            {
                **date_fields("discussed_on", self.today),
                "notes": f("SupervisionRecord.family_discussion_notes"),
            },
        )
        self.page("practice tools", "lead", "practice:overview", case_pk=c)
        self.page("cycle of change", "lead", "practice:stage", case_pk=c, person_pk=self.parent.pk)
        self.page("signs of safety", "lead", "practice:safety", case_pk=c)
        self.page("signs of safety mapping", "lead", "practice:safety_detail", case_pk=c, pk=mapping)
        self.page("new mapping (from the last)", "lead", "practice:safety_new", case_pk=c)
        self.page("goals", "lead", "practice:goals", case_pk=c)
        self.page("change a goal", "lead", "practice:goal_edit", case_pk=c, pk=goal)
        self.page("supervision", "lead", "practice:supervision", case_pk=c)
        self.page("supervision record", "lead", "practice:supervision_detail", case_pk=c, pk=record)
        self.page("new supervision", "lead", "practice:supervision_new", case_pk=c)

    def reflect(self) -> None:
        """Forms sent back with a mistake show what was typed again: that page must escape it too.

        What is typed here is labelled "(sent back)": it is shown again but never saved, so no
        export or document is expected to carry it."""
        f, c = self.fill, self.case.pk
        refused = [
            (
                "lead",
                "cases:case_create",
                {},
                {
                    "family_name": f("Case.family_name (sent back)", 200),
                    "referrer_name": f("Case.referrer_name (sent back)", 200),
                    "referral_reason": f("Case.referral_reason (sent back)"),
                    "social_worker_name": f("Case.social_worker_name (sent back)", 200),
                },
            ),
            (
                "lead",
                "cases:person_add",
                {"case_pk": c, "kind": "adult"},
                {
                    "full_name": f("Person.full_name (adult) (sent back)", 200),
                    "safe_contact_notes": f("Person.safe_contact_notes (sent back)"),
                },
            ),
            (
                "lead",
                "engagement:attempt_record",
                {"case_pk": c},
                {
                    "notes": f("ContactAttempt.notes (sent back)"),
                    "with_other": f("ContactAttempt.with_other (sent back)", 200),
                    "child_words": f("ContactAttempt.child_words (sent back)"),
                },
            ),
            (
                "lead",
                "engagement:hostile_incident_record",
                {"case_pk": c},
                {
                    "place": f("HostileIncident.place (sent back)", 200),
                    "what_happened": f("HostileIncident.what_happened (sent back)"),
                    "police_reference": f("HostileIncident.police_reference (sent back)", 100),
                    "others_affected": f("HostileIncident.others_affected (sent back)", 300),
                },
            ),
            (
                "lead",
                "flowchart:manager_inform",
                {"case_pk": c},
                {
                    "strategies_tried": f("ManagerInformed.strategies_tried (sent back)"),
                    "fera_outcome": f("ManagerInformed.fera_outcome (sent back)"),
                },
            ),
            (
                "manager",
                "flowchart:oversight_record",
                {"case_pk": c},
                {
                    "discussion": f("Oversight.discussion (sent back)"),
                    "actions-TOTAL_FORMS": "1",
                    "actions-INITIAL_FORMS": "0",
                    "actions-0-what": f("OversightAction.what (sent back)", 1000),
                    "actions-0-who": f("OversightAction.who (sent back)", 200),
                },
            ),
            (
                "manager",
                "flowchart:decision_record",
                {"case_pk": c},
                {
                    "reasons": f("Decision.reasons (sent back)"),
                    "options_notes": f("Decision.options_notes (sent back)"),
                },
            ),
            (
                "agency",
                "engagement:partner_report",
                {"case_pk": c},
                {"how_known": "records", "details": f("PartnerReport.details (sent back)")},
            ),
            (
                "lead",
                "practice:safety_new",
                {"case_pk": c},
                {
                    "rows": "1",
                    "meeting_name": f("SafetyMapping.meeting_name (sent back)", 200),
                    "strengths": f("SafetyMapping.strengths (sent back)"),
                    "rating_1_name": f("SafetyRating.rater_name (sent back)", 200),
                },
            ),
            (
                "lead",
                "practice:goal_new",
                {"case_pk": c},
                {"goal": f("GrowGoal.goal (sent back)"), "will": f("GrowGoal.will (sent back)")},
            ),
            (
                "lead",
                "practice:supervision_new",
                {"case_pk": c},
                {
                    "rows": "1",
                    "concerns": f("SupervisionRecord.concerns (sent back)"),
                    "action_1_what": f("SupervisionAction.what (sent back)"),
                },
            ),
        ]
        for role, name, kwargs, data in refused:
            url = self.url(name, **kwargs)
            response = self.client(role).post(url, data)
            assert response.status_code == 200, f"{url}: a form with a mistake is shown again"
            self.visited.append((f"{name} sent back", role, url, response))

    def notifications(self) -> None:
        for role in ("lead", "manager", "agency", "social_worker"):
            if role == "social_worker" and self.social_worker is None:
                continue
            self.page(f"notifications ({role})", role, "flowchart:notifications")

    def close(self) -> None:
        """The lead practitioner asks; the line manager agrees, and the reasons close the case."""
        c = self.case.pk
        submit(
            self.client("lead"), self.url("flowchart:closure_request", case_pk=c), {"reason": "Moved away."}
        )
        asked = ClosureRequest.objects.get(case=self.case, decided_at__isnull=True)
        submit(
            self.client("manager"),
            self.url("flowchart:closure_decide", case_pk=c, pk=asked.pk),
            {
                "agree": "yes",
                "reasons": self.fill("Case.closure_reason"),
                "considered_mash_referral": "no",
                "considered_multi_agency_meeting": "no",
                "considered_level_two": "no",
                "social_worker_consulted": "no",
                "confirm": "yes",
            },
        )
