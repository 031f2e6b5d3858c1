from django.apps import AppConfig

from cases.calendar import calendar_reader_set


class FlowchartConfig(AppConfig):
    name = "flowchart"
    verbose_name = "Non-engagement flow chart"

    def ready(self):
        # The calendar's settings are the flow chart's; the kernel reads them through this.
        from .selectors import calendar_in_force

        calendar_reader_set(calendar_in_force)
