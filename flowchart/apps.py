from django.apps import AppConfig


class FlowchartConfig(AppConfig):
    name = "flowchart"
    verbose_name = "Non-engagement flow chart"
