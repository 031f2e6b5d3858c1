"""Every write to the practice tools. Each record is new; corrections keep the earlier version."""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.access import CaseAction, can
from cases.history import create_with_history, save_with_history
from cases.models import Case, Person, PersonKind, User
from engagement.selectors import people_who_can_make_attempts

from .models import (
    ChangeStage,
    GrowGoal,
    RaterKind,
    SafetyMapping,
    SafetyRating,
    ScaleRating,
    StageOfChange,
    SupervisionAction,
    SupervisionRecord,
)


class PracticeToolError(Exception):
    """A practice record that cannot be saved as given, with a message the person can act on."""


@dataclass(frozen=True)
class RatingData:
    name: str
    kind: str
    rating: int
    reason: str = ""


@dataclass(frozen=True)
class ActionData:
    what: str
    who: str
    by_when: dt.date


MAPPING_TEXT_FIELDS = (
    "attendees",
    "past_harm",
    "future_danger",
    "complicating_factors",
    "strengths",
    "safety",
    "agency_goals",
    "family_goals",
    "next_steps",
    "danger_statements",
    "safety_goals",
    "family_safety_plan",
)


# What is said of each date the practice tools record when it is in the future, or before the
# referral: whole sentences, so a translator never fits a name for the date into another.
DATE_MESSAGES = {
    "assessment": (
        gettext_lazy("The date of the assessment must be today or in the past"),
        gettext_lazy("The date of the assessment must be on or after the referral date, %(referral_date)s"),
    ),
    "meeting": (
        gettext_lazy("The date of the meeting must be today or in the past"),
        gettext_lazy("The date of the meeting must be on or after the referral date, %(referral_date)s"),
    ),
    "goal": (
        gettext_lazy("The date the goal was agreed must be today or in the past"),
        gettext_lazy("The date the goal was agreed must be on or after the referral date, %(referral_date)s"),
    ),
    "supervision": (
        gettext_lazy("The date of supervision must be today or in the past"),
        gettext_lazy("The date of supervision must be on or after the referral date, %(referral_date)s"),
    ),
    "discussed": (
        gettext_lazy("The date it was discussed with the family must be today or in the past"),
        gettext_lazy(
            "The date it was discussed with the family must be on or after the referral date, %(referral_date)s"
        ),
    ),
}


def _guard(*, case: Case, by: User, on: dt.date | None = None, what: str = "") -> None:
    """`what`: which date `on` is, a key of DATE_MESSAGES."""
    if not can(by, CaseAction.WORK, case):
        raise PracticeToolError(_("You do not work on this case, so you cannot add to its records"))
    if not case.is_open:
        raise PracticeToolError(
            _("This case was closed on %(closed_on)s: practice records can no longer be added to it")
            % {"closed_on": f"{case.closed_on:%-d %B %Y}"}
        )
    if on is not None:
        in_future, before_referral = DATE_MESSAGES[what]
        if on > timezone.localdate():
            raise PracticeToolError(str(in_future))
        if on < case.referral_date:
            raise PracticeToolError(before_referral % {"referral_date": f"{case.referral_date:%-d %B %Y}"})


@transaction.atomic
def stage_of_change_record(
    *, case: Case, by: User, person: Person, stage: str, assessed_on: dt.date, evidence: str
) -> StageOfChange:
    """Place one adult on the cycle of change; earlier assessments stay as their history."""
    _guard(case=case, by=by, on=assessed_on, what="assessment")
    if person.case_id != case.pk:
        raise PracticeToolError(
            _("%(person)s is not part of this family: choose an adult on the case") % {"person": person}
        )
    if person.kind != PersonKind.ADULT:
        raise PracticeToolError(_("The cycle of change is for parents and carers: choose an adult"))
    if stage not in ChangeStage.values:
        raise PracticeToolError(_("Select the stage of change"))
    if not evidence.strip():
        raise PracticeToolError(_("Describe what the parent said or did that shows this stage"))
    return create_with_history(
        StageOfChange,
        by=by,
        case=case,
        person=person,
        stage=stage,
        assessed_on=assessed_on,
        evidence=evidence.strip(),
        assessed_by=by,
        recorded_at=timezone.now(),
    )


