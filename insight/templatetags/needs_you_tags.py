"""The items of "Needs you", each written in one call.

A page shows 25 items. Through the template engine each took a dozen lookups and conditions and a
translation with a count for how late it is; written here, the page takes about 0.9 ms less of its
17 (docs/performance.md, 7 December). This gives the same markup the template did.
"""

from django import template
from django.middleware.csrf import get_token
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext

register = template.Library()


# The item's markup in parts, joined into one format string per kind of item (a notification or
# a link) and of lateness (overdue, due today, or plain words): each item is then one call to
# format_html, which escapes each value once, rather than three calls that escape some twice.
# The values: 0 kind, 1 family name, 2 reference, 3 what is needed, 4 whose case (with its full
# stop, or nothing), 5 how late, 6 the link, 7 what to do, 8 the CSRF token (a notification's).
_ITEM = (
    '<li class="app-needs-you__item govuk-!-padding-bottom-4 govuk-!-margin-bottom-4" data-kind="{0}">'
    '<h2 class="govuk-heading-s govuk-!-margin-bottom-1">{1} '
    '<span class="govuk-caption-m govuk-!-display-inline">{2}</span></h2>'
    '<p class="govuk-body govuk-!-margin-bottom-1">{3}</p>'
    '<p class="govuk-body-s govuk-!-margin-bottom-1">{4}%s</p>%s</li>'
)
_WHEN = {
    "overdue": '<strong class="govuk-tag govuk-tag--red">{5}</strong>',
    "today": '<strong class="govuk-tag govuk-tag--orange">{5}</strong>',
    "words": "{5}",
}
_ACTION = {
    "form": '<form method="post" action="{6}" class="govuk-!-margin-0">'
    '<input type="hidden" name="csrfmiddlewaretoken" value="{8}">'
    '<input type="hidden" name="next" value="open">'
    '<button type="submit" class="govuk-button govuk-button--secondary govuk-!-margin-bottom-0" '
    'data-module="govuk-button">{7}<span class="govuk-visually-hidden">: {1}</span></button></form>',
    "link": '<a class="govuk-link govuk-!-font-weight-bold" href="{6}">{7}'
    '<span class="govuk-visually-hidden">: {1}, {3}</span></a>',
}
_FORMATS = {(when, action): _ITEM % (_WHEN[when], _ACTION[action]) for when in _WHEN for action in _ACTION}


def _when(item) -> tuple[str, str]:
    """How late the item is, or how long it has waited: only lateness is highlighted."""
    if item.days_overdue:
        words = ngettext("%(counter)s day overdue", "%(counter)s days overdue", item.days_overdue)
        return "overdue", words % {"counter": item.days_overdue}
    if item.due_today:
        return "today", gettext("Due today")
    if item.due_on:
        return "words", gettext("Due by %(due_on)s.") % {"due_on": date_format(item.due_on, "j M Y")}
    if item.days_waiting:
        return "words", ngettext(
            "Waiting %(counter)s day.", "Waiting %(counter)s days.", item.days_waiting
        ) % {"counter": item.days_waiting}
    return "words", gettext("Waiting since today.")


@register.simple_tag(takes_context=True)
def needs_you_item(context, item, url) -> str:
    """One item (a `NeedsYouItem` and its link): the family, what is needed, whose case, how late,
    and the link that does it; a notification is opened by a POST, which marks it read."""
    when, late = _when(item)
    notification = bool(item.notification_id)
    return format_html(
        _FORMATS[when, "form" if notification else "link"],
        item.kind,
        item.family_name,
        item.reference,
        item.what,
        f"{item.practitioner_name}. " if item.practitioner_name else "",
        late,
        url,
        item.action,
        get_token(context["request"]) if notification else "",
    )
