from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from cases import contributions, events
from cases.calendar import calendar_reader_set
from cases.subject_access import registry as subject_access
from engagement import workflow
from riskassessment import recorded_oversight


class FlowchartConfig(AppConfig):
    name = "flowchart"
    verbose_name = _("Non-engagement flow chart")

    def ready(self):
        # The workflow acts on what the layers below announce (cases/events.py): a case opened
        # starts its run of the flow chart; records changed bring the run's summary up to date.
        # The calendar's settings are the flow chart's; the kernel reads them through this.
        # Engagement asks which step a letter is for and what an attempt counted towards.
        from . import attempt_steps, case_pages, letters, selectors, services
        from . import subject_access as gathered
        from .models import DecisionShare, SafeguardingEscalation

        # What a subject access request gathers: oversight and decisions that name the person.
        subject_access.register("flowchart", gathered.collect)

        events.subscribe(events.CASE_OPENED, services.episode_start)
        events.subscribe(events.RECORDS_CHANGED, services.case_flowchart_refresh)
        calendar_reader_set(selectors.calendar_in_force)
        workflow.flowchart_readers_set(
            letter_step=letters.letter_flow_step, attempt_counted=selectors.attempt_counted
        )
        # The attempt form pre-filled for one step (from the practitioner's "My work today").
        workflow.attempt_step_reader_set(attempt_steps.attempt_step)
        # The kernel decides who reads a decision told to a multi-agency member, and keeps a case
        # escalated to the MASH as a child protection record (cases/contributions.py).
        contributions.shared_records_add(
            contributions.SHARED_DECISIONS,
            DecisionShare.objects,
            case="decision__episode__case_id",
            member="member",
        )
        contributions.child_protection_records_add(SafeguardingEscalation.objects, case="episode__case")
        # Oversight recorded on the flow chart is the assessment's too: recorded once, it satisfies
        # the assessment's sign-off (docs/decisions/0007-one-oversight-record.md).
        recorded_oversight.case_oversight_reader_set(selectors.case_oversight_recorded)
        # The case page's flow-chart panel, and each row of My cases its live run's summary.
        contributions.case_page_context_add(case_pages.case_page_context)
        contributions.case_list_rows_add(case_pages.case_list_flowchart)
