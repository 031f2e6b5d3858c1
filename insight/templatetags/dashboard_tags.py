"""The team dashboard's links to its figures, each written in one call.

The dashboard shows about 25 figures and, by practitioner, each problem that is slipping: each
link went through six to eight template variables and filters, a fifth of the page's time. These
give the same markup as the template did.
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
