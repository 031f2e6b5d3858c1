"""Every read of assessments, scoped to the user asking, with constant query counts."""

import dataclasses
import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from cases.access import assessments_shared_with, cases_sat_on, decision_shares_with
from cases.calendar import Calendar, calendar_in_force
from cases.chase import ChaseWindow, chase_window
from cases.compiled import compiled_objects
from cases.models import OPEN_STATUSES, Case, User

from .models import (
    Action,
    ActionKind,
    Assessment,
    AssessmentStatus,
    Basis,
    Comment,
    Factor,
    FactorCategory,
    FactorSide,
    Share,
    SharingSettings,
    Timeframe,
)
from .recorded_oversight import RecordedOversight, assessment_oversight


def sharing_settings() -> SharingSettings:
    """The admin's sharing deadline and escalation settings (created with the defaults if missing)."""
    settings, _created = SharingSettings.objects.get_or_create(pk=1)
    return settings


def share_calendar() -> Calendar:
    """The calendar that counts the working days to share an assessment.

    The nation and its holidays come from the flow chart's settings; the days are always working
    days, whatever the flow chart counts, because the guidance says so for sharing.
    """
    return dataclasses.replace(calendar_in_force(), working_days=True)


def share_chase_window(today: dt.date | None = None) -> tuple[SharingSettings, ChaseWindow]:
    """The admin's sharing settings and the days a chase of late shares looks at, in working days:
    one reading for the assessment's shares and a decision's alike."""
    rules = sharing_settings()
    window = chase_window(
        today=today or timezone.localdate(),
        calendar=share_calendar(),
        reminder_days_before=rules.reminder_days_before,
        escalate_after_days=rules.escalate_after_days,
    )
    return rules, window


def assessment_milestones(case_ids: list[int]) -> dict[int, list[tuple[str, dt.date]]]:
    """Per case, ("submitted", date) and ("signed", date) for every version, oldest first. One query."""
    rows = (
        Assessment.objects.filter(case_id__in=case_ids)
        .filter(Q(submitted_at__isnull=False) | Q(signed_at__isnull=False))
        .order_by("case_id", "version")
        .values_list("case_id", "submitted_at", "signed_at")
    )
    milestones: dict[int, list[tuple[str, dt.date]]] = defaultdict(list)
    for case_id, submitted_at, signed_at in rows:
        if submitted_at:
            milestones[case_id].append(("submitted", timezone.localdate(submitted_at)))
        if signed_at:
            milestones[case_id].append(("signed", timezone.localdate(signed_at)))
    return {case_id: sorted(items, key=lambda item: item[1]) for case_id, items in milestones.items()}


def elevated_risk_by_case(case_ids: list[int]) -> dict[int, Assessment]:
    """Cases whose latest assessment records an elevated risk of significant harm. One query.

    Those cases follow child protection procedures (escalate to the MASH now), not the
    line-manager route.
    """
    latest: dict[int, Assessment] = {}
    for assessment in Assessment.objects.filter(case_id__in=case_ids).order_by("case_id", "version"):
        latest[assessment.case_id] = assessment
    return {case_id: a for case_id, a in latest.items() if a.elevated_risk}


def case_child_protection_escalation(case: Case) -> Assessment | None:
    """The assessment that calls for the child protection route on this case, if any."""
    return elevated_risk_by_case([case.pk]).get(case.pk)


def case_page_context(case: Case) -> dict[str, Assessment | None]:
    """What the kernel's case page shows of the assessment: its call for child protection, if any.

    The same rule as `case_child_protection_escalation` (the latest version records an elevated
    risk), reading only the latest version and only what the page shows of it: reading every
    version whole was half this contribution's time on a case with a few versions."""
    [latest] = _latest_version(case=case.pk) or [None]
    return {"child_protection_escalation": latest if latest is not None and latest.elevated_risk else None}


@compiled_objects
def _latest_version(*, case: int):
    # Compiled once a process (`cases.compiled`): building this read was most of its cost.
    return (
        Assessment.objects.filter(case_id=case)
        .order_by("-version")
        .only("pk", "case_id", "version", "elevated_risk")[:1]
    )


