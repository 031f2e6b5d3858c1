"""The chronology as a spreadsheet (CSV): one row an attempt, in the chronology's order and filters.

Every cell is written so that a spreadsheet shows it as text and never runs it as a formula.
"""

import csv

from django.conf import settings
from django.utils import timezone, translation

from .models import ChildSeen, EngagementAgreement, NonEngagementForm

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value) -> str:
    """A cell a spreadsheet will show as text, never run as a formula."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_PREFIXES) else text


CSV_HEADER = [
    "Date",
    "Time",
    "Kind",
    "What happened",
    "What the family said",
    "What was agreed",
    "Made by",
    "With",
    "Notes",
    "Forms of non-engagement",
    "Child seen",
    "Child's words",
    "Challenge",
    "Family's response",
    "Purpose",
    "What was done",
    "What is required",
    "By whom",
    "By when",
    "Next contact",
    "Recorded",
    "Last corrected by",
]


def _agreed(attempt) -> str:
    try:
        return attempt.agreement.what_agreed
    except EngagementAgreement.DoesNotExist:
        return ""


def chronology_csv_filename(case) -> str:
    """The export's file name: the case's reference and today's date."""
    return f"chronology-{case.reference}-{timezone.localdate():%Y-%m-%d}.csv"


def chronology_csv_write(out, attempts) -> None:
    """Write the header and one row an attempt to `out` (a file or an HttpResponse).

    The export keeps its English columns and words whatever the page's language, as the
    chronology's record does: the labels are put into words in the service's own language."""
    with translation.override(settings.LANGUAGE_CODE):
        _rows_write(out, attempts)


def _rows_write(out, attempts) -> None:
    labels = dict(NonEngagementForm.choices)
    seen = dict(ChildSeen.choices)
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for attempt in attempts:
        at = timezone.localtime(attempt.occurred_at)
        nxt = timezone.localtime(attempt.next_contact_at) if attempt.next_contact_at else None
        row = [
            f"{at:%Y-%m-%d}",
            f"{at:%H:%M}",
            attempt.get_kind_display(),
            attempt.outcome_label,
            attempt.response_label,
            _agreed(attempt),
            attempt.made_by,
            ", ".join(filter(None, [str(attempt.with_person or ""), attempt.with_other])),
            attempt.notes,
            "; ".join(str(labels.get(v, v)) for v in attempt.non_engagement_forms),
            seen.get(attempt.child_seen, "") if attempt.child_seen else "",
            attempt.child_words,
            attempt.challenge,
            attempt.family_response,
            attempt.purpose,
            attempt.what_was_done,
            attempt.what_is_required,
            attempt.required_by_whom,
            f"{attempt.required_by_when:%Y-%m-%d}" if attempt.required_by_when else "",
            f"{nxt:%Y-%m-%d %H:%M}" if nxt else "",
            f"{timezone.localtime(attempt.recorded_at):%Y-%m-%d %H:%M}",
            attempt.edited_by or "",
        ]
        writer.writerow([spreadsheet_safe(cell) for cell in row])
