"""Presentational filters for the GOV.UK markup the templates share: no queries, no policy."""

from django import template
from django.utils.html import format_html

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


@register.filter
def pagination_pages(page_obj) -> list[int | None]:
    """The page numbers GOV.UK pagination shows, in order: the first, the last, and the current
    page with one either side; None where a gap begins two pages from the current one (an
    ellipsis). Worked out here from at most seven candidates rather than by testing every page
    in the template, which took a millisecond on a list of nine pages."""
    current, last = page_obj.number, page_obj.paginator.num_pages
    shown = []
    for n in sorted({1, last, *range(max(current - 2, 1), min(current + 2, last) + 1)}):
        if n in (1, last) or abs(n - current) <= 1:
            shown.append(n)
        else:  # two pages from the current one
            shown.append(None)
    return shown


# A service navigation item, as GOV.UK Frontend's service navigation component writes it; the
# current page's is marked for assistive technology and, without the styles, in bold.
_NAVIGATION_ITEM = (
    '<li class="govuk-service-navigation__item">'
    '<a class="govuk-service-navigation__link" href="{}">{}</a></li>'
)
_NAVIGATION_ITEM_ACTIVE = (
    '<li class="govuk-service-navigation__item govuk-service-navigation__item--active">'
    '<a class="govuk-service-navigation__link" href="{}" aria-current="true">'
    '<strong class="govuk-service-navigation__active-fallback">{}</strong></a></li>'
)


@register.simple_tag
def service_navigation_items(items) -> str:
    """The service navigation's items (`cases.context_processors.service`'s `nav_items`) in one
    call: every page has them, and the template's loop over them was a quarter of the base
    template's time."""
    return format_html(
        "\n".join(_NAVIGATION_ITEM_ACTIVE if item["active"] else _NAVIGATION_ITEM for item in items),
        *(value for item in items for value in (item["url"], item["label"])),
    )
