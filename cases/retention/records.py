"""Keeping case records, and disposing of them only when their retention period is over.

Nothing recorded about a family is deleted through the app: every case record refuses
`delete()` (one instance or a whole queryset) unless `case_dispose` below is running. Disposal
is an explicit call by an admin, refused while the case is open, before its date, or while a
legal hold is on it, and it leaves a `DisposalRecord` and a line in the security log.

How long each kind of case is kept is in settings (`RETENTION_YEARS`,
`RETENTION_UNTIL_YOUNGEST_CHILD_AGE`); docs/security.md names the assumptions behind the
defaults.
"""

import contextlib
import contextvars
import datetime as dt
import logging
from collections import defaultdict, deque
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.db.models.signals import pre_delete
from django.utils import timezone
from simple_history.models import HistoricalChanges

from .. import contributions
from ..history import save_with_history
from ..models import (
    OPEN_STATUSES,
    Case,
    CaseStatus,
    DisposalRecord,
    PersonKind,
    Role,
    ThresholdLevel,
    User,
)
from ..storage import disposal_deletes_files

security = logging.getLogger("security")

CASE_APPS = ("cases", "engagement", "riskassessment", "flowchart")

# Case-linked rows that may be deleted without a disposal, and why.
DELETABLE_WITHOUT_DISPOSAL = {
    # A reminder or alert about the record, not the record: the chronology, flow chart and
    # assessments hold what happened. Clearing them lets a day's reminders be swept again.
    "cases.Notification": "a message about the record, not the record itself",
    # Not a record yet: what someone typed and has not saved. Its owner discards it, saving the
    # form replaces it, and it expires after the admin's number of days (cases/drafts.py).
    "cases.Draft": "unsaved typing, not a record; it expires",
}
# Kept when their case is disposed of, with the link to the case cleared. They hold no case
# content (who, what kind of page, when), and they are the evidence of who looked.
DETACHED_ON_DISPOSAL = {"cases.AccessLogEntry": "case"}
# Logs that are never deleted through the app, disposal included.
APPEND_ONLY = ("cases.AccessLogEntry", "cases.DisposalRecord")


class RecordDeletionRefused(Exception):
    """Someone tried to delete a case record outside a retention disposal."""


class RetentionError(Exception):
    """A retention action that cannot be taken, with a message the person can act on."""


# ---------------------------------------------------------------------------------------------
# Which models hold case records, and how each reaches its case.


def _forward_relations(model):
    return [
        field
        for field in model._meta.get_fields()
        if isinstance(field, models.ForeignKey) and field.related_model is not model
    ]


def case_paths() -> dict[type[models.Model], str]:
    """Every model in the case apps whose rows belong to a case, with the lookup to that case.

    Found by following foreign keys, not listed by hand, so a new kind of record on a case is
    covered the day it is added. Paths through required links win over optional ones, then
    shorter over longer.
    """
    candidates = [
        model
        for label in CASE_APPS
        for model in apps.get_app_config(label).get_models()
        if not issubclass(model, HistoricalChanges) and model is not Case
    ]
    best: dict[type[models.Model], tuple[tuple[int, int], str]] = {Case: ((0, 0), "")}
    changed = True
    while changed:
        changed = False
        for model in candidates:
            for field in _forward_relations(model):
                if field.related_model not in best:
                    continue
                (optional, depth), rest = best[field.related_model]
                rank = (optional + int(field.null), depth + 1)
                if model not in best or rank < best[model][0]:
                    best[model] = (rank, f"{field.name}__{rest}" if rest else field.name)
                    changed = True
    return {model: lookup or "pk" for model, (_, lookup) in best.items()}


def guarded_models() -> list[type[models.Model]]:
    labelled = {model._meta.label: model for model in case_paths()}
    labelled.update({label: apps.get_model(label) for label in APPEND_ONLY})
    return [model for label, model in labelled.items() if label not in DELETABLE_WITHOUT_DISPOSAL]


_disposing: contextvars.ContextVar[bool] = contextvars.ContextVar("disposing", default=False)


def _refuse_deletion(sender, instance, **kwargs):
    if sender._meta.label in APPEND_ONLY or not _disposing.get():
        raise RecordDeletionRefused(
            f"{sender._meta.verbose_name.capitalize()} records are kept: close or end them instead. "
            "Case records are removed only by a retention disposal (cases/retention/)."
        )


def guard_deletions() -> None:
    """Refuse `delete()` on every case record; called once the apps are loaded."""
    for model in guarded_models():
        pre_delete.connect(_refuse_deletion, sender=model, dispatch_uid=f"keep-{model._meta.label}")


@contextlib.contextmanager
def _disposal():
    token = _disposing.set(True)
    try:
        yield
    finally:
        _disposing.reset(token)


# ---------------------------------------------------------------------------------------------
# Retention periods.


@dataclass(frozen=True)
class DueCase:
    case: Case
    record_type: str
    due_on: dt.date


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)


