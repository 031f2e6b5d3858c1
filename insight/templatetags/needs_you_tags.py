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


def _when(item) -> str:
    """How late the item is, or how long it has waited: only lateness is highlighted."""
    if item.days_overdue:
        words = ngettext("%(counter)s day overdue", "%(counter)s days overdue", item.days_overdue)
        return format_html(
            '<strong class="govuk-tag govuk-tag--red">{}</strong>', words % {"counter": item.days_overdue}
        )
    if item.due_today:
        return format_html('<strong class="govuk-tag govuk-tag--orange">{}</strong>', gettext("Due today"))
    if item.due_on:
        return gettext("Due by %(due_on)s.") % {"due_on": date_format(item.due_on, "j M Y")}
    if item.days_waiting:
        return ngettext("Waiting %(counter)s day.", "Waiting %(counter)s days.", item.days_waiting) % {
            "counter": item.days_waiting
        }
    return gettext("Waiting since today.")


@register.simple_tag(takes_context=True)
def needs_you_item(context, item, url) -> str:
    """One item (a `NeedsYouItem` and its link): the family, what is needed, whose case, how late,
    and the link that does it; a notification is opened by a POST, which marks it read."""
    if item.notification_id:
        action = format_html(
            '<form method="post" action="{}" class="govuk-!-margin-0">'
            '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
            '<input type="hidden" name="next" value="open">'
            '<button type="submit" class="govuk-button govuk-button--secondary govuk-!-margin-bottom-0" '
            'data-module="govuk-button">{}<span class="govuk-visually-hidden">: {}</span></button></form>',
            url,
            get_token(context["request"]),
            item.action,
            item.family_name,
        )
    else:
        action = format_html(
            '<a class="govuk-link govuk-!-font-weight-bold" href="{}">{}'
            '<span class="govuk-visually-hidden">: {}, {}</span></a>',
            url,
            item.action,
            item.family_name,
            item.what,
        )
    return format_html(
        '<li class="app-needs-you__item govuk-!-padding-bottom-4 govuk-!-margin-bottom-4" data-kind="{}">'
        '<h2 class="govuk-heading-s govuk-!-margin-bottom-1">{} '
        '<span class="govuk-caption-m govuk-!-display-inline">{}</span></h2>'
        '<p class="govuk-body govuk-!-margin-bottom-1">{}</p>'
        '<p class="govuk-body-s govuk-!-margin-bottom-1">{}{}</p>{}</li>',
        item.kind,
        item.family_name,
        item.reference,
        item.what,
        f"{item.practitioner_name}. " if item.practitioner_name else "",
        _when(item),
        action,
    )
