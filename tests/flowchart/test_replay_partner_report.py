"""`flowchart_replay` with a partner's report and an allocated social worker (issue 17).

Camden 004, section 4: "Non-engagement with education, health and adult services must also be
reported as this may be an indication that the situation at home is deteriorating"; section 1:
non-engagement "must be reported to ... the child's allocated social worker".
"""

from cases.models import CaseMembership, MembershipRole, Role
from engagement.partners.models import PartnerReport
from flowchart import replay

from .replaying import replayed, statuses


def test_a_partners_report_tells_the_lead_practitioner_and_the_social_worker_once_each(pathways):
    result = replayed("partner_report.json")
    assert result["refused"] == [
        {"event": 3, "error": "The date and time it happened must be now or in the past"}
    ]
    sent = [(n["at"], n["to_role"], n["kind"]) for n in result["notifications"]]
    reports = [n for n in sent if n[2] == "partner_report"]
    assert reports == [
        ("2026-11-03T09:15", "lead_practitioner", "partner_report"),
        ("2026-11-03T09:15", "social_worker", "partner_report"),
        ("2026-11-04T16:30", "lead_practitioner", "partner_report"),
        ("2026-11-04T16:30", "social_worker", "partner_report"),
    ]
    # Informing the manager on day 4 tells the manager and the social worker, once each.
    assert [n for n in sent if n[2] == "manager_informed"] == [
        ("2026-11-05T14:00", "line_manager", "manager_informed"),
        ("2026-11-05T14:00", "social_worker", "manager_informed"),
    ]
    # The partner who reported is told nothing, and nobody else is told of the reports.
    assert not [n for n in sent if n[1] == "agency_member"]
    # A partner's report is not an attempt by the service: the flow chart runs on as it would.
    assert statuses(result, "2026-11-05")[2] == "done"  # the day-1 call
    assert statuses(result, "2026-11-05")[3] == "due"  # three further calls, before day 5
    assert statuses(result, "2026-11-06")[3] == "overdue"
    assert result["case_status"] == "open"


def test_the_run_makes_a_real_social_worker_and_a_member_who_reports(pathways, monkeypatch):
    seen = {}

    def look(run: replay.Run, today):
        if not seen:
            seen["social_worker"] = (run.social_worker.role, run.social_worker.email)
            seen["partner"] = (run.partner.role, str(run.partner.agency))
            seen["memberships"] = sorted(
                CaseMembership.objects.filter(case=run.case).values_list("user__role", "role")
            )
        seen["reports"] = list(PartnerReport.objects.filter(case=run.case).values_list("kind", "how_known"))
        return real(run, today)

    real = replay._day
    monkeypatch.setattr(replay, "_day", look)
    replayed("partner_report.json")
    assert seen["social_worker"][0] == Role.SOCIAL_WORKER
    assert seen["social_worker"][1].endswith("@example.invalid")
    assert seen["partner"][0] == Role.AGENCY_MEMBER and seen["partner"][1].startswith("Replay school ")
    assert seen["memberships"] == [
        (Role.AGENCY_MEMBER, MembershipRole.AGENCY_MEMBER),
        (Role.SOCIAL_WORKER, MembershipRole.SOCIAL_WORKER),
    ]
    assert seen["reports"] == [("hostile_exchange", "first_hand"), ("child_not_brought", "records")]
    assert not PartnerReport.objects.exists()  # rolled back with the rest


def test_a_partner_report_names_its_codes():
    """An unknown code is refused when the scenario is read, with the codes it could be."""
    text = (
        '{"start": "2026-11-02", "until": "2026-11-03", "events": ['
        '{"at": "2026-11-02T10:00", "partner_report": {"what": "no_show"}}]}'
    )
    try:
        replay.scenario_parse(text)
    except replay.ScenarioInvalid as error:
        message = str(error)
    assert message.startswith('events[0].partner_report.what: "no_show" is not one of "missed_appointment"')
