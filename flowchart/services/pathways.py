"""Pathway versions: a draft copied from a version, and publishing it."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.history import save_with_history
from cases.models import (
    User,
)

from ..models import (
    Pathway,
    PathwayVersion,
    Step,
    StepRequirement,
)
from .common import FlowchartError


@transaction.atomic
def pathway_version_draft(*, version: PathwayVersion, by: User) -> PathwayVersion:
    """Copy a version, steps and all, into a new draft that can be edited."""
    pathway = Pathway.objects.select_for_update().get(pk=version.pathway_id)
    draft = PathwayVersion.objects.filter(pathway=pathway, published_at__isnull=True).first()
    if draft is not None:
        raise FlowchartError(
            _("%(pathway)s already has a draft (version %(number)s): edit or publish that one")
            % {"pathway": pathway.name, "number": draft.number}
        )
    last = PathwayVersion.objects.filter(pathway=pathway).order_by("-number").first()
    new = PathwayVersion(pathway=pathway, number=last.number + 1, notes="")
    save_with_history(new, by=by)
    for step in version.steps.order_by("order"):
        copy = Step(
            version=new,
            order=step.order,
            day=step.day,
            timing=step.timing,
            title=step.title,
            requirement=step.requirement,
            attempt_kinds=list(step.attempt_kinds),
            attempt_count=step.attempt_count,
            attempt_outcomes=list(step.attempt_outcomes),
            responsible=step.responsible,
            guidance=step.guidance,
            if_possible=step.if_possible,
        )
        save_with_history(copy, by=by)
    return new


@transaction.atomic
def pathway_version_publish(*, version: PathwayVersion, by: User) -> PathwayVersion:
    """Publish a draft: new episodes follow it from now on; running ones keep their version."""
    version = PathwayVersion.objects.select_for_update().get(pk=version.pk)
    if version.is_published:
        raise FlowchartError(_("Version %(number)s is already published") % {"number": version.number})
    steps = list(version.steps.all())
    if not steps:
        raise FlowchartError(_("Add at least one step before publishing"))
    for step in steps:
        if step.requirement == StepRequirement.ATTEMPTS and not step.attempt_kinds:
            raise FlowchartError(
                _("Step %(order)s (%(title)s) needs at least one kind of attempt")
                % {"order": step.order, "title": step.title}
            )
    version.published_at = timezone.now()
    save_with_history(version, by=by)
    return version
