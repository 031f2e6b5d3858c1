"""Presentational filters for the GOV.UK markup the templates share: no queries, no policy."""

from django import template

register = template.Library()


@register.filter
def split(value: str, separator: str = ",") -> list[str]:
    """Split "Family,Day,Deadline" into a list, so a page can name its table's columns in one argument."""
    return [part.strip() for part in str(value).split(separator)] if value else []


def dialable(phone: str) -> str:
    """A phone number as a tap-to-call address takes it: digits and + only. Whatever else was typed
    into the number (words, spaces, markup) never reaches the link."""
    return "".join(c for c in phone if c.isdigit() or c == "+")


@register.filter
def tel_href(phone: str) -> str:
    return f"tel:{dialable(phone or '')}"
