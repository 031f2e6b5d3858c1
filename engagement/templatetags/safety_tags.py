from django import template

from engagement.safety_selectors import live_warning, live_warnings

register = template.Library()


@register.simple_tag
def lone_working_warning_for(case):
    """The case's live "Visit in pairs" warning, or None (one query)."""
    return live_warning(case)


@register.simple_tag
def lone_working_warnings(cases):
    """Each listed case's live warning, keyed by case id (one query however many cases)."""
    return live_warnings(case.pk for case in cases)


@register.filter
def warning_for(warnings_by_case, case):
    return warnings_by_case.get(case.pk)
