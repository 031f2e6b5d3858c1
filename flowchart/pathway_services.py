"""What an admin's configuration changes bring with them: which pathway new cases follow, a new
pathway's first draft, and the next due dates a service closure day moves.

The admin saves through these, so the rules live here and not in `admin.py`.
"""

import datetime as dt
from collections.abc import Iterable

from django.db import transaction

from cases.history import create_with_history, delete_with_history, save_with_history
from cases.models import User

from .models import ClosureDay, Pathway, PathwayVersion
from .selectors import episodes_for_closure_change
from .services import episode_refresh


@transaction.atomic
def pathway_save(*, pathway: Pathway, by: User, use_for_new_cases: bool) -> Pathway:
    """Save the pathway; using it for new cases unticks the pathway used until now. A new pathway
    starts with an empty draft version to add its steps to."""
    if use_for_new_cases and not pathway.is_default:
        for other in Pathway.objects.select_for_update().filter(is_default=True).exclude(pk=pathway.pk):
            other.is_default = False
            save_with_history(other, by=by)
    pathway.is_default = use_for_new_cases
    save_with_history(pathway, by=by)
    if not pathway.versions.exists():
        create_with_history(PathwayVersion, by=by, pathway=pathway, number=1, notes="First version")
    return pathway


@transaction.atomic
def closure_day_save(*, closure: ClosureDay, by: User, moved_from: dt.date | None = None) -> ClosureDay:
    """Record a day the service is shut (or move one from `moved_from`), and put right the due dates."""
    save_with_history(closure, by=by)
    closure_days_changed(days=[moved_from, closure.date], by=by)
    return closure


@transaction.atomic
def closure_days_delete(*, closures: Iterable[ClosureDay], by: User) -> None:
    """The service is open on these days after all: remove them one by one (each kept in history)."""
    days = []
    for closure in closures:
        days.append(closure.date)
        delete_with_history(closure, by=by)
    closure_days_changed(days=days, by=by)


def closure_days_changed(*, days: Iterable[dt.date | None], by: User) -> None:
    """Due dates on or after the earliest day move: refresh the next due date the reminders read."""
    days = [day for day in days if day]
    if days:
        for episode in episodes_for_closure_change(min(days)):
            episode_refresh(episode=episode, by=by)
