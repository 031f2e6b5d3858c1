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


# A figure's row: its label, and its count as a link to the families behind it. A zero is still a
# link (to an empty list) but in the secondary colour: it is not a problem.
_FIGURE_ROW = (
    '<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">{}</th>'
    '<td class="govuk-table__cell govuk-table__cell--numeric">'
    '<a class="govuk-link{}" href="{}" data-figure="{}">{}<span class="govuk-visually-hidden">'
    "\n            {}: {}</span></a></td></tr>"
)


@register.simple_tag
def figure_rows(rows) -> str:
    """A figure table's rows (`FigureRow`s), each in one call to format_html: its label and its
    count's link, read out as "3 families: a flow-chart step is overdue"."""

    def row_values(row):
        label = str(row.figure.label)  # a lazy translation: translated once, for both places
        return (
            label,
            "" if row.count else " app-figure--zero",
            row.url,
            row.figure.key,
            row.count,
            # Translators: read after the number, for example "3 families: a flow-chart step is overdue".
            ngettext("family", "families", row.count),
            label.lower(),
        )

    return format_html_join("\n", _FIGURE_ROW, (row_values(row) for row in rows))


_SLIP_LINK = '<a class="govuk-link" href="{}">{}</a>'


def _slipping_item(count: int) -> str:
    """The format of a practitioner's item with `count` problems, separated by commas."""
    return "<li><strong>{}</strong>: " + ", ".join([_SLIP_LINK] * count) + "</li>"


@register.simple_tag
def slipping_items(slipping) -> str:
    """What is slipping, one list item per practitioner: their name and their problems, each a
    link to its families (`slipping`: the view's pairs of a practitioner and their `SlipLink`s,
    whose words hold the count). The whole list is one call to format_html."""
    return format_html(
        "\n".join(_slipping_item(len(slips)) for _, slips in slipping),
        *(
            value
            for who, slips in slipping
            for value in (who.full_name, *(part for slip in slips for part in (slip.url, slip.words)))
        ),
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
