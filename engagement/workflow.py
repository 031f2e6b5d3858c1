"""What engagement asks of the flow chart above it, answered by functions the flow chart sets here.

Engagement sits below the flow chart and never imports it (docs/architecture.md). Two things it
does need the flow chart's word: a letter is written for a step of the case's running flow chart,
and saving an attempt tells the practitioner which step it counted towards. The flow chart hands
engagement the functions that answer in its AppConfig.ready() (`flowchart_readers_set`), as it
hands the kernel the calendar's reader (`cases.calendar.calendar_reader_set`).
"""

from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured

# Imported by the flow chart's AppConfig before any model is loaded: no models are imported here.
LetterStepFinder = Callable[..., tuple[object | None, object | None]]
AttemptCounted = Callable[[object], str]

_letter_step: LetterStepFinder | None = None
_attempt_counted: AttemptCounted | None = None


def flowchart_readers_set(*, letter_step: LetterStepFinder, attempt_counted: AttemptCounted) -> None:
    """Name the flow chart's functions that find a letter's step and say what an attempt counted towards."""
    global _letter_step, _attempt_counted  # set once, when the flow chart starts
    _letter_step = letter_step
    _attempt_counted = attempt_counted


def _reader(reader):
    if reader is None:
        raise ImproperlyConfigured(
            "The flow chart has not set engagement's readers: it sets them in its ready()"
        )
    return reader


def letter_flow_step(*, case, day: int | None, order: int | None = None) -> tuple:
    """The case's running flow chart and the step of it a letter is for: the step `order` if given,
    else the one that asks for a letter on `day`; (None, None) when the flow chart is not running."""
    return _reader(_letter_step)(case=case, day=day, order=order)


def attempt_counted(attempt) -> str:
    """Which flow-chart step a saved attempt counted towards, or why none, in the practitioner's words."""
    return _reader(_attempt_counted)(attempt)


# The step an attempt is recorded for, when the practitioner comes from a step on their day's work
# ("My work today"): set by the flow chart in its ready(), apart from the readers above.
AttemptStepFinder = Callable[..., object | None]
_attempt_step: AttemptStepFinder | None = None


def attempt_step_reader_set(reader: AttemptStepFinder) -> None:
    """Name the flow chart's function that finds the step of a case's running flow chart by its order."""
    global _attempt_step  # set once, when the flow chart starts
    _attempt_step = reader


def attempt_step(*, case, order) -> object | None:
    """The step `order` of the case's running flow chart, when it asks for contact attempts: an
    object with `order`, `day`, `title`, `due_on`, `attempt_kinds`. None for anything else (no
    such step, not a number, a step met by a record rather than an attempt, no running chart)."""
    try:
        number = int(order)
    except (TypeError, ValueError):
        return None
    if number < 1 or number > 32767:
        return None
    return _reader(_attempt_step)(case=case, order=number)
