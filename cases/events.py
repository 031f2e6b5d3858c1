"""What the kernel and the records announce, for the workflow above them to act on.

A lower layer never imports a higher one. Where it must let one know something happened, its
service calls one of the functions below, and each app that cares subscribes in its
AppConfig.ready(). Announcing is an ordinary call, not a signal: the subscribers run at once,
in the order they subscribed, inside the caller's transaction, and whatever they raise reaches
the caller (a case that cannot start its flow chart is not opened).

    case_opened(case=, by=)        a case was opened; its referral date is Day 1
    records_changed(case=, by=)    what was recorded on a case changed (an attempt, a letter, a FERA)
    case_closed(case=, by=)        the line manager closed a case
    case_moved_team(case=, by=)    the case went to another team (its new lead practitioner's)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import Case, User

CASE_OPENED = "case_opened"
RECORDS_CHANGED = "records_changed"
CASE_CLOSED = "case_closed"
CASE_MOVED_TEAM = "case_moved_team"

Handler = Callable[..., object]

_subscribers: dict[str, list[Handler]] = {
    CASE_OPENED: [],
    RECORDS_CHANGED: [],
    CASE_CLOSED: [],
    CASE_MOVED_TEAM: [],
}


def subscribe(event: str, handler: Handler) -> None:
    """Call `handler(case=..., by=...)` whenever `event` is announced (subscribing twice is once)."""
    if event not in _subscribers:
        raise ValueError(f"No such event: {event!r} (one of {', '.join(_subscribers)})")
    if handler not in _subscribers[event]:
        _subscribers[event].append(handler)


def subscribers(event: str) -> tuple[Handler, ...]:
    """Who is told of `event`, in the order they are told."""
    return tuple(_subscribers[event])


def _announce(event: str, **details) -> None:
    for handler in tuple(_subscribers[event]):
        handler(**details)


def case_opened(*, case: Case, by: User) -> None:
    """A case was opened: its referral date is Day 1."""
    _announce(CASE_OPENED, case=case, by=by)


def records_changed(*, case: Case, by: User | None = None) -> None:
    """What was recorded on the case changed: an attempt, an agreement, a letter, an assessment."""
    _announce(RECORDS_CHANGED, case=case, by=by)


def case_closed(*, case: Case, by: User) -> None:
    """The line manager closed the case."""
    _announce(CASE_CLOSED, case=case, by=by)


def case_moved_team(*, case: Case, by: User) -> None:
    """The case went to another team: records that keep the case's team follow it."""
    _announce(CASE_MOVED_TEAM, case=case, by=by)
