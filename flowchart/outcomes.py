"""The decisions a line manager chooses from, what each does to the case, and how members hear of it.

Knowsley, Appendix 4: "No later than Day 15 ... Step up to CSC / Step down to level 2 services OR /
Close Case", and after the Family Engagement Risk Assessment: "LP to continue engagement process
and review within agreed set timescales as directed by Line Manager", "Close", "Single Agency
monitoring", "Invite Social Worker to attend Multi Agency Meeting meeting to discuss concerns if
concerns may suggest level 4 but concerns are not immediate safeguarding". ("Escalate to MASH if
there is an immediate safeguarding concern" is its own action, `safeguarding_escalate`, open at
any time.)

Camden (004), for a case already open to children's social care: the allocated social worker
"will convene a network meeting", and "the professional network may wish to consider referring
the case to the Complexity Panel".

Which outcomes a pathway offers is data (`Pathway.decision_outcomes`, set by an admin); an empty
list means the Knowsley set below.
"""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cases.models import CaseStatus

from .models import DecisionOutcome

KNOWSLEY_CODE = "knowsley-15-day"
CAMDEN_CODE = "camden-open-to-social-care"

KNOWSLEY_OUTCOMES = (
    DecisionOutcome.STEP_UP,
    DecisionOutcome.STEP_DOWN,
    DecisionOutcome.CLOSE,
    DecisionOutcome.CONTINUE,
    DecisionOutcome.SINGLE_AGENCY,
    DecisionOutcome.INVITE_SOCIAL_WORKER,
)

CAMDEN_OUTCOMES = (
    DecisionOutcome.SOCIAL_WORKER_REVIEW,
    DecisionOutcome.NETWORK_MEETING,
    DecisionOutcome.COMPLEXITY_PANEL,
)

# What each decision does to the case. Step up, step down and close end the work (terminal
# statuses, with the closing date); every other decision keeps the case open: the run of the
# flow chart ends as decided, and the case is "Open" again if it was escalated to the MASH.
CASE_STATUS_FOR = {
    DecisionOutcome.STEP_UP: CaseStatus.STEPPED_UP,
    DecisionOutcome.STEP_DOWN: CaseStatus.STEPPED_DOWN,
    DecisionOutcome.CLOSE: CaseStatus.CLOSED,
}

# What happens next, in words for the multi-agency meeting: the lead practitioner may change it
# before sharing. Never the manager's internal notes.
NEXT_STEPS = {
    DecisionOutcome.STEP_UP: _(
        "The family's case is being stepped up to children's social care, who will contact the agencies "
        "involved."
    ),
    DecisionOutcome.STEP_DOWN: _(
        "The family will be offered level 2 services. The lead practitioner will tell you who is "
        "supporting them."
    ),
    DecisionOutcome.CLOSE: _(
        "The case is closed. If you have a new concern about the children, contact the MASH."
    ),
    DecisionOutcome.CONTINUE: _(
        "The lead practitioner carries on working to engage the family. The case will be reviewed on "
        "%(review_on)s."
    ),
    DecisionOutcome.SINGLE_AGENCY: _(
        "One agency will monitor the family's progress; the lead practitioner will tell you which. Share "
        "any new concern with them."
    ),
    DecisionOutcome.INVITE_SOCIAL_WORKER: _(
        "A social worker is invited to the multi-agency meeting on %(meeting_on)s to discuss the concerns."
    ),
    DecisionOutcome.SOCIAL_WORKER_REVIEW: _(
        "The allocated social worker is asked to review the child's plan."
    ),
    DecisionOutcome.NETWORK_MEETING: _(
        "The allocated social worker will call a network meeting about how to work with the family."
    ),
    DecisionOutcome.COMPLEXITY_PANEL: _(
        "The case is referred to the complexity panel, where professionals can agree a new way to engage "
        "the family."
    ),
}


def offered_outcomes(pathway) -> list[str]:
    """The outcomes a pathway offers on the decision day, in order: its own list or Knowsley's."""
    chosen = [o for o in (pathway.decision_outcomes or []) if o in DecisionOutcome.values]
    return chosen or [str(o) for o in KNOWSLEY_OUTCOMES]


def next_steps_text(decision) -> str:
    """The standard "what happens next" sentence for a decision, with its dates filled in."""
    text = NEXT_STEPS.get(decision.outcome)
    if text is None:
        return ""
    # The database asks a review date of "continue" and a meeting date of "invite the social
    # worker" (their check constraints): the words in their place are for a row made without one.
    return text % {
        "review_on": f"{decision.review_on:%-d %B %Y}" if decision.review_on else gettext("the review date"),
        "meeting_on": (
            f"{decision.social_worker_meeting_on:%-d %B %Y}"
            if decision.social_worker_meeting_on
            else gettext("the date agreed")
        ),
    }


def seed_decision_outcomes(Pathway) -> int:
    """Give the Camden pathway its own decisions if it has none yet; returns how many changed.

    Idempotent: a pathway whose list an admin has set is left as it is.
    """
    changed = 0
    for pathway in Pathway.objects.filter(code=CAMDEN_CODE):
        if not pathway.decision_outcomes:
            pathway.decision_outcomes = [str(o) for o in CAMDEN_OUTCOMES]
            pathway.save(update_fields=["decision_outcomes"])
            changed += 1
    return changed
