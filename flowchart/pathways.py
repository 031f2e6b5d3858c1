"""The pathways the service starts with, as data. Admins change them through new versions.

`seed_pathways` is idempotent: it adds a pathway only when its code is missing, so running it
again (or after an admin has published new versions) changes nothing.
"""

import datetime as dt

from django.utils import timezone

KNOWSLEY = "knowsley-15-day"
CAMDEN = "camden-open-to-social-care"

PHONE = ["phone_call"]
VISITS = ["unannounced_visit", "announced_visit", "joint_visit"]
UNANNOUNCED = ["unannounced_visit"]
LIAISE = ["liaison"]
LEAD = "lead_practitioner"
MANAGER = "line_manager"

# fmt: off
# (day, timing, title, requirement, attempt kinds, count, responsible, guidance)
KNOWSLEY_STEPS = [
    (1, "on", "Referral received or need identified", "referral_received", [], 1, LEAD,
     "Day 1 is the day you identify that the family needs support or receive the referral."),
    (3, "before", "Telephone the family to arrange a home visit", "attempts", PHONE, 1, LEAD,
     "Use the numbers on the referral. Check the preferred contact method and any interpreter need."),
    (5, "before", "Three further telephone calls to arrange a visit", "attempts", PHONE, 3, LEAD,
     "Try different times of day. Texts can help where a parent prefers them."),
    (5, "before", "Liaise with the referrer or other practitioners to help make contact", "attempts",
     LIAISE, 1, LEAD, "Ask who has access to the family and the best way to reach them."),
    (5, "on", "First unannounced home visit; leave a letter with the date and time of the next visit",
     "attempts", UNANNOUNCED, 1, LEAD,
     "If domestic abuse is a concern, make sure the letter would not increase the risk."),
    (6, "on", "Telephone to remind the family of the next visit", "attempts", PHONE, 1, LEAD, ""),
    (7, "on", "Second home visit at the time given in the letter; leave contact details", "attempts",
     VISITS, 1, LEAD, ""),
    (8, "on", "Contact the referrer to discuss engagement methods, or arrange a joint visit", "attempts",
     ["liaison", "joint_visit"], 1, LEAD,
     "A joint visit with someone the family trusts can open the door."),
    (10, "on", "Third unannounced home visit; leave contact details asking for a call back", "attempts",
     UNANNOUNCED, 1, LEAD, ""),
    (10, "on", "Send a letter asking the family to make contact within 5 days", "attempts", ["letter"], 1,
     LEAD, "If domestic abuse is a concern, make sure the letter would not increase the risk."),
    (12, "on", "Discuss the way forward and the risks of non-engagement with the referrer; arrange the FERA",
     "attempts", LIAISE, 1, LEAD, "Arrange to complete the Family Engagement Risk Assessment."),
    (13, "by", "Complete the Family Engagement Risk Assessment", "fera_completed", [], 1, LEAD,
     "Alone or with the multi-agency meeting. Submit it to your manager."),
    (13, "by", "Inform your manager of the non-engagement", "manager_informed", [], 1, LEAD,
     "Strategies tried, the outcome of the FERA, and whether non-engagement increases the risk."),
    (14, "by", "Manager records the discussion as management oversight", "oversight_recorded", [], 1,
     MANAGER, "What action, who, by when, and the review date."),
    (15, "by", "Agree next steps: step up, step down, close, or continue with a review date",
     "decision_made", [], 1, MANAGER,
     "Consider a MASH referral, a multi-agency meeting, the social worker for a step-down case, and "
     "whether level 2 services could meet the family's needs."),
]

CAMDEN_STEPS = [
    (1, "on", "Non-engagement identified on a case open to social care", "referral_received", [], 1, LEAD,
     "Non-engagement must never be ignored."),
    (2, "before", "Report the non-engagement to the allocated social worker and their manager", "attempts",
     LIAISE, 1, LEAD, "Telephone, then follow up in writing and keep a record on the child's file."),
    (3, "by", "Inform your own manager or safeguarding lead", "manager_informed", [], 1, LEAD, ""),
    (10, "by", "Network meeting (or core group meeting) about the non-engagement", "attempts",
     ["multi_agency_meeting"], 1, LEAD,
     "Share patterns of engagement across agencies and keep the child in focus."),
    (10, "by", "Choose an engagement strategy and record it as management oversight",
     "oversight_recorded", [], 1, MANAGER,
     "Voluntary and persuasive; more rigorous, including legal action; a 'stepping stone' professional "
     "the family trusts; or a written agreement."),
    (15, "by", "Decide next steps, including whether to refer to the complexity panel", "decision_made",
     [], 1, MANAGER, "The complexity panel can help the network find a re-engagement strategy."),
]

PATHWAYS = [
    (KNOWSLEY, "15-day non-engagement flow chart", True,
     "The minimum attempts to engage a family, from the Knowsley toolkit (Appendix 4).", KNOWSLEY_STEPS),
    (CAMDEN, "Cases open to social care (Camden)", False,
     "For families already receiving a statutory social work service: report non-engagement to the "
     "allocated social worker, hold a network or core group meeting and agree a strategy.",
     CAMDEN_STEPS),
]
# fmt: on


def seed_pathways(Pathway, PathwayVersion, Step, FlowchartSettings) -> int:
    """Create the starting pathways and the settings row if missing; returns how many were added."""
    FlowchartSettings.objects.get_or_create(pk=1, defaults={"morning_reminder_time": dt.time(8, 0)})
    added = 0
    for code, name, is_default, description, steps in PATHWAYS:
        if Pathway.objects.filter(code=code).exists():
            continue
        pathway = Pathway.objects.create(
            code=code,
            name=name,
            description=description,
            is_default=is_default and not Pathway.objects.filter(is_default=True).exists(),
        )
        version = PathwayVersion.objects.create(
            pathway=pathway, number=1, notes="As published in the guidance.", published_at=timezone.now()
        )
        for order, (day, timing, title, requirement, kinds, count, responsible, guidance) in enumerate(
            steps, start=1
        ):
            Step.objects.create(
                version=version,
                order=order,
                day=day,
                timing=timing,
                title=title,
                requirement=requirement,
                attempt_kinds=kinds,
                attempt_count=count,
                responsible=responsible,
                guidance=guidance,
            )
        added += 1
    return added
