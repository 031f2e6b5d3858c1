"""Saving with history: every domain model keeps its history (django-simple-history), and each
history row says who made the change.

Set the user here, never by hand: without it simple-history falls back to the signed-in user of
the request, which is wrong in a task and missing in a sweep. `by=None` records the system.
"""

from collections.abc import Iterable

from django.db import models

from .models import User


def save_with_history[M: models.Model](
    obj: M, *, by: User | None, update_fields: Iterable[str] | None = None
) -> M:
    """Save `obj`; its history row records `by` as the person who made the change."""
    obj._history_user = by
    obj.save(update_fields=update_fields)
    return obj


def create_with_history[M: models.Model](model: type[M], *, by: User | None, **values) -> M:
    """Create a row of `model`; its first history row records `by` as the person who made it."""
    return save_with_history(model(**values), by=by)


def delete_with_history(obj: models.Model, *, by: User | None) -> None:
    """Delete `obj`; its last history row records `by` as the person who removed it."""
    obj._history_user = by
    obj.delete()
