"""Every read of the practice tools. Callers have already checked the case through cases.access."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext

from cases.compiled import compiled_read, record_from
from cases.models import Case, Person, PersonKind, User

from .chart import Chart, Rating, safety_chart
from .models import (
    GrowGoal,
    SafetyMapping,
    SafetyRating,
    ScaleRating,
    StageOfChange,
    SupervisionAction,
    SupervisionRecord,
)


def _one(queryset: QuerySet, message: str, **lookup):
    try:
        return queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404(message) from None


def adults_with_stages(case: Case) -> list[Person]:
    """The case's adults, each with `stages` (newest first) and `current_stage` (or None): two queries."""
    stages = StageOfChange.objects.select_related("assessed_by").order_by(
        "-assessed_on", "-recorded_at", "-id"
    )
    adults = list(
        Person.objects.filter(case=case, kind=PersonKind.ADULT)
        .order_by("full_name", "id")
        .prefetch_related(Prefetch("stages_of_change", queryset=stages, to_attr="stages"))
    )
    for adult in adults:
        adult.current_stage = adult.stages[0] if adult.stages else None
    return adults


def adult_on_case(case: Case, pk) -> Person:
    """One adult of this family, or 404 (children and other families' adults answer as missing)."""
    return _one(Person.objects.filter(case=case, kind=PersonKind.ADULT), "No such adult", pk=pk)


def stage_history(person: Person) -> QuerySet[StageOfChange]:
    return person.stages_of_change.select_related("assessed_by").order_by(
        "-assessed_on", "-recorded_at", "-id"
    )


def safety_mappings(case: Case) -> list[SafetyMapping]:
    """The case's maps, newest meeting first, each with its ratings: two queries."""
    ratings = SafetyRating.objects.order_by("id")
    return list(
        SafetyMapping.objects.filter(case=case)
        .select_related("recorded_by")
        .prefetch_related(Prefetch("ratings", queryset=ratings))
        .order_by("-meeting_on", "-id")
    )


def scale_ratings(case: Case, limit: int | None = None) -> list[ScaleRating]:
    """The case's quick safety scale ratings, newest first (the latest `limit` of them): one query."""
    ratings = ScaleRating.objects.filter(case=case).select_related("recorded_by")
    return list(ratings[:limit] if limit else ratings)


# How many quick safety scale ratings the case page shows; the safety page shows every one.
LATEST_RATINGS = 3
RATING_FIELDS = tuple(f.attname for f in ScaleRating._meta.concrete_fields)
RECORDER_FIELDS = ("id", "full_name", "email")  # as `User.__str__` names them


@compiled_read
def _latest_ratings(*, case: int):
    # In the model's order, newest first.
    return ScaleRating.objects.filter(case_id=case).values_list(
        *RATING_FIELDS, *(f"recorded_by__{name}" for name in RECORDER_FIELDS)
    )[:LATEST_RATINGS]


def latest_scale_ratings(case: Case) -> list[ScaleRating]:
    """`scale_ratings(case, LATEST_RATINGS)` for the case page, from SQL compiled once a process
    (`cases.compiled`): building the read cost more than running it."""
    ratings = []
    n = len(RATING_FIELDS)
    for row in _latest_ratings(case=case.pk):
        rating = record_from(ScaleRating, RATING_FIELDS, row[:n])
        rating.recorded_by = record_from(User, RECORDER_FIELDS, row[n:])
        ratings.append(rating)
    return ratings


def mapping_on_case(case: Case, pk) -> SafetyMapping:
    return _one(
        SafetyMapping.objects.filter(case=case).select_related("recorded_by").prefetch_related("ratings"),
        "No such mapping",
        pk=pk,
    )


def latest_mapping(case: Case) -> SafetyMapping | None:
    return (
        SafetyMapping.objects.filter(case=case)
        .prefetch_related("ratings")
        .order_by("-meeting_on", "-id")
        .first()
    )


def chart_for(mappings: list[SafetyMapping]) -> Chart | None:
    """The ratings across the given meetings, oldest first, as a chart."""
    oldest_first = sorted(mappings, key=lambda m: (m.meeting_on, m.pk))
    return safety_chart(
        [(m.pk, m.meeting_on, m.meeting_name) for m in oldest_first],
        [
            Rating(
                meeting_id=m.pk,
                meeting_on=m.meeting_on,
                meeting_name=m.meeting_name,
                name=r.rater_name,
                kind=r.rater_kind,
                rating=r.rating,
            )
            for m in oldest_first
            for r in m.ratings.all()
        ],
    )


@dataclass(frozen=True)
class RatingTable:
    """The chart's data as a table: one row per meeting, one column per person."""

    people: list[str]
    rows: list[tuple[SafetyMapping, list[int | None]]]


