"""Presentational filters for the GOV.UK markup the templates share: no queries, no policy."""

from django import template

register = template.Library()


@register.filter
def split(value: str, separator: str = ",") -> list[str]:
    """Split "Family,Day,Deadline" into a list, so a page can name its table's columns in one argument."""
    return [part.strip() for part in str(value).split(separator)] if value else []