def case_has_elevated_risk(case: Case) -> bool:
    return case_child_protection_escalation(case) is not None


def assessment_outcome(case: Case) -> str:
    """The outcome of the case's latest assessment that is not a draft, in words a practitioner
    can check and pass on ("Inform your manager" starts from it); empty if none is submitted."""
    assessment = (
        Assessment.objects.filter(case=case)
        .exclude(status=AssessmentStatus.DRAFT)
        .order_by("-version")
        .first()
    )
    if assessment is None:
        return ""
    factors = Counter(live_factors(assessment).values_list("side", flat=True))
    values = {
        "version": assessment.version,
        "status": assessment.get_status_display().lower(),
        "date": f"{assessment.assessment_date:%-d %B %Y}",
        "risk": factors[FactorSide.RISK],
        "protective": factors[FactorSide.PROTECTIVE],
    }
    if assessment.elevated_risk:
        # Translators: %(status)s is the assessment's status in lower case, for example "signed".
        outcome = gettext(
            "Family Engagement Risk Assessment version %(version)s (%(status)s), dated %(date)s: an elevated "
            "risk of significant harm; %(risk)s risk factor(s), %(protective)s protective factor(s)."
        )
    else:
        # Translators: %(status)s is the assessment's status in lower case, for example "signed".
        outcome = gettext(
            "Family Engagement Risk Assessment version %(version)s (%(status)s), dated %(date)s: no elevated "
            "risk of significant harm; %(risk)s risk factor(s), %(protective)s protective factor(s)."
        )
    lines = [outcome % values]
    if assessment.analysis.strip():
        lines.append(
            gettext("Analysis and conclusion: %(analysis)s") % {"analysis": assessment.analysis.strip()}
        )
    return "\n".join(lines)


def assessments_for_case(case: Case) -> QuerySet[Assessment]:
    """Every version of a case's assessment, newest first, with what the list shows."""
    return (
        Assessment.objects.filter(case=case)
        .select_related("signed_by", "lead_practitioner")
        .annotate(
            share_count=Count("shares", distinct=True),
            acknowledged_count=Count(
                "shares", filter=Q(shares__acknowledged_at__isnull=False), distinct=True
            ),
        )
        .order_by("-version")
    )


def assessment_for(user: User, *, case: Case, pk) -> Assessment:
    """One version of a case's assessment (the case already checked for this user)."""
    try:
        return (
            Assessment.objects.select_related(
                "case__team__manager", "lead_practitioner", "manager", "signed_by", "submitted_by", "previous"
            )
            .annotate(has_next_version=Exists(Assessment.objects.filter(previous=OuterRef("pk"))))
            .get(case=case, pk=pk)
        )
    except (Assessment.DoesNotExist, ValueError, TypeError):
        raise Http404("No such assessment") from None


@dataclass(frozen=True)
class ActionTable:
    """One of Appendix 2's two action tables, named the same wherever its rows go: the edit page's
    rows, the service's messages and the signed PDF."""

    kind: str
    heading: str  # the table's heading on the PDF
    row_name: str  # one row, as its heading and messages name it when it has no number
    numbered_row_name: str  # one row with its number ("action 2"): `%(number)s`
    prefix: str  # the rows' prefix on the page's form

    def row(self, number: int | None = None) -> str:
        """One row as its heading and messages name it: "action 2", or "action" with no number."""
        return self.numbered_row_name % {"number": number} if number else str(self.row_name)


ACTION_TABLES = {
    ActionKind.PLAN: ActionTable(
        ActionKind.PLAN, _("What needs to happen"), _("action"), _("action %(number)s"), "plan"
    ),
    ActionKind.OVERSIGHT: ActionTable(
        ActionKind.OVERSIGHT,
        _("Management oversight"),
        _("oversight action"),
        _("oversight action %(number)s"),
        "oversight",
    ),
}


