"""Pathway versions and their steps."""

from collections import defaultdict
from collections.abc import Iterable

from ..models import (
    Pathway,
    PathwayVersion,
    Step,
)
from ..schedule import (
    StepSpec,
)


def current_version(pathway_code: str | None = None) -> PathwayVersion | None:
    """The latest published version of the pathway (the default pathway when no code is given)."""
    pathways = (
        Pathway.objects.filter(code=pathway_code) if pathway_code else Pathway.objects.filter(is_default=True)
    )
    return (
        PathwayVersion.objects.filter(pathway__in=pathways, published_at__isnull=False)
        .select_related("pathway")
        .order_by("-number")
        .first()
    )


def steps_for(version_ids: Iterable[int]) -> dict[int, list[StepSpec]]:
    steps: dict[int, list[StepSpec]] = defaultdict(list)
    for step in Step.objects.filter(version_id__in=set(version_ids)).order_by("order"):
        steps[step.version_id].append(step.spec())
    return steps
