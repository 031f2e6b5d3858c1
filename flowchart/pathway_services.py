"""What an admin's configuration changes bring with them: which pathway new cases follow, a new
pathway's first draft, a draft's steps changed one at a time, publishing it, and the next due
dates a service closure day moves.

The admin saves through these, so the rules live here and not in `admin.py`.
"""

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from cases.history import create_with_history, delete_with_history, save_with_history
from cases.models import User

from .models import ClosureDay, Pathway, PathwayVersion, Step
from .selectors import current_version, episodes_for_closure_change
from .services import FlowchartError, episode_refresh, pathway_version_draft, pathway_version_publish

# What a step's page changes: everything but its place in the order, which the steps list keeps.
STEP_FIELDS = (
    "day",
    "timing",
    "title",
    "requirement",
    "attempt_kinds",
    "attempt_count",
    "attempt_outcomes",
    "responsible",
    "if_possible",
    "guidance",
)


class StepOutOfOrder(FlowchartError):
    """A step's day would put it before the step ahead of it, or after the one behind it."""


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


def pathway_draft_make(*, pathway: Pathway, by: User) -> PathwayVersion:
    """A draft copied from the pathway's published version, to change step by step."""
    published = current_version(pathway.code)
    if published is None:
        raise FlowchartError(
            _("%(pathway)s has no published version to make a draft from") % {"pathway": pathway.name}
        )
    return pathway_version_draft(version=published, by=by)


@transaction.atomic
def pathway_step_change(*, step: Step, by: User, **fields) -> Step:
    """Change one step of a draft. A published version never changes: the families on it were
    asked for what it says. The steps stay in the order of their days."""
    unknown = set(fields) - set(STEP_FIELDS)
    if unknown:
        raise TypeError(f"Not a step's field: {sorted(unknown)}")
    step = Step.objects.select_for_update().select_related("version").get(pk=step.pk)
    if step.version.is_published:
        raise FlowchartError(
            _("Version %(number)s is published and cannot be changed: create a draft to change its steps")
            % {"number": step.version.number}
        )
    day = fields.get("day", step.day)
    neighbours = Step.objects.filter(version=step.version).exclude(pk=step.pk)
    before = neighbours.filter(order__lt=step.order).order_by("-order").first()
    after = neighbours.filter(order__gt=step.order).order_by("order").first()
    if before is not None and day < before.day:
        raise StepOutOfOrder(
            _(
                "Enter day %(day)s or later: step %(order)s comes after step %(other)s, which is on day %(day)s"
            )
            % {"day": before.day, "order": step.order, "other": before.order}
        )
    if after is not None and day > after.day:
        raise StepOutOfOrder(
            _(
                "Enter day %(day)s or earlier: step %(order)s comes before step %(other)s, which is on day %(day)s"
            )
            % {"day": after.day, "order": step.order, "other": after.order}
        )
    for name, value in fields.items():
        setattr(step, name, list(value) if name in ("attempt_kinds", "attempt_outcomes") else value)
    save_with_history(step, by=by)
    return step


def pathway_draft_publish(*, pathway: Pathway, by: User) -> PathwayVersion:
    """Publish the pathway's draft, with the publish service's checks: new cases follow it from
    now on, and families already in the flow chart keep the version they started on."""
    draft = PathwayVersion.objects.filter(pathway=pathway, published_at__isnull=True).first()
    if draft is None:
        raise FlowchartError(
            _("%(pathway)s has no draft to publish: create a draft first") % {"pathway": pathway.name}
        )
    return pathway_version_publish(version=draft, by=by)


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