@dataclass
class AssessmentView:
    """An assessment with everything its page shows, read in a fixed number of queries."""

    assessment: Assessment
    children: list
    risk_factors: list[Factor]
    protective_factors: list[Factor]
    actions: dict[str, list[Action]]
    shares: list[Share] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    # Oversight the manager recorded on the flow chart for this version: recorded once, it is
    # the assessment's management oversight too (riskassessment/recorded_oversight.py).
    recorded_oversight: list[RecordedOversight] = field(default_factory=list)

    @property
    def plan_actions(self) -> list[Action]:
        return self.actions[ActionKind.PLAN]

    @property
    def oversight_actions(self) -> list[Action]:
        return self.actions[ActionKind.OVERSIGHT]

    @property
    def recorded_oversight_actions(self) -> list:
        """The actions agreed in the oversight recorded on the flow chart, in the order recorded."""
        return [action for record in self.recorded_oversight for action in record.actions]

    @property
    def all_oversight_actions(self) -> list:
        """Every management oversight action of this version: the flow chart's, then the assessment's."""
        return self.recorded_oversight_actions + self.oversight_actions

    @property
    def has_oversight(self) -> bool:
        return bool(self.all_oversight_actions)

    @property
    def action_tables(self) -> list[tuple[ActionTable, list]]:
        """Both action tables in the paper form's order, each with its live rows; the oversight
        table holds the flow chart's oversight actions too, so the signed PDF records them."""
        return [
            (table, self.all_oversight_actions if kind == ActionKind.OVERSIGHT else self.actions[kind])
            for kind, table in ACTION_TABLES.items()
        ]

    @property
    def no_protective_factors(self) -> bool:
        return not self.protective_factors

    def factors_in(self, side: str, timeframe: str, basis: str) -> list[Factor]:
        factors = self.risk_factors if side == FactorSide.RISK else self.protective_factors
        return [f for f in factors if f.timeframe == timeframe and f.basis == basis]

    @property
    def sides(self) -> list[tuple[str, str, list[tuple[str, list[Factor]]]]]:
        """Both sides of the paper form, each in its four boxes (evidenced and grey, then time)."""
        return [
            (
                side.value,
                SIDE_HEADINGS[side],
                [
                    (label, self.factors_in(side, timeframe, basis))
                    for basis, timeframe, label in FACTOR_BOXES
                ],
            )
            for side in FactorSide
        ]


# Each side of the paper form as its heading names it, and its four boxes in order.
SIDE_HEADINGS = {
    FactorSide.RISK: _("Risk and vulnerability factors"),
    FactorSide.PROTECTIVE: _("Protective and resilient factors"),
}
FACTOR_BOXES = (
    (Basis.EVIDENCED, Timeframe.HISTORICAL, _("Evidenced: historical")),
    (Basis.EVIDENCED, Timeframe.CURRENT, _("Evidenced: current")),
    (Basis.GREY_AREA, Timeframe.HISTORICAL, _("Grey areas: historical")),
    (Basis.GREY_AREA, Timeframe.CURRENT, _("Grey areas: current")),
)


class TaskStatus:
    """The GOV.UK task list's statuses."""

    COMPLETED = _("Completed")
    IN_PROGRESS = _("In progress")
    NOT_STARTED = _("Not yet started")
    CANNOT_START = _("Cannot start yet")


@dataclass(frozen=True)
class Task:
    """One section of the draft on its task list."""

    key: str  # the section's URL name, without the app's prefix
    name: str
    status: str
    hint: str = ""
    side: str = ""  # for a side's factors

    @property
    def is_completed(self) -> bool:
        return self.status == TaskStatus.COMPLETED

    @property
    def can_start(self) -> bool:
        return self.status != TaskStatus.CANNOT_START

    # The template colours the tag by these, not by the status's words, which are translated.
    @property
    def is_not_started(self) -> bool:
        return self.status == TaskStatus.NOT_STARTED

    @property
    def is_in_progress(self) -> bool:
        return self.status == TaskStatus.IN_PROGRESS


def _status(done: int, of: int) -> str:
    if done == 0:
        return TaskStatus.NOT_STARTED
    return TaskStatus.COMPLETED if done == of else TaskStatus.IN_PROGRESS


def _actions_ready(actions: list[Action]) -> bool:
    # The same test as submitting: every action has a review date on or after its due date.
    return all(a.review_on is not None and a.review_on >= a.by_when for a in actions)