def record_type(case: Case) -> str:
    """Which retention rule applies: child protection if the case ever reached that threshold.

    The kernel knows the case's own status and threshold; the apps above add the records that
    mark it too (a safeguarding escalation, an assessment recording an elevated risk) in their
    ready(), through `contributions.child_protection_records_add`.
    """
    if (
        case.status == CaseStatus.STEPPED_UP
        or case.threshold_level == ThresholdLevel.SPECIALIST
        or any(
            records.filter(**{lookup: case}).exists()
            for records, lookup in contributions.child_protection_records()
        )
    ):
        return "child_protection"
    return "case"


def retention_until(case: Case, kind: str | None = None) -> dt.date | None:
    """The first day the case may be disposed of; None while it is open."""
    if case.status in OPEN_STATUSES or case.closed_on is None:
        return None
    kind = kind or record_type(case)
    due = _add_years(case.closed_on, settings.RETENTION_YEARS[kind])
    until_age = settings.RETENTION_UNTIL_YOUNGEST_CHILD_AGE.get(kind)
    if until_age is not None:
        births = case.people.filter(kind=PersonKind.CHILD, date_of_birth__isnull=False).values_list(
            "date_of_birth", flat=True
        )
        if births:
            due = max(due, _add_years(max(births), until_age))
    return due


def _closed_cases(today: dt.date):
    shortest = min(settings.RETENTION_YEARS.values())
    return (
        Case.objects.exclude(status__in=OPEN_STATUSES)
        .filter(closed_on__lte=_add_years(today, -shortest))
        .order_by("closed_on", "pk")
    )


def cases_due_for_disposal(today: dt.date) -> list[DueCase]:
    """Closed cases past their retention date and not on legal hold, oldest first."""
    due = []
    for case in _closed_cases(today).filter(legal_hold=False):
        kind = record_type(case)
        until = retention_until(case, kind)
        if until is not None and until <= today:
            due.append(DueCase(case=case, record_type=kind, due_on=until))
    return sorted(due, key=lambda d: (d.due_on, d.case.pk))


def cases_held_past_retention(today: dt.date) -> list[DueCase]:
    """Cases that would be due but for a legal hold: the hold should be reviewed."""
    held = []
    for case in _closed_cases(today).filter(legal_hold=True):
        kind = record_type(case)
        until = retention_until(case, kind)
        if until is not None and until <= today:
            held.append(DueCase(case=case, record_type=kind, due_on=until))
    return held


# ---------------------------------------------------------------------------------------------
# Legal hold.


def _may_hold(user: User, case: Case) -> bool:
    if not user.is_active:
        return False
    return user.role == Role.ADMIN or (user.role == Role.LINE_MANAGER and case.team.manager_id == user.pk)


@transaction.atomic
def legal_hold_place(*, case: Case, by: User, reason: str) -> Case:
    """Stop any disposal of the case until the hold is lifted."""
    case = Case.objects.select_for_update().select_related("team").get(pk=case.pk)
    if not _may_hold(by, case):
        raise RetentionError("Only an admin or the case's line manager can place a legal hold")
    if not reason.strip():
        raise RetentionError("Enter why the case must be kept (the claim, inquiry or request)")
    if case.legal_hold:
        raise RetentionError("This case is already on legal hold")
    case.legal_hold = True
    case.legal_hold_reason = reason.strip()
    case.legal_hold_set_by = by
    case.legal_hold_set_at = timezone.now()
    save_with_history(case, by=by)
    security.info("legal hold placed: case=%s by=%s", case.pk, by.pk)
    return case


@transaction.atomic
def legal_hold_release(*, case: Case, by: User, reason: str) -> Case:
    """Lift the hold; the case then follows its retention period again."""
    case = Case.objects.select_for_update().select_related("team").get(pk=case.pk)
    if not _may_hold(by, case):
        raise RetentionError("Only an admin or the case's line manager can lift a legal hold")
    if not case.legal_hold:
        raise RetentionError("This case is not on legal hold")
    if not reason.strip():
        raise RetentionError("Enter why the hold can be lifted")
    case.legal_hold = False
    case.legal_hold_reason = f"Lifted: {reason.strip()}"
    case.legal_hold_set_by = by
    case.legal_hold_set_at = timezone.now()
    save_with_history(case, by=by)
    security.info("legal hold lifted: case=%s by=%s", case.pk, by.pk)
    return case


# ---------------------------------------------------------------------------------------------
# Disposal.


