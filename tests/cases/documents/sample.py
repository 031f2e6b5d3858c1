"""Context for templates/pdf/sample.html: a chronology long enough for three A4 pages."""

SAMPLE_ROWS = 34


def sample_context(rows: int = SAMPLE_ROWS, text: str | None = None) -> dict:
    """Return the sample document's context, with rows of practitioner-written text."""
    return {
        "title": "Chronology of contact attempts",
        "case_reference": "EF-2026-0042",
        "summary": "Every attempt to reach the family, in order, as recorded by the lead practitioner.",
        "rows": [
            {
                "when": f"{1 + i % 28:02d}/11/2026 {9 + i % 8:02d}:30",
                "who": "Priya Practitioner",
                "text": text
                or (
                    f"Row {i + 1}: unannounced home visit. No answer at the door; a letter was left "
                    "giving the date and time of the next visit and a number to call."
                ),
            }
            for i in range(rows)
        ],
    }