def _check_ratings(ratings: list[RatingData]) -> None:
    seen = set()
    for row in ratings:
        name = row.name.strip()
        if not name:
            raise PracticeToolError(_("Enter the name of each person who gave a rating"))
        if name.casefold() in seen:
            raise PracticeToolError(
                _("%(name)s is rated twice: give each person one rating per meeting") % {"name": name}
            )
        seen.add(name.casefold())
        if row.kind not in RaterKind.values:
            raise PracticeToolError(
                _("Select whether %(name)s is a family member or a professional") % {"name": name}
            )
        if not 0 <= row.rating <= 10:
            raise PracticeToolError(
                _("%(name)s's rating must be a whole number from 0 to 10") % {"name": name}
            )


@transaction.atomic
def safety_mapping_record(
    *,
    case: Case,
    by: User,
    meeting_on: dt.date,
    meeting_name: str,
    ratings: list[RatingData],
    **columns: str,
) -> SafetyMapping:
    """Record one meeting's Signs of Safety map and where each person placed the safety scale."""
    unknown = set(columns) - set(MAPPING_TEXT_FIELDS)
    if unknown:
        raise TypeError(f"Not a mapping field: {', '.join(sorted(unknown))}")
    _guard(case=case, by=by, on=meeting_on, what="meeting")
    if not meeting_name.strip():
        raise PracticeToolError(_("Enter what the meeting was, for example 'Home visit with Grace'"))
    if not any(columns.get(name, "").strip() for name in MAPPING_TEXT_FIELDS if name != "attendees"):
        raise PracticeToolError(
            _(
                "Write at least one part of the map: what we are worried about, what is working well or what needs to happen"
            )
        )
    _check_ratings(ratings)
    mapping = create_with_history(
        SafetyMapping,
        by=by,
        case=case,
        meeting_on=meeting_on,
        meeting_name=meeting_name.strip(),
        recorded_by=by,
        recorded_at=timezone.now(),
        **{name: columns.get(name, "").strip() for name in MAPPING_TEXT_FIELDS},
    )
    for row in ratings:
        create_with_history(
            SafetyRating,
            by=by,
            mapping=mapping,
            rater_name=row.name.strip(),
            rater_kind=row.kind,
            rating=row.rating,
            reason=row.reason.strip(),
        )
    return mapping


@transaction.atomic
def scale_rating_record(
    *, case: Case, by: User, rater_name: str, rater_kind: str, rating: int, reason: str, rater_role: str = ""
) -> ScaleRating:
    """Record one person's place on the safety scale on its own, without a whole mapping: who
    rated (a family member or a professional, by name and role), the number and why."""
    _guard(case=case, by=by)
    name = rater_name.strip()
    if not name:
        raise PracticeToolError(_("Enter the name of the person who gave the rating"))
    if rater_kind not in RaterKind.values:
        raise PracticeToolError(
            _("Select whether %(name)s is a family member or a professional") % {"name": name}
        )
    if rating is None or not 0 <= rating <= 10:
        raise PracticeToolError(_("%(name)s's rating must be a whole number from 0 to 10") % {"name": name})
    if not reason.strip():
        raise PracticeToolError(_("Enter why %(name)s gave this number") % {"name": name})
    return create_with_history(
        ScaleRating,
        by=by,
        case=case,
        rated_on=timezone.localdate(),
        rater_name=name,
        rater_role=rater_role.strip(),
        rater_kind=rater_kind,
        rating=rating,
        reason=reason.strip(),
        recorded_by=by,
        recorded_at=timezone.now(),
    )


def _check_goal(*, case: Case, person: Person | None, goal: str) -> None:
    if person is not None and person.case_id != case.pk:
        raise PracticeToolError(
            _("%(person)s is not part of this family: choose someone on the case") % {"person": person}
        )
    if not goal.strip():
        raise PracticeToolError(_("Enter the goal, in the family's words if you can"))


GOAL_FIELDS = ("person", "agreed_on", "goal", "reality", "options", "will", "agreement_reference")


@transaction.atomic
def grow_goal_record(
    *,
    case: Case,
    by: User,
    agreed_on: dt.date,
    goal: str,
    person: Person | None = None,
    reality: str = "",
    options: str = "",
    will: str = "",
    agreement_reference: str = "",
) -> GrowGoal:
    """Record a goal set with the family using GROW."""
    _guard(case=case, by=by, on=agreed_on, what="goal")
    _check_goal(case=case, person=person, goal=goal)
    return create_with_history(
        GrowGoal,
        by=by,
        case=case,
        person=person,
        agreed_on=agreed_on,
        goal=goal.strip(),
        reality=reality.strip(),
        options=options.strip(),
        will=will.strip(),
        agreement_reference=agreement_reference.strip(),
        recorded_by=by,
        recorded_at=timezone.now(),
    )


