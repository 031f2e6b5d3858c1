from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from cases import contributions


class InsightConfig(AppConfig):
    name = "insight"
    verbose_name = _("Reporting: the team dashboard and insight")

    def ready(self):
        # The kernel's case page warns of a sudden drop in engagement (cases/contributions.py).
        from . import case_pages

        contributions.case_page_context_add(case_pages.case_page_context)
