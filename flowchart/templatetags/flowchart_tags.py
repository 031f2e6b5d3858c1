from django import template
from django.utils.translation import gettext as _

from flowchart.schedule import Status, Timing

register = template.Library()

TAG_CLASSES = {
    Status.DONE: "govuk-tag--green",
    Status.DUE_TODAY: "govuk-tag--blue",
    Status.OVERDUE: "govuk-tag--red",
    Status.UPCOMING: "govuk-tag--grey",
    Status.NOT_NEEDED: "govuk-tag--grey",
    Status.NOT_POSSIBLE: "govuk-tag--yellow",
    Status.MISSED: "govuk-tag--orange",
    Status.NOT_SENT_UNSAFE: "govuk-tag--purple",
}
STEP_CLASSES = {
    Status.DONE: "app-flowchart__step--done",
    Status.DUE_TODAY: "app-flowchart__step--current",
    Status.OVERDUE: "app-flowchart__step--overdue",
}


@register.filter
def tag_class(status) -> str:
    return TAG_CLASSES.get(status, "govuk-tag--grey")


@register.filter
def step_class(status) -> str:
    return STEP_CLASSES.get(status, "")


@register.filter
def when(step) -> str:
    """'Before day 3', 'Day 5' or 'No later than day 15'."""
    if step.timing == Timing.BEFORE:
        return _("Before day %(day)s") % {"day": step.day}
    if step.timing == Timing.BY:
        return _("No later than day %(day)s") % {"day": step.day}
    return _("Day %(day)s") % {"day": step.day}
