"""What the apps above the kernel add to it, each in its AppConfig.ready().

The kernel's rules and pages reach records it does not own (an assessment shared with a
multi-agency member, a safeguarding escalation that makes a case a child protection record, the
last contact attempt on the case list), yet it never imports the apps that own them. Each owner
tells the kernel here instead, as it subscribes to the events (cases/events.py), and the kernel
keeps the rule: who may read what was shared is cases/access.py's, how long a record is kept is
cases/retention's.

    shared_records_add(kind, records, case=, member=)  records shared outside the case team
    child_protection_records_add(records, case=)       a case with one of these is child protection
    case_list_annotation_add(name, expression)         a column of the case list, in its one query
    case_list_rows_add(label_rows)                     labels for the case list's rows (see below)
    case_page_context_add(context)                     what the case page shows of another app

Like the events, this module imports no models, so an AppConfig can import it at the top. Adding
the same contribution twice (the same kind, model or function) adds it once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:
    from django.db.models import Manager, QuerySet

    from .models import Case

# Records shared with people outside the case team, by kind (cases/access.py reads them).
SHARED_ASSESSMENTS = "assessments shared with multi-agency members"
SHARED_DECISIONS = "decisions told to multi-agency members"
SIGNED_ASSESSMENTS = "signed assessments, for the allocated social worker"

Expression = Callable[[], Any]


@dataclass(frozen=True)
class SharedRecords:
    """Records of one kind, and how each reaches its case and the person it was shared with."""

    records: QuerySet | Manager  # the records of this kind that may be shared at all
    case: str  # the lookup from a record to its case's id, e.g. "case_id"
    member: str = ""  # the lookup to the member it was shared with, when shared person by person


_shared: dict[str, SharedRecords] = {}
_child_protection: dict[tuple[str, str], QuerySet | Manager] = {}
_case_list_annotations: dict[str, Expression] = {}
_case_list_rows: list[Callable[[list[Case]], None]] = []
_case_page_context: list[Callable[[Case], dict[str, Any]]] = []


def _add_named(registry: dict[str, Expression], name: str, expression: Expression) -> None:
    if registry.get(name, expression) is not expression:
        raise ImproperlyConfigured(f"Two apps add {name!r} to the same kernel page")
    registry[name] = expression


def shared_records_add(kind: str, records: QuerySet | Manager, *, case: str, member: str = "") -> None:
    """Say where the records of `kind` are: the app that owns them calls this in its ready()."""
    _shared[kind] = SharedRecords(records=records, case=case, member=member)


def shared_records(kind: str) -> SharedRecords:
    """Where the records of `kind` are; an error naming the kind if no app has said."""
    try:
        return _shared[kind]
    except KeyError:
        raise ImproperlyConfigured(f"No app has said where the {kind} are (shared_records_add)") from None


def child_protection_records_add(records: QuerySet | Manager, *, case: str) -> None:
    """A case with any of these records ever reached child protection; `case` is the lookup to it."""
    _child_protection[(records.model._meta.label, case)] = records


def child_protection_records() -> tuple[tuple[QuerySet | Manager, str], ...]:
    """The records that make a case a child protection record, with each one's lookup to its case."""
    return tuple((records, case) for (_, case), records in _child_protection.items())


def case_list_annotation_add(name: str, expression: Expression) -> None:
    """Annotate the case list with `name`: `expression()` over `OuterRef("pk")`, in the one query."""
    _add_named(_case_list_annotations, name, expression)


def case_list_annotations() -> dict[str, Any]:
    """The case list's annotations, each built afresh for the query."""
    return {name: expression() for name, expression in _case_list_annotations.items()}


def case_list_rows_add(label_rows: Callable[[list[Case]], None]) -> None:
    """Call `label_rows(cases)` on the case list's rows once they are read. It makes no queries,
    or a fixed number however many rows: the flow chart's summaries of the live runs
    (flowchart/case_pages.py) are the one that reads, and none for an empty list."""
    if label_rows not in _case_list_rows:
        _case_list_rows.append(label_rows)


def case_list_rows_label(cases: list[Case]) -> None:
    """Let each app label the rows it annotated."""
    for label_rows in _case_list_rows:
        label_rows(cases)


def case_page_context_add(context: Callable[[Case], dict[str, Any]]) -> None:
    """Add `context(case)` to the case page's template context (the case already checked)."""
    if context not in _case_page_context:
        _case_page_context.append(context)


def case_page_context(case: Case) -> dict[str, Any]:
    """What the apps above add to the case page."""
    context: dict[str, Any] = {}
    for contribute in _case_page_context:
        context.update(contribute(case))
    return context
