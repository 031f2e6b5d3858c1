"""The team dashboard's links to its figures, each written in one call.

The dashboard shows about 25 figures and, by practitioner, each problem that is slipping: each
link went through six to eight template variables and filters, a fifth of the page's time, and
each row and practitioner through a loop of its own. These give the same markup as the template
did, a table's rows or the practitioners' list in one call.
"""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.translation import ngettext

register = template.Library()


@register.simple_tag
def figure_link(row) -> str:
    """A figure's count as a link to the families behind it (a `FigureRow`). A zero is still a
    link (to an empty list) but in the secondary colour: it is not a problem."""
    return format_html(
        '<a class="govuk-link{}" href="{}" data-figure="{}">{}<span class="govuk-visually-hidden">'
        "\n            {}: {}</span></a>",
        "" if row.count else " app-figure--zero",
        row.url,
        row.figure.key,
        row.count,
        # Translators: read after the number, for example "3 families: a flow-chart step is overdue".
        ngettext("family", "families", row.count),
        row.figure.label.lower(),
    )


@register.simple_tag
def slip_links(slips) -> str:
    """One practitioner's problems, each a link to its families, separated by commas (`SlipLink`s);
    each one's words hold its count."""
    return format_html_join(", ", '<a class="govuk-link" href="{}">{}</a>', ((s.url, s.words) for s in slips))


@register.simple_tag
def figure_rows(rows) -> str:
    """A figure table's rows (`FigureRow`s): each figure's label and its count's link."""
    return format_html_join(
        "\n",
        '<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">{}</th>'
        '<td class="govuk-table__cell govuk-table__cell--numeric">{}</td></tr>',
        ((row.figure.label, figure_link(row)) for row in rows),
    )


@register.simple_tag
def slipping_items(slipping) -> str:
    """What is slipping, one list item per practitioner: their name and their problems' links
    (`slipping`: the view's pairs of a practitioner and their `SlipLink`s)."""
    return format_html_join(
        "\n",
        "<li><strong>{}</strong>: {}</li>",
        ((who.full_name, slip_links(slips)) for who, slips in slipping),
    )


@register.simple_tag
def practitioner_options(choices, practitioner) -> str:
    """The practitioner filter's options (`choices`: the form field's), the one chosen selected."""
    chosen = str(practitioner.pk) if practitioner else None
    return format_html_join(
        "\n",
        '<option value="{}"{}>{}</option>',
        ((value, " selected" if value == chosen else "", label) for value, label in choices),
    )