def rating_table(mappings: list[SafetyMapping]) -> RatingTable:
    oldest_first = sorted(mappings, key=lambda m: (m.meeting_on, m.pk))
    people: dict[str, str] = {}
    for mapping in oldest_first:
        for rating in mapping.ratings.all():
            people.setdefault(rating.rater_name.strip().casefold(), rating.rater_name)
    rows = []
    for mapping in oldest_first:
        given = {r.rater_name.strip().casefold(): r.rating for r in mapping.ratings.all()}
        rows.append((mapping, [given.get(key) for key in people]))
    return RatingTable(people=list(people.values()), rows=rows)


def grow_goals(case: Case) -> QuerySet[GrowGoal]:
    return GrowGoal.objects.filter(case=case).select_related("person", "recorded_by", "updated_by")


def goal_on_case(case: Case, pk) -> GrowGoal:
    return _one(GrowGoal.objects.filter(case=case).select_related("person"), "No such goal", pk=pk)


def supervision_records(case: Case) -> QuerySet[SupervisionRecord]:
    actions = SupervisionAction.objects.order_by("position")
    return (
        SupervisionRecord.objects.filter(case=case)
        .select_related("supervisor", "practitioner", "recorded_by")
        .prefetch_related(Prefetch("actions", queryset=actions))
        .order_by("-supervised_on", "-id")
    )


def supervision_on_case(case: Case, pk) -> SupervisionRecord:
    return _one(supervision_records(case), "No such supervision record", pk=pk)


@dataclass(frozen=True)
class HistoryItem:
    """One practice record as the case history lists it."""

    on: dt.date
    tool: str
    title: str
    by: str
    url: str


def practice_history(case: Case) -> list[HistoryItem]:
    """Every practice record on the case, newest first, in five queries whatever their number.

    Shaped like a chronology entry (a date, what, who, a link) so the case history can merge it.
    """
    items: list[HistoryItem] = []
    for stage in StageOfChange.objects.filter(case=case).select_related("person", "assessed_by"):
        items.append(
            HistoryItem(
                on=stage.assessed_on,
                tool=gettext("Cycle of change"),
                title=f"{stage.person}: {stage.get_stage_display().lower()}",
                by=str(stage.assessed_by),
                url=reverse("practice:stage", kwargs={"case_pk": case.pk, "person_pk": stage.person_id}),
            )
        )
    for mapping in SafetyMapping.objects.filter(case=case).select_related("recorded_by"):
        items.append(
            HistoryItem(
                on=mapping.meeting_on,
                tool=gettext("Signs of Safety"),
                title=mapping.meeting_name,
                by=str(mapping.recorded_by),
                url=reverse("practice:safety_detail", kwargs={"case_pk": case.pk, "pk": mapping.pk}),
            )
        )
    for rating in ScaleRating.objects.filter(case=case).select_related("recorded_by"):
        items.append(
            HistoryItem(
                on=rating.rated_on,
                tool=gettext("Safety scale"),
                title=gettext("%(name)s rated the situation %(rating)s out of 10: %(reason)s")
                % {"name": rating.rater_name, "rating": rating.rating, "reason": rating.reason},
                by=str(rating.recorded_by),
                url=reverse("practice:safety", kwargs={"case_pk": case.pk}) + f"#scale-rating-{rating.pk}",
            )
        )
    for goal in GrowGoal.objects.filter(case=case).select_related("recorded_by"):
        items.append(
            HistoryItem(
                on=goal.agreed_on,
                tool=gettext("GROW goal"),
                title=str(goal),
                by=str(goal.recorded_by),
                url=reverse("practice:goals", kwargs={"case_pk": case.pk}) + f"#goal-{goal.pk}",
            )
        )
    for record in SupervisionRecord.objects.filter(case=case).select_related(
        "supervisor", "recorded_by", "family_discussion_recorded_by"
    ):
        url = reverse("practice:supervision_detail", kwargs={"case_pk": case.pk, "pk": record.pk})
        items.append(
            HistoryItem(
                on=record.supervised_on,
                tool=gettext("Supervision"),
                title=gettext("Engagement discussed in supervision with %(supervisor)s")
                % {"supervisor": record.supervisor},
                by=str(record.recorded_by),
                url=url,
            )
        )
        if record.discussed_with_family_on:
            items.append(
                HistoryItem(
                    on=record.discussed_with_family_on,
                    tool=gettext("Supervision"),
                    title=gettext("Supervision action plan discussed with the family"),
                    by=str(record.family_discussion_recorded_by or record.recorded_by),
                    url=url,
                )
            )
    return sorted(items, key=lambda item: item.on, reverse=True)
