"""The pathways the service starts with, as data. Admins change them through new versions.

Two stages, as the migrations ran them:
- `seed_pathways` (migration 0003) adds each pathway with version 1, the steps as first seeded
  (`KNOWSLEY_STEPS_V1`, `CAMDEN_STEPS_V1`). Those lists never change: 0003 reads them, with
  historical models that know only the fields of that time.
- `publish_guidance_revision` (migration 0008) publishes version 2 where the latest published
  version is still that seed: the manager's oversight on day 13 and the "if possible" steps of
  Appendix 4, and the note that Camden's days are this service's choice. Running episodes keep
  version 1.

Both are idempotent: running them again, or after an admin has published new versions, changes
nothing. `KNOWSLEY_STEPS` and `CAMDEN_STEPS` are the steps as they stand after both.
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
# Version 1 as migration 0003 seeded it. Never change these lists: publish a revision instead.
KNOWSLEY_STEPS_V1 = [
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

CAMDEN_STEPS_V1 = [
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

KNOWSLEY_DESCRIPTION = (
    "The minimum attempts to engage a family, from the Knowsley toolkit (Appendix 4)."
)
CAMDEN_DESCRIPTION_V1 = (
    "For families already receiving a statutory social work service: report non-engagement to the "
    "allocated social worker, hold a network or core group meeting and agree a strategy."
)
PATHWAYS = [
    (KNOWSLEY, "15-day non-engagement flow chart", True, KNOWSLEY_DESCRIPTION, KNOWSLEY_STEPS_V1),
    (CAMDEN, "Cases open to social care (Camden)", False, CAMDEN_DESCRIPTION_V1, CAMDEN_STEPS_V1),
]
# fmt: on
SEED_NOTES = "As published in the guidance."

# ---------------------------------------------------------------------------------------------
# Version 2: what Appendix 4 says that version 1 did not. Migration 0008 reads all of this: never
# change it; a later change to the seeded pathways is a new migration with its own revision.

OVERSIGHT_STEP = 14  # "Manager records the discussion as management oversight"
OVERSIGHT_DAY = 13
# The day-8 and day-12 steps: "Contact referrer or other practitioner if possible ..." and
# "Discuss with referrer (if possible) to agree way forward ...".
KNOWSLEY_IF_POSSIBLE = frozenset({8, 11})

CAMDEN_DAYS_NOTE = "Day numbers are this service's choice: Camden's guidance sets no days."
KNOWSLEY_NOTES_V2 = (
    "Manager oversight is now due by day 13, not day 14: Appendix 4 puts it on Day 13 "
    '("Day 13 Inform Manager of non-engagement ... - Manager to record the discussion as Manager '
    "Oversight on child's record\"). The day-8 step (contact the referrer or another practitioner) "
    "and the day-12 step (discuss the way forward with the referrer) can be recorded as not "
    'possible, with the reason: Appendix 4 says "if possible" for both. Families already in the '
    "flow chart keep version 1."
)
CAMDEN_NOTES_V2 = (
    f"{CAMDEN_DAYS_NOTE} Version 1 said it was as published in the guidance; the steps are unchanged."
)
CAMDEN_DESCRIPTION = f"{CAMDEN_DESCRIPTION_V1} {CAMDEN_DAYS_NOTE}"


def _revised(steps: list[tuple], *, changes: dict[int, int]) -> list[tuple]:
    """The steps with each order in `changes` moved to its new day."""
    revised = []
    for order, step in enumerate(steps, start=1):
        if order in changes:
            step = (changes[order], *step[1:])
        revised.append(step)
    return revised


KNOWSLEY_STEPS = _revised(KNOWSLEY_STEPS_V1, changes={OVERSIGHT_STEP: OVERSIGHT_DAY})
CAMDEN_STEPS = list(CAMDEN_STEPS_V1)

# code, the steps seeded, the steps now, orders that are "if possible", notes, old and new description
REVISIONS = [
    (
        KNOWSLEY,
        KNOWSLEY_STEPS_V1,
        KNOWSLEY_STEPS,
        KNOWSLEY_IF_POSSIBLE,
        KNOWSLEY_NOTES_V2,
        KNOWSLEY_DESCRIPTION,
        KNOWSLEY_DESCRIPTION,
    ),
    (
        CAMDEN,
        CAMDEN_STEPS_V1,
        CAMDEN_STEPS,
        frozenset(),
        CAMDEN_NOTES_V2,
        CAMDEN_DESCRIPTION_V1,
        CAMDEN_DESCRIPTION,
    ),
]


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
        _version_publish(PathwayVersion, Step, pathway=pathway, number=1, notes=SEED_NOTES, steps=steps)
        added += 1
    return added


def _version_publish(
    PathwayVersion, Step, *, pathway, number: int, notes: str, steps: list[tuple], if_possible=None
) -> None:
    """Publish a version of a pathway with its steps, as the seed lists spell them.

    `if_possible` (the orders of the steps marked "if possible") is given only where the Step model
    has that column: seeding also runs in migrations from before it was added.
    """
    version = PathwayVersion.objects.create(
        pathway=pathway, number=number, notes=notes, published_at=timezone.now()
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
            **({} if if_possible is None else {"if_possible": order in if_possible}),
        )


def _as_seeded(step) -> tuple | None:
    """A stored step as the seed lists spell it; None if it has what no seeded step has."""
    if step.attempt_outcomes or getattr(step, "if_possible", False):
        return None
    kinds = list(step.attempt_kinds or [])
    return (step.day, step.timing, step.title, step.requirement, kinds, step.attempt_count,
            step.responsible, step.guidance)  # fmt: skip


def _restore_if_possible(Step, version, steps: list[tuple], if_possible: frozenset[int]) -> None:
    """Put back the "if possible" marks on a revised version whose column was dropped and re-added
    (migrating back past 0007 and forward again): nothing else can clear them on a published one."""
    stored = Step.objects.filter(version=version)
    if not if_possible or stored.filter(if_possible=True).exists():
        return
    for order in if_possible:
        stored.filter(order=order, title=steps[order - 1][2]).update(if_possible=True)


def publish_guidance_revision(Pathway, PathwayVersion, Step) -> int:
    """Publish version 2 of each seeded pathway still on its seed; returns how many were published.

    Only where the latest published version has the seeded steps and no version carries the
    revision's notes: a pathway an admin has changed, or one already revised, is left alone (bar
    the "if possible" marks a migration round trip cleared). A draft in progress is numbered after
    the new version, so publishing it still makes it the current one. Episodes keep the version
    they started on.
    """
    published = 0
    for code, seeded, steps, if_possible, notes, old_description, description in REVISIONS:
        pathway = Pathway.objects.filter(code=code).first()
        if pathway is None:
            continue
        revised = PathwayVersion.objects.filter(pathway=pathway, notes=notes).first()
        if revised is not None:
            _restore_if_possible(Step, revised, steps, if_possible)
            continue
        latest = (
            PathwayVersion.objects.filter(pathway=pathway, published_at__isnull=False)
            .order_by("-number")
            .first()
        )
        if (
            latest is None
            or [_as_seeded(s) for s in Step.objects.filter(version=latest).order_by("order")] != seeded
        ):
            continue
        number = PathwayVersion.objects.filter(pathway=pathway).order_by("-number").first().number + 1
        draft = PathwayVersion.objects.filter(pathway=pathway, published_at__isnull=True).first()
        if draft is not None:
            draft_number, draft.number = draft.number, number
            draft.save(update_fields=["number"])
            number = draft_number
        _version_publish(
            PathwayVersion,
            Step,
            pathway=pathway,
            number=number,
            notes=notes,
            steps=steps,
            if_possible=if_possible,
        )
        if pathway.description == old_description != description:
            pathway.description = description
            pathway.save(update_fields=["description"])
        published += 1
    return published
