from django import template

from engagement.safety.selectors import live_warning

register = template.Library()


@register.simple_tag
def lone_working_warning_for(case):
    """The case's live "Visit in pairs" warning, or None (one query)."""
    return live_warning(case)
