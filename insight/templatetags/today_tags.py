"""My work today's cards, each written in one call.

A practitioner's day has twenty to thirty cards, and through the template engine each took about
forty lookups, conditions and translations: most of the page's time. Written here, each card is
one call to format_html, which escapes each value once; the words every card repeats are
translated once a language. This gives the markup the template did.
"""

from functools import lru_cache

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils.html import format_html
from django.utils.translation import get_language, gettext

register = template.Library()


@lru_cache(maxsize=64)
def _words(language: str) -> dict[str, str]:
    """What every card repeats, in the page's language (`language` keys the cache)."""
    return {
        "record_attempt": gettext("Record an attempt"),
        "flow_chart": gettext("Flow chart"),
        "next_step": gettext("Next step"),
        "due_today": gettext("Due today"),
        "take_care": gettext("Take care"),
        "domestic_abuse": gettext(
            "Domestic abuse concern: a letter could increase risk; check the safe-contact plan"
        ),
        "interpreter_needed": gettext("Interpreter needed"),
        "contact": gettext("Contact"),
        "text_only": gettext("Text messages only (safe-contact plan)"),
        "no_phone": gettext("No phone number recorded"),
        "warning": gettext("Warning"),
        # Messages whose translation holds markup of its own, made into formats with one value:
        # the catalogue's words are the service's, as the template's blocktranslate treated them.
        "overdue_due": _format_of(
            gettext('<strong class="govuk-tag govuk-tag--red">Overdue</strong> due %(due_short)s'),
            "due_short",
        ),
        "due": _format_of(gettext("Due %(due_with_weekday)s"), "due_with_weekday"),
        "visit_in_pairs": _format_of(
            gettext("Visit in pairs: hostile incident on %(incident_at)s."), "incident_at"
        ),
    }


def _format_of(message: str, name: str) -> str:
    """A translated message with one `%(name)s` as a format for format_html (`{}`), its own braces
    kept as they are."""
    return message.replace("{", "{{").replace("}", "}}").replace(f"%({name})s", "{}")


_ROW = '<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">{}</dt><dd class="govuk-summary-list__value">'
_ROW_END = "</dd></div>"


@register.simple_tag
def my_work_card(card) -> str:
    """One family's card (an `insight.today.selectors.Card`): its name and reference, "Record an
    attempt" when attempts meet its next step, the lone-working warning, where its flow chart is,
    its next step and when it is due (only problems highlighted), what to take care of, and whom
    to contact."""
    words = _words(get_language())
    parts = [
        '<div class="govuk-summary-card" data-case="{}"><div class="govuk-summary-card__title-wrapper">'
        '<h3 class="govuk-summary-card__title"><a class="govuk-link" href="{}">{}</a> '
        '<span class="govuk-caption-s">{}</span></h3>'
    ]
    values = [card.reference, card.url, card.family_name, card.reference]
    if card.takes_attempt:
        parts.append(
            '<ul class="govuk-summary-card__actions"><li class="govuk-summary-card__action">'
            '<a class="govuk-link" href="{}">{}<span class="govuk-visually-hidden">{}</span></a></li></ul>'
        )
        values += [card.record_attempt_url, words["record_attempt"], card.record_attempt_hidden]
    parts.append('</div><div class="govuk-summary-card__content">')
    if incident_at := card.lone_working_incident_at:
        # As engagement/_lone_working_warning.html writes it with compact=True.
        parts.append(
            '<div class="govuk-warning-text govuk-!-margin-bottom-0">'
            '<span class="govuk-warning-text__icon" aria-hidden="true">!</span>'
            '<strong class="govuk-warning-text__text"><span class="govuk-visually-hidden">{}</span> '
            + words["visit_in_pairs"]
            + "</strong></div>"
        )
        values += [words["warning"], date_filter(incident_at, "j M Y")]  # as |date gives it
    parts.append('<dl class="govuk-summary-list">' + _ROW + "{}" + _ROW_END)
    values += [words["flow_chart"], card.flow_chart]
    if card.next_step:
        parts.append(_ROW + '<p class="govuk-body govuk-!-margin-bottom-1">{}</p>')
        values += [words["next_step"], card.next_step_title]
        if card.overdue:
            parts.append(words["overdue_due"])
            values.append(card.due_short)
        elif card.due_today:
            parts.append('<strong class="govuk-tag govuk-tag--blue">{}</strong>')
            values.append(words["due_today"])
        else:
            parts.append(words["due"])
            values.append(card.due_with_weekday)
        if card.more_overdue:
            parts.append('<p class="govuk-body-s govuk-!-margin-top-1 govuk-!-margin-bottom-0">{}</p>')
            values.append(card.more_overdue_text)
        parts.append(_ROW_END)
    if card.domestic_abuse or card.interpreter_languages:
        parts.append(_ROW + '<ul class="govuk-list govuk-!-margin-bottom-0">')
        values.append(words["take_care"])
        if card.domestic_abuse:
            parts.append("<li>{}</li>")
            values.append(words["domestic_abuse"])
        for language in card.interpreter_languages:
            parts.append("<li>{}: {}</li>" if language else "<li>{}</li>")
            values += [words["interpreter_needed"], language] if language else [words["interpreter_needed"]]
        parts.append("</ul>" + _ROW_END)
    parts.append(_ROW)
    values.append(words["contact"])
    if contact := card.contact:
        parts.append('<a class="govuk-link" href="{}">{}</a>')
        values += [contact.link, card.contact_text]
        if contact.text_only:
            parts.append('<br><span class="govuk-body-s">{}</span>')
            values.append(words["text_only"])
    else:
        parts.append("{}")
        values.append(words["no_phone"])
    parts.append(_ROW_END + "</dl></div></div>")
    return format_html("".join(parts), *values)