@transaction.atomic
def grow_goal_update(*, grow_goal: GrowGoal, by: User, **changes) -> GrowGoal:
    """Revise a goal as the work goes on; every earlier version stays in its history."""
    unknown = set(changes) - set(GOAL_FIELDS)
    if unknown:
        raise TypeError(f"Not a goal field: {', '.join(sorted(unknown))}")
    goal = GrowGoal.objects.select_for_update().select_related("case").get(pk=grow_goal.pk)
    for name, value in changes.items():
        setattr(goal, name, value.strip() if isinstance(value, str) else value)
    _guard(case=goal.case, by=by, on=goal.agreed_on, what="goal")
    _check_goal(case=goal.case, person=goal.person, goal=goal.goal)
    goal.updated_by = by
    goal.updated_at = timezone.now()
    return save_with_history(goal, by=by)


@transaction.atomic
def supervision_record(
    *,
    case: Case,
    by: User,
    supervised_on: dt.date,
    supervisor: User,
    practitioner: User,
    concerns: str,
    actions: list[ActionData],
) -> SupervisionRecord:
    """Record the engagement concerns discussed in supervision and the action plan agreed."""
    _guard(case=case, by=by, on=supervised_on, what="supervision")
    if not concerns.strip():
        raise PracticeToolError(_("Describe the engagement concerns discussed in supervision"))
    if not actions:
        raise PracticeToolError(_("Add at least one action to the plan: what, who and by when"))
    for row in actions:
        if not row.what.strip() or not row.who.strip():
            raise PracticeToolError(_("Give each action what will be done and who will do it"))
        if row.by_when < supervised_on:
            raise PracticeToolError(_("Each action's date must be on or after the date of supervision"))
    if supervisor.pk == practitioner.pk:
        raise PracticeToolError(_("The supervisor and the practitioner must be different people"))
    on_case = people_who_can_make_attempts(case)
    if not on_case.filter(pk=supervisor.pk).exists():
        raise PracticeToolError(
            _("%(supervisor)s does not supervise work on this case: choose the supervisor again")
            % {"supervisor": supervisor}
        )
    if not on_case.filter(pk=practitioner.pk).exists():
        raise PracticeToolError(
            _("%(practitioner)s does not work on this case: choose the practitioner again")
            % {"practitioner": practitioner}
        )
    record = create_with_history(
        SupervisionRecord,
        by=by,
        case=case,
        supervised_on=supervised_on,
        supervisor=supervisor,
        practitioner=practitioner,
        concerns=concerns.strip(),
        recorded_by=by,
        recorded_at=timezone.now(),
    )
    for position, row in enumerate(actions, start=1):
        create_with_history(
            SupervisionAction,
            by=by,
            record=record,
            position=position,
            what=row.what.strip(),
            who=row.who.strip(),
            by_when=row.by_when,
        )
    return record


@transaction.atomic
def supervision_family_discussion_record(
    *, record: SupervisionRecord, by: User, discussed_on: dt.date, notes: str = ""
) -> SupervisionRecord:
    """Record that the supervision action plan was discussed with the family, and when."""
    record = SupervisionRecord.objects.select_for_update().select_related("case").get(pk=record.pk)
    _guard(case=record.case, by=by, on=discussed_on, what="discussed")
    if record.discussed_with_family_on is not None:
        raise PracticeToolError(
            _("This plan was already recorded as discussed with the family on %(discussed_on)s")
            % {"discussed_on": f"{record.discussed_with_family_on:%-d %B %Y}"}
        )
    if discussed_on < record.supervised_on:
        raise PracticeToolError(
            _("The date must be on or after the supervision, %(supervised_on)s")
            % {"supervised_on": f"{record.supervised_on:%-d %B %Y}"}
        )
    record.discussed_with_family_on = discussed_on
    record.family_discussion_notes = notes.strip()
    record.family_discussion_recorded_by = by
    return save_with_history(record, by=by)