def assessment_tasks(view: AssessmentView) -> list[Task]:
    """The draft's sections in the paper form's order, each with what it still needs.

    Read from the view alone: no query of its own. A section is "Completed" when it holds what
    submitting asks of it; protective factors are complete with one or more, though submitting
    with none is allowed (and recorded).
    """
    a = view.assessment
    about = _status(bool(view.children) + bool(a.participants.strip()), 2)
    analysis = _status(bool(a.analysis.strip()) + (a.elevated_risk is not None), 2)
    plan = view.plan_actions
    if not plan:
        actions = TaskStatus.NOT_STARTED
    else:
        actions = TaskStatus.COMPLETED if _actions_ready(plan) else TaskStatus.IN_PROGRESS
    tasks = [
        Task("assessment_about", gettext("About the family and who took part"), about),
        Task(
            "assessment_factors",
            gettext("Risk and vulnerability factors"),
            TaskStatus.COMPLETED if view.risk_factors else TaskStatus.NOT_STARTED,
            _factors_count(len(view.risk_factors)),
            FactorSide.RISK.value,
        ),
        Task(
            "assessment_factors",
            gettext("Protective and resilient factors"),
            TaskStatus.COMPLETED if view.protective_factors else TaskStatus.NOT_STARTED,
            _factors_count(len(view.protective_factors)),
            FactorSide.PROTECTIVE.value,
        ),
        Task("assessment_analysis", gettext("Analysis and conclusion"), analysis),
        Task("assessment_actions", gettext("What needs to happen"), actions, _actions_count(len(plan))),
    ]
    ready = all(task.is_completed for task in tasks if task.side != FactorSide.PROTECTIVE)
    tasks.append(
        Task(
            "assessment_submit",
            gettext("Check your answers and submit"),
            TaskStatus.NOT_STARTED if ready else TaskStatus.CANNOT_START,
        )
    )
    return tasks


def _factors_count(number: int) -> str:
    if not number:
        return ""
    return ngettext("%(count)s factor", "%(count)s factors", number) % {"count": number}


def _actions_count(number: int) -> str:
    if not number:
        return ""
    return ngettext("%(count)s action", "%(count)s actions", number) % {"count": number}


def live_factors(assessment: Assessment) -> QuerySet[Factor]:
    return assessment.factors.filter(removed_at__isnull=True).select_related("category")


def live_actions(assessment: Assessment, kind: str | None = None) -> QuerySet[Action]:
    actions = assessment.actions.filter(removed_at__isnull=True)
    return actions.filter(kind=kind) if kind else actions


def assessment_view(assessment: Assessment, *, with_sharing: bool = True) -> AssessmentView:
    """Everything the assessment page shows, in a constant number of queries."""
    factors = list(live_factors(assessment).order_by("side", "position", "id"))
    actions = list(live_actions(assessment).order_by("kind", "position", "id"))
    shares, comments = [], []
    if with_sharing:
        shares = list(assessment.shares.select_related("member__agency").order_by("member__full_name"))
        comments = list(assessment.comments.select_related("author__agency"))
    return AssessmentView(
        assessment=assessment,
        children=list(assessment.children.order_by("full_name")),
        risk_factors=[f for f in factors if f.side == FactorSide.RISK],
        protective_factors=[f for f in factors if f.side == FactorSide.PROTECTIVE],
        actions={kind: [a for a in actions if a.kind == kind] for kind in ACTION_TABLES},
        shares=shares,
        comments=comments,
        recorded_oversight=assessment_oversight(assessment),
    )


def oversight_recorded(assessment: Assessment) -> bool:
    """Has the manager recorded an oversight action for this version, here or on the flow chart?"""
    if live_actions(assessment, ActionKind.OVERSIGHT).exists():
        return True
    return any(record.actions for record in assessment_oversight(assessment))