def disposal_order() -> list[tuple[type[models.Model], str]]:
    """(model, lookup to the case), ordered so each row goes before anything it points at."""
    paths = {m: p for m, p in case_paths().items() if m._meta.label not in DETACHED_ON_DISPOSAL}
    # A row must be deleted before the rows it protects (its foreign keys point at them).
    pointed_at_by = defaultdict(set)
    waiting_on = dict.fromkeys(paths, 0)
    for model in paths:
        for target in {f.related_model for f in _forward_relations(model)} & set(paths):
            pointed_at_by[target].add(model)
    for target, sources in pointed_at_by.items():
        waiting_on[target] = len(sources)
    ready = deque(sorted((m for m, n in waiting_on.items() if n == 0), key=lambda m: m._meta.label))
    order = []
    while ready:
        model = ready.popleft()
        order.append(model)
        for target in sorted(
            {f.related_model for f in _forward_relations(model)} & set(paths), key=lambda m: m._meta.label
        ):
            waiting_on[target] -= 1
            if waiting_on[target] == 0:
                ready.append(target)
    if len(order) != len(paths):
        stuck = sorted(m._meta.label for m in paths if m not in order)
        raise RuntimeError(f"Case records point at each other in a loop; cannot order: {stuck}")
    return [(model, paths[model]) for model in order]


def _self_links(model) -> list[str]:
    return [
        field.attname
        for field in model._meta.get_fields()
        if isinstance(field, models.ForeignKey) and field.related_model is model
    ]


def _delete_newest_first(model, pks: list) -> None:
    """Delete the rows, each before any it points at (a version before the one it amends).

    The links are protected and a later version must name its earlier one (a database check),
    so chains are taken apart from the end rather than unlinked.
    """
    remaining = set(pks)
    links = _self_links(model)
    while remaining:
        pointed_at = set()
        for link in links:
            pointed_at.update(
                model.objects.filter(pk__in=remaining, **{f"{link}__isnull": False}).values_list(
                    link, flat=True
                )
            )
        ends = remaining - pointed_at
        if not ends:
            raise RuntimeError(f"{model._meta.label} rows point at each other in a loop: {sorted(remaining)}")
        model.objects.filter(pk__in=ends).delete()
        remaining -= ends


def _files(model) -> list[str]:
    return [field.name for field in model._meta.get_fields() if isinstance(field, models.FileField)]


def _history_model(model):
    attribute = getattr(model._meta, "simple_history_manager_attribute", None)
    return getattr(model, attribute).model if attribute else None


@transaction.atomic
def case_dispose(*, case: Case, by: User, authority: str, today: dt.date | None = None) -> DisposalRecord:
    """Delete the case and everything recorded on it, with its history, at the end of retention.

    Refused on legal hold, while the case is open, before its retention date, or by anyone but
    an admin. The access log is kept with the link to the case cleared; the disposal leaves a
    `DisposalRecord` with counts and no personal data.
    """
    today = today or timezone.localdate()
    case = Case.objects.select_for_update().get(pk=case.pk)

    def refuse(message: str):
        security.warning("disposal refused: case=%s by=%s reason=%s", case.pk, by.pk, message)
        raise RetentionError(message)

    if not by.is_active or by.role != Role.ADMIN:
        refuse("Only an admin can dispose of case records")
    if case.legal_hold:
        refuse("This case is on legal hold: lift the hold before it can be disposed of")
    if case.is_open:
        refuse("This case is open: only closed cases can be disposed of")
    kind = record_type(case)
    due_on = retention_until(case, kind)
    if due_on is None or due_on > today:
        refuse(f"This case must be kept until {due_on:%-d %B %Y}")
    if not authority.strip():
        refuse("Enter who authorised the disposal and under which retention schedule")

    counts: dict[str, int] = {}
    storage_files: list = []
    with _disposal():
        for label, field in DETACHED_ON_DISPOSAL.items():
            apps.get_model(label).objects.filter(**{field: case.pk}).update(**{field: None})
        for model, lookup in disposal_order():
            rows = model.objects.filter(**{lookup: case.pk})
            pks = list(rows.values_list("pk", flat=True))
            if not pks:
                continue
            for name in _files(model):
                storage = model._meta.get_field(name).storage
                storage_files += [
                    (storage, f) for f in model.objects.filter(pk__in=pks).values_list(name, flat=True) if f
                ]
            _delete_newest_first(model, pks)
            if history := _history_model(model):
                # The history holds every earlier version of the same personal data.
                history.objects.filter(**{f"{model._meta.pk.name}__in": pks}).delete()
            counts[model._meta.label] = len(pks)
    record = DisposalRecord.objects.create(
        case_reference=case.reference,
        case_number=case.pk,
        record_type=kind,
        closed_on=case.closed_on,
        due_on=due_on,
        authority=authority.strip(),
        disposed_by=by,
        counts=counts,
    )
    security.warning("case disposed of: case=%s by=%s records=%s", case.pk, by.pk, sum(counts.values()))
    transaction.on_commit(lambda: _delete_files(storage_files))
    return record


def _delete_files(files: list) -> None:
    # The documents storage refuses deletion outside a disposal (cases/storage.py).
    with disposal_deletes_files():
        for storage, name in files:
            storage.delete(name)
