from django.apps import AppConfig

from cases import events
from cases.calendar import calendar_reader_set


class FlowchartConfig(AppConfig):
    name = "flowchart"
    verbose_name = "Non-engagement flow chart"

    def ready(self):
        # The workflow acts on what the layers below announce (cases/events.py): a case opened
        # starts its run of the flow chart; records changed bring the run's summary up to date.
        # The calendar's settings are the flow chart's; the kernel reads them through this.
        from . import selectors, services

        events.subscribe(events.CASE_OPENED, services.episode_start)
        events.subscribe(events.RECORDS_CHANGED, services.case_flowchart_refresh)
        calendar_reader_set(selectors.calendar_in_force)