def catalogue_choices(
    side: str, categories: list[FactorCategory], *, keep: set[int] = frozenset()
) -> list[tuple[str, list[tuple[int, str]]]]:
    """Example factors for one side, grouped by type: the active ones, plus retired ones in `keep`.

    A retired example stays selectable where a factor already uses it, so saving the form
    never silently drops it.
    """
    from .models import SIDE_OF_KIND, CatalogueKind

    groups = []
    for kind in CatalogueKind:
        if SIDE_OF_KIND[kind] != side:
            continue
        items = [(c.pk, c.name) for c in categories if c.kind == kind and (c.is_active or c.pk in keep)]
        if items:
            groups.append((kind.label, items))
    return groups


# Multi-agency members: only what was shared with them.


def shared_list(user: User) -> QuerySet[Share]:
    """The shares of assessments with this member, newest first, in one query.

    Only the columns the list shows: an assessment and a case are wide rows, and a member may
    have dozens of shares.
    """
    return (
        Share.objects.filter(member=user, assessment__in=assessments_shared_with(user))
        .select_related("assessment__case")
        .only(
            "assessment",
            "shared_at",
            "acknowledged_at",
            "due_on",
            "assessment__version",
            "assessment__case",
            "assessment__case__family_name",
            "assessment__case__reference",
        )
        .order_by("-shared_at", "-id")
    )


@dataclass(frozen=True)
class SharedDecision:
    """A decision as a multi-agency member sees it: outcome, date, what happens next. No reasons."""

    case_id: int
    reference: str
    family_name: str
    outcome: str
    decided_at: dt.datetime
    next_steps: str
    shared_at: dt.datetime


def shared_decisions(user: User, *, case_id: int | None = None) -> list[SharedDecision]:
    """The decisions told to this member (on one case if given), newest first. One query."""
    shares = decision_shares_with(user).select_related("decision__episode__case")
    if case_id is not None:
        shares = shares.filter(decision__episode__case_id=case_id)
    return [
        SharedDecision(
            case_id=share.decision.episode.case_id,
            reference=share.decision.episode.case.reference,
            family_name=share.decision.episode.case.family_name,
            outcome=share.decision.get_outcome_display(),
            decided_at=share.decision.decided_at,
            next_steps=share.decision.next_steps_shared,
            shared_at=share.shared_at,
        )
        for share in shares.order_by("-decision__decided_at", "-id")
    ]


def superseding_decision(assessment: Assessment, decisions: list[SharedDecision]) -> SharedDecision | None:
    """The latest decision shown to the member that came after the assessment was signed: its plan
    was replaced by that decision."""
    signed_at = assessment.signed_at
    later = [d for d in decisions if signed_at is not None and d.decided_at > signed_at]
    return max(later, key=lambda d: d.decided_at) if later else None


def cases_to_report_on(user: User) -> QuerySet[Case]:
    """The open cases this member sits on, where they may report non-engagement: reference and
    family name only, which their place on the case already tells them. One query."""
    return (
        cases_sat_on(user)
        .filter(status__in=OPEN_STATUSES)
        .only("pk", "reference", "family_name")
        .order_by("reference", "pk")
    )


def shared_assessment_for(user: User, pk) -> tuple[Assessment, Share]:
    """An assessment shared with this member, with their share; 404 for anything else."""
    try:
        assessment = assessments_shared_with(user).select_related("case", "signed_by", "manager").get(pk=pk)
    except (Assessment.DoesNotExist, ValueError, TypeError):
        raise Http404("No such assessment") from None
    return assessment, Share.objects.get(assessment=assessment, member=user)


def shares_to_chase(*, today: dt.date, horizon: dt.date, late_by: dt.date | None = None) -> QuerySet[Share]:
    """Unacknowledged shares due by `horizon` and not yet reminded, or due on or before `late_by`
    (by default, any day before today) and not escalated."""
    late = Q(due_on__lte=late_by) if late_by is not None else Q(due_on__lt=today)
    return (
        Share.objects.filter(acknowledged_at__isnull=True)
        .filter(
            late & Q(escalated_at__isnull=True)
            | Q(due_on__gte=today, due_on__lte=horizon, reminded_at__isnull=True)
        )
        .select_related("member", "assessment__case__team__manager", "assessment__lead_practitioner")
        .order_by("due_on", "id")
    )


# What changed between two versions.


