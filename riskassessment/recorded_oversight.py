"""Management oversight recorded elsewhere on the case, read by the assessment's sign-off.

The guidance asks for one discussion, recorded once: "Management oversight and decision making
must be recorded on the Family Engagement Risk Assessment and the relevant electronic case file"
(Knowsley 000, section 5). The manager records it on the flow chart (flowchart/services/oversight.py);
the assessment sits below the flow chart and never imports it (docs/architecture.md), so the flow
chart hands the assessment a reader of its oversight in its AppConfig.ready()
(`case_oversight_reader_set`), as it hands engagement its readers (engagement/workflow.py).
docs/decisions/0007-one-oversight-record.md says why.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ImproperlyConfigured

# Imported by the flow chart's AppConfig before any model is loaded: no models are imported here.


@dataclass(frozen=True)
class OversightActionRow:
    """One action agreed: the same four columns as a row of the assessment's action tables."""

    what: str
    who: str
    by_when: dt.date
    review_on: dt.date


@dataclass(frozen=True)
class RecordedOversight:
    """One management oversight record on the case: who, when, what was discussed, the actions."""

    manager_name: str
    recorded_at: dt.datetime
    discussion: str
    actions: list[OversightActionRow] = field(default_factory=list)


# reader(case, since=, until=) -> the case's oversight recorded in [since, until], oldest first.
OversightReader = Callable[..., list[RecordedOversight]]

_reader: OversightReader | None = None


def case_oversight_reader_set(reader: OversightReader) -> None:
    """Name the function that reads the oversight recorded on a case (the flow chart's, in its ready())."""
    global _reader  # set once, when the flow chart starts
    _reader = reader


def case_oversight(case, *, since: dt.datetime, until: dt.datetime | None = None) -> list[RecordedOversight]:
    """The management oversight recorded on `case` from `since` (to `until`, if given), oldest first."""
    if _reader is None:
        raise ImproperlyConfigured(
            "The flow chart has not set the assessment's oversight reader: it sets it in its ready()"
        )
    return _reader(case, since=since, until=until)


def assessment_oversight(assessment) -> list[RecordedOversight]:
    """The oversight that counts for this version: recorded on the case since the version was started,
    and, once signed, no later than the signing (what the manager signed stays as it was signed)."""
    return case_oversight(assessment.case, since=assessment.created_at, until=assessment.signed_at)
