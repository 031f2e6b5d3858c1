"""The team dashboard's links to its figures, each written in one call.

The dashboard shows about 25 figures and, by practitioner, each problem that is slipping: each
link went through six to eight template variables and filters, a fifth of the page's time, and
each row and practitioner through a loop of its own. These give the same markup as the template
did, a table's rows or the practitioners' list in one call.
"""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language, gettext, ngettext

register = template.Library()


# A figure's row: its label, and its count as a link to the families behind it. A zero is still a
# link (to an empty list) but in the secondary colour: it is not a problem.
_FIGURE_ROW = (
    '<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">{}</th>'
    '<td class="govuk-table__cell govuk-table__cell--numeric">'
    '<a class="govuk-link{}" href="{}" data-figure="{}">{}<span class="govuk-visually-hidden">'
    "\n            {}: {}</span></a></td></tr>"
)


# A table of figures: its caption, the first column's header, "Families", and its rows.
_FIGURE_TABLE = (
    '<table class="govuk-table">\n'
    '  <caption class="govuk-table__caption govuk-table__caption--m">{}</caption>\n'
    '  <thead class="govuk-table__head">\n'
    '    <tr class="govuk-table__row">\n'
    '      <th scope="col" class="govuk-table__header">{}</th>\n'
    '      <th scope="col" class="govuk-table__header govuk-table__header--numeric">{}</th>\n'
    "    </tr>\n"
    "  </thead>\n"
    '  <tbody class="govuk-table__body">\n%s\n  </tbody>\n'
    "</table>"
)

# Each figure's label in each language, as shown and in lower case: the labels are lazy
# translations, and translating each anew was a third of a table's time.
_labels: dict[tuple[str, str], tuple[str, str]] = {}


def _label(figure) -> tuple[str, str]:
    key = (get_language(), figure.key)
    found = _labels.get(key)
    if found is None:
        label = str(figure.label)
        found = _labels[key] = (label, label.lower())
    return found


@register.simple_tag
def figure_table(rows, caption, heading) -> str:
    """A table of figures (`FigureRow`s) in one call to format_html: each row the figure's label
    and its count as a link to the families behind it, read out as "3 families: a flow-chart step
    is overdue". A zero is still a link (to an empty list) but in the secondary colour: it is not
    a problem."""
    # Translators: read after the number, for example "3 families: a flow-chart step is overdue".
    families = {count: ngettext("family", "families", count) for count in {row.count for row in rows}}

    def row_values(row):
        label, lower = _label(row.figure)
        zero = "" if row.count else " app-figure--zero"
        return (label, zero, row.url, row.figure.key, row.count, families[row.count], lower)

    return format_html(
        _FIGURE_TABLE % "\n".join([_FIGURE_ROW] * len(rows)),
        caption,
        heading,
        gettext("Families"),
        *(value for row in rows for value in row_values(row)),
    )


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