@dataclass
class RowChange:
    old: object
    new: object
    fields: list[tuple[str, str, str]]


@dataclass
class Changes:
    """What changed from one version to the next: header fields, factors and actions."""

    old: Assessment
    new: Assessment
    header: list[tuple[str, str, str]]
    factors_added: list[Factor]
    factors_removed: list[Factor]
    factors_changed: list[RowChange]
    actions_added: list[Action]
    actions_removed: list[Action]
    actions_changed: list[RowChange]

    @property
    def is_empty(self) -> bool:
        return not any(
            [
                self.header,
                self.factors_added,
                self.factors_removed,
                self.factors_changed,
                self.actions_added,
                self.actions_removed,
                self.actions_changed,
            ]
        )


def _yes_no_text(value) -> str:
    return {True: gettext("Yes"), False: gettext("No"), None: gettext("Not answered")}[value]


def _header_values(view: AssessmentView) -> dict[str, str]:
    a = view.assessment
    return {
        gettext("Children"): ", ".join(child.full_name for child in view.children),
        gettext("Date of assessment"): f"{a.assessment_date:%-d %B %Y}",
        gettext("Who took part"): a.participants,
        gettext("Completed with the multi-agency meeting"): _yes_no_text(a.with_multi_agency_meeting),
        gettext("Lead practitioner"): str(a.lead_practitioner),
        gettext("Manager"): str(a.manager or ""),
        gettext("Service"): a.service,
        gettext("Analysis and conclusion"): a.analysis,
        gettext("Elevated risk of significant harm"): _yes_no_text(a.elevated_risk),
    }


def _factor_values(factor: Factor) -> dict[str, str]:
    return {
        gettext("Side"): factor.get_side_display(),
        gettext("Historical or current"): factor.get_timeframe_display(),
        gettext("Evidenced or grey area"): factor.get_basis_display(),
        gettext("Example factor"): factor.category.name if factor.category else gettext("None"),
        gettext("Factor"): factor.description,
        gettext("Evidence"): factor.evidence,
    }


def _action_values(action: Action) -> dict[str, str]:
    return {
        gettext("Table"): action.get_kind_display(),
        gettext("What"): action.what,
        gettext("Who"): action.who,
        gettext("By when"): f"{action.by_when:%-d %B %Y}",
        gettext("Review date"): f"{action.review_on:%-d %B %Y}" if action.review_on else "",
    }


def _compare(old: dict, new: dict) -> list[tuple[str, str, str]]:
    return [(label, old[label], new[label]) for label in new if old[label] != new[label]]


def _row_changes(old_rows, new_rows, values):
    """Match rows through `copied_from`: a new version's rows are copies of the previous one's."""
    old_by_id = {row.pk: row for row in old_rows}
    added, changed, matched = [], [], set()
    for row in new_rows:
        source = old_by_id.get(row.copied_from_id)
        if source is None:
            added.append(row)
            continue
        matched.add(source.pk)
        if fields := _compare(values(source), values(row)):
            changed.append(RowChange(old=source, new=row, fields=fields))
    removed = [row for row in old_rows if row.pk not in matched]
    return added, removed, changed


def assessment_changes(assessment: Assessment) -> Changes | None:
    """What changed in this version since the one it amends; None for a first version."""
    if assessment.previous_id is None:
        return None
    previous = Assessment.objects.select_related("lead_practitioner", "manager").get(
        pk=assessment.previous_id
    )
    old, new = assessment_view(previous, with_sharing=False), assessment_view(assessment, with_sharing=False)
    factors = _row_changes(
        old.risk_factors + old.protective_factors, new.risk_factors + new.protective_factors, _factor_values
    )
    actions = _row_changes(
        old.plan_actions + old.oversight_actions, new.plan_actions + new.oversight_actions, _action_values
    )
    return Changes(
        old=previous,
        new=assessment,
        header=_compare(_header_values(old), _header_values(new)),
        factors_added=factors[0],
        factors_removed=factors[1],
        factors_changed=factors[2],
        actions_added=actions[0],
        actions_removed=actions[1],
        actions_changed=actions[2],
    )
