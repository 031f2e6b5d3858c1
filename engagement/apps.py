from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from cases import contributions
from cases.subject_access import registry as subject_access


class EngagementConfig(AppConfig):
    name = "engagement"
    verbose_name = _("Engagement with families")

    def ready(self):
        # The case list shows each case's latest attempt and both the list and the case page show
        # the "Visit in pairs" warning: the kernel's pages, this app's records (cases/contributions.py).
        from . import case_pages
        from . import subject_access as gathered

        # What a subject access request gathers from this app's records.
        subject_access.register("engagement", gathered.collect)

        contributions.case_list_annotation_add("last_attempt_at", case_pages.last_attempt_at)
        contributions.case_list_annotation_add("last_attempt_outcome", case_pages.last_attempt_outcome)
        contributions.case_list_annotation_add(
            "lone_working_incident_at", case_pages.lone_working_incident_at
        )
        contributions.case_list_rows_add(case_pages.last_attempt_outcome_label)
        contributions.case_page_context_add(case_pages.case_page_context)
