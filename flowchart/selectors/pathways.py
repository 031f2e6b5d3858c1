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


# The steps of each published version read so far in this process. A published version never
# changes (flowchart.pathway_services.pathway_step_change refuses; a change is a new draft, then a
# new version), and every busy page reads its episodes' steps: a case page, a practitioner's day
# and a manager's queue each spent a millisecond or more reading and building the same few dozen
# steps. A draft's steps are read afresh each time, since an admin may be changing them.
_published_steps: dict[int, tuple[StepSpec, ...]] = {}


def forget_published_steps() -> None:
    """Read every version's steps afresh next time (the tests' database is emptied between tests,
    and its ids used again)."""
    _published_steps.clear()


def steps_for(version_ids: Iterable[int]) -> dict[int, list[StepSpec]]:
    """Each version's steps in order, by version id; one query, or none when every version asked
    for is published and was read before in this process."""
    ids = set(version_ids)
    steps: dict[int, list[StepSpec]] = defaultdict(list)
    for version_id in ids & _published_steps.keys():
        steps[version_id] = list(_published_steps[version_id])
    missing = ids - steps.keys()
    if not missing:
        return steps
    published = set()
    rows = (
        Step.objects.filter(version_id__in=missing)
        .order_by("order")
        .values_list("version_id", "version__published_at", *_SPEC)
    )
    for version_id, published_at, *values in rows:
        spec = dict(zip(_SPEC, values, strict=True))
        spec["attempt_kinds"] = tuple(spec["attempt_kinds"] or ())
        spec["attempt_outcomes"] = tuple(spec["attempt_outcomes"] or ())
        steps[version_id].append(StepSpec(**spec))
        if published_at is not None:
            published.add(version_id)
    for version_id in published:
        _published_steps[version_id] = tuple(steps[version_id])
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
