from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from cases import contributions, events
from cases.subject_access import registry as subject_access


class RiskassessmentConfig(AppConfig):
    name = "riskassessment"
    verbose_name = _("Family Engagement Risk Assessment")

    def ready(self):
        # The kernel's access policy decides who reads a shared or signed assessment, and its
        # retention rules keep a case with an elevated risk as a child protection record; the
        # assessments are this app's, so it says where they are (cases/contributions.py). The
        # case page shows the assessment's call for child protection.
        from . import selectors
        from . import subject_access as gathered

        # What a subject access request gathers from the assessments.
        subject_access.register("riskassessment", gathered.collect)
        from .models import SIGNED_STATUSES, Assessment

        contributions.shared_records_add(
            contributions.SHARED_ASSESSMENTS, Assessment.objects, case="case_id", member="shares__member"
        )
        contributions.shared_records_add(
            contributions.SIGNED_ASSESSMENTS,
            Assessment.objects.filter(status__in=SIGNED_STATUSES),
            case="case",
        )
        contributions.child_protection_records_add(Assessment.objects.filter(elevated_risk=True), case="case")
        contributions.case_page_context_add(selectors.case_page_context)
        # A share keeps its case's team (Share.team): when the case moves team, so do its shares.
        from . import services

        events.subscribe(events.CASE_MOVED_TEAM, services.case_shares_move_team)
