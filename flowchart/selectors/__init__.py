"""Every read for the flow chart, with a constant number of queries however many episodes.

One module per concern; their public names are re-exported here.
"""

from .calendar import (
    calendar_in_force,
    closure_days,
    episode_calendar,
    episodes_for_closure_change,
    settings_in_force,
    step_escalation_due,
)
from .decisions import decision_for, decision_members, decisions_to_chase
from .episodes import (
    CaseFlowchart,
    StepView,
    attempt_counted,
    case_flowchart,
    case_has_run,
    episode_attempts,
    live_episode,
    live_step,
    my_cases_flowchart,
)
from .oversight import (
    QueueItem,
    case_oversight_recorded,
    closure_request_for,
    closure_requests_awaiting,
    decisions_awaited,
    manager_inform_prefill,
    oversight_queue,
)
from .pathways import PathwayRow, current_version, pathway_draft, pathways_for_editing, steps_for
from .progress import (
    MILESTONE_MODELS,
    SUMMARY_VALUES,
    agreement_dates,
    episode_progress,
    episodes_progress,
    episodes_summaries,
    fera_milestones,
    first_on_or_after,
    records_for,
    steps_closed,
    steps_not_possible,
)
from .sweep import DueEpisode, due_episodes, escalations_recorded

__all__ = [
    "CaseFlowchart",
    "DueEpisode",
    "MILESTONE_MODELS",
    "QueueItem",
    "SUMMARY_VALUES",
    "StepView",
    "agreement_dates",
    "attempt_counted",
    "calendar_in_force",
    "case_flowchart",
    "case_has_run",
    "closure_days",
    "closure_request_for",
    "closure_requests_awaiting",
    "current_version",
    "pathway_draft",
    "pathways_for_editing",
    "PathwayRow",
    "decision_for",
    "decision_members",
    "decisions_awaited",
    "decisions_to_chase",
    "due_episodes",
    "episode_attempts",
    "episode_calendar",
    "episode_progress",
    "episodes_for_closure_change",
    "episodes_progress",
    "episodes_summaries",
    "escalations_recorded",
    "fera_milestones",
    "first_on_or_after",
    "live_episode",
    "live_step",
    "my_cases_flowchart",
    "oversight_queue",
    "case_oversight_recorded",
    "manager_inform_prefill",
    "records_for",
    "settings_in_force",
    "step_escalation_due",
    "steps_closed",
    "steps_for",
    "steps_not_possible",
]
