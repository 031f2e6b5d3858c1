"""Pathway versions and their steps."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

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


# A step as `Step.spec` makes it, read as plain values: a manager's queue and the sweep read the
# steps of every version their episodes follow, and model instances cost more than the read.
_SPEC = ("id", "order", "day", "timing", "title", "requirement", "attempt_kinds", "attempt_count",
         "attempt_outcomes", "responsible", "guidance", "if_possible")  # fmt: skip


def steps_for(version_ids: Iterable[int]) -> dict[int, list[StepSpec]]:
    steps: dict[int, list[StepSpec]] = defaultdict(list)
    rows = (
        Step.objects.filter(version_id__in=set(version_ids))
        .order_by("order")
        .values_list("version_id", *_SPEC)
    )
    for version_id, *values in rows:
        spec = dict(zip(_SPEC, values, strict=True))
        spec["attempt_kinds"] = tuple(spec["attempt_kinds"] or ())
        spec["attempt_outcomes"] = tuple(spec["attempt_outcomes"] or ())
        steps[version_id].append(StepSpec(**spec))
    return steps


def pathway_draft(pathway: Pathway) -> PathwayVersion | None:
    """The pathway's draft version (a pathway has at most one), or None."""
    return PathwayVersion.objects.filter(pathway=pathway, published_at__isnull=True).first()


@dataclass(frozen=True)
class PathwayRow:
    pathway: Pathway
    published: int | None  # the number of the version in force
    draft: int | None


def pathways_for_editing() -> list[PathwayRow]:
    """Every pathway with the number of its version in force and of its draft: two queries."""
    pathways = list(Pathway.objects.order_by("name"))
    published: dict[int, int] = {}
    drafts: dict[int, int] = {}
    for pathway_id, number, published_at in PathwayVersion.objects.values_list(
        "pathway_id", "number", "published_at"
    ):
        if published_at is None:
            drafts[pathway_id] = number
        else:
            published[pathway_id] = max(number, published.get(pathway_id, 0))
    return [PathwayRow(p, published.get(p.pk), drafts.get(p.pk)) for p in pathways]
