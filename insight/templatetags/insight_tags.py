from django import template

from insight.selectors import case_sudden_drop

register = template.Library()


@register.simple_tag
def sudden_drop_for(case):
    """The case's sudden drop in engagement, for the case page's warning (one query)."""
    return case_sudden_drop(case)
