"""Every write for the flow chart: pathways, episodes, oversight, decisions, reminders.

One module per concern; their public names are re-exported here.
"""

from .closures import case_closure_record, closure_request_decide, closure_request_make
from .common import FlowchartError
from .decisions import CASE_STATUS_FOR, Considered, decision_record
from .episodes import (
    SUMMARIES_FILL_BATCH,
    SUMMARIES_FILL_LIMIT,
    case_flowchart_refresh,
    episode_refresh,
    episode_start,
    episode_summaries_fill,
)
from .oversight import manager_inform, oversight_record, safeguarding_escalate, step_not_possible_record
from .pathways import pathway_version_draft, pathway_version_publish
from .reviews import REVIEW_CATCH_UP_DAYS
from .sharing import decision_share, decision_shares_chase
from .sweep import PUT_RIGHT_BATCH, SweepGate, SweepPlan, reminders_gate, reminders_plan, reminders_sweep

__all__ = [
    "CASE_STATUS_FOR",
    "Considered",
    "FlowchartError",
    "PUT_RIGHT_BATCH",
    "REVIEW_CATCH_UP_DAYS",
    "SUMMARIES_FILL_BATCH",
    "SUMMARIES_FILL_LIMIT",
    "SweepGate",
    "SweepPlan",
    "case_closure_record",
    "case_flowchart_refresh",
    "closure_request_decide",
    "closure_request_make",
    "decision_record",
    "decision_share",
    "decision_shares_chase",
    "episode_refresh",
    "episode_start",
    "episode_summaries_fill",
    "manager_inform",
    "oversight_record",
    "pathway_version_draft",
    "pathway_version_publish",
    "reminders_gate",
    "reminders_plan",
    "reminders_sweep",
    "safeguarding_escalate",
    "step_not_possible_record",
]
