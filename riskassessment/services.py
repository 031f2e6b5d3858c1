"""Every write and transition of the assessment: draft → submitted → signed → shared.

Each transition starts with a guard that raises AssessmentError with a message the person can act
on. Nothing is deleted: a removed factor or action keeps its row with `removed_at`, and amending
a signed assessment makes a new version.
"""

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import events
from cases.access import CaseAction, can
from cases.chase import ChaseMessage, chase_one
from cases.documents import document_render, document_sign_and_link
from cases.history import create_with_history, save_with_history
from cases.models import Case, CaseMembership, DocumentKind, MembershipRole, Person, PersonKind, User
from cases.notifications import (
    NotificationKind,
    NotificationTask,
    Task,
    notification_send,
    notifications_task_done,
)

from . import notify
from .models import (
    SIGNED_STATUSES,
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
)
from .selectors import (
    ACTION_TABLES,
    assessment_view,
    live_actions,
    live_factors,
    oversight_recorded,
    share_calendar,
    share_chase_window,
    shares_to_chase,
    sharing_settings,
)


class AssessmentError(Exception):
    """A transition that cannot happen now, with what to do about it.

    `field` names the form field the person must change, when one is to blame (the typed name
    that does not match); empty when the problem lies elsewhere (no oversight yet, a review date).
    """

    def __init__(self, message: str, *, field: str = ""):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class FactorData:
    side: str
    timeframe: str
    basis: str
    description: str
    evidence: str = ""
    category: FactorCategory | None = None
    id: int | None = None


@dataclass(frozen=True)
class ActionData:
    what: str
    who: str
    by_when: dt.date
    review_on: dt.date | None = None
    id: int | None = None


def _guard_can(by: User, action: CaseAction, case: Case, message: str) -> None:
    if not can(by, action, case):
        raise AssessmentError(message)


def _require_open(case: Case, refusal: str) -> None:
    """A closed case takes no workflow actions; its assessments stay readable.

    A signed assessment may still be shared (the meeting must have it by its deadline, however the
    case ended), and members may still acknowledge and comment on what was shared with them.
    `refusal`: the whole sentence, with `%(status)s` (how the case ended, in lower case: "closed",
    "stepped up to children's social care") and `%(date)s` (a case that is not open always has
    one: the constraint case_closed_on_matches_status).
    """
    if not case.is_open:
        raise AssessmentError(
            refusal % {"status": case.get_status_display().lower(), "date": f"{case.closed_on:%-d %B %Y}"}
        )


def _url(assessment: Assessment) -> str:
    return reverse(
        "riskassessment:assessment_detail", kwargs={"case_pk": assessment.case_id, "pk": assessment.pk}
    )


def assessment_start(*, case: Case, by: User) -> Assessment:
    """Open a first draft for a case, its header filled in from the case."""
    _guard_can(by, CaseAction.WORK, case, _("Only someone working on this case can start its assessment"))
    if not case.is_open:
        raise AssessmentError(_("This case is closed: reopen it before starting an assessment"))
    if case.assessments.exists():
        raise AssessmentError(
            _("This case already has an assessment: open it, or amend the signed version to make a new one")
        )
    try:
        with transaction.atomic():
            assessment = create_with_history(
                Assessment,
                by=by,
                case=case,
                version=1,
                assessment_date=timezone.localdate(),
                lead_practitioner=case.lead_practitioner,
                manager=case.team.manager,
                service=case.team.name,
                created_by=by,
            )
            assessment.children.set(case.people.filter(kind=PersonKind.CHILD))
    except IntegrityError:
        # Two starts at once both passed the check above; the database kept the first. Both
        # people get that draft to work on.
        return case.assessments.get(version=1)
    return assessment


def _sync_rows(*, model, existing, rows, fields, extra_create, now, by):
    """Update rows by id, create new ones, mark the rest removed. Returns nothing; history keeps all."""
    by_id = {row.pk: row for row in existing}
    kept = set()
    for position, data in enumerate(rows, start=1):
        values = {name: getattr(data, name) for name in fields}
        if data.id is not None:
            row = by_id.get(data.id)
            if row is None:
                raise AssessmentError(
                    _("A row on the form no longer belongs to this assessment: reload the page")
                )
            kept.add(row.pk)
            changed = [name for name, value in values.items() if getattr(row, name) != value]
            if row.position != position:
                changed.append("position")
            if changed:
                for name, value in values.items():
                    setattr(row, name, value)
                row.position = position
                save_with_history(row, by=by)
        else:
            create_with_history(model, by=by, position=position, **values, **extra_create)
    for row in existing:
        if row.pk not in kept:
            row.removed_at = now
            save_with_history(row, by=by)


FACTOR_FIELDS = ("side", "timeframe", "basis", "description", "evidence", "category")
ACTION_FIELDS = ("what", "who", "by_when", "review_on")


def _check_factors(factors: list[FactorData]) -> None:
    for data in factors:
        if data.basis == Basis.EVIDENCED and not data.evidence.strip():
            raise AssessmentError(
                _("Give the evidence for '%(factor)s', or mark it a grey area")
                % {"factor": data.description[:60]}
            )
        if data.category is not None and data.category.side != data.side:
            values = {"example": data.category.name}
            if data.side == FactorSide.PROTECTIVE:
                raise AssessmentError(_("'%(example)s' is not a protective and resilient factor") % values)
            raise AssessmentError(_("'%(example)s' is not a risk and vulnerability factor") % values)


def _review_date_problem(assessment: Assessment, kind: str, *, missing: str, too_early: str) -> str | None:
    """What is wrong with the review dates of a table, numbered as the rows are on the page.

    Appendix 2 gives every row of both tables a review date. Rows saved before that was asked
    for stay as they are (earlier signed versions are evidence), but no version goes to the
    manager or is signed with a row that has none. `missing` and `too_early` are the whole
    messages for a row with no review date and for one before the row's date, with `%(row)s`
    (the row as its heading names it: "action 2").
    """
    table = ACTION_TABLES[kind]
    rows = live_actions(assessment, kind).order_by("position", "id")
    for number, row in enumerate(rows, start=1):
        if row.review_on is None:
            return missing % {"row": table.row(number)}
        if row.review_on < row.by_when:
            return too_early % {"row": table.row(number)}
    return None


def assessment_update(
    *,
    assessment: Assessment,
    by: User,
    children: list[Person],
    assessment_date: dt.date,
    participants: str,
    with_multi_agency_meeting: bool,
    service: str,
    analysis: str,
    elevated_risk: bool | None,
    factors: list[FactorData],
    plan_actions: list[ActionData],
) -> Assessment:
    """Save the draft: header, factors and what needs to happen. Alerts the manager to an elevated risk."""
    _guard_can(
        by, CaseAction.WORK, assessment.case, _("Only someone working on this case can edit its assessment")
    )
    _require_open(
        assessment.case,
        # Translators: %(status)s is how the case ended, in lower case, for example "closed".
        _("This case was %(status)s on %(date)s: you cannot change an assessment on a closed case"),
    )
    if assessment.status != AssessmentStatus.DRAFT:
        raise AssessmentError(
            _("This assessment is no longer a draft: it cannot be changed. Amend it to make a new version")
            if assessment.is_signed
            else _("This assessment is with the manager: ask them to return it before changing it")
        )
    if any(child.case_id != assessment.case_id or child.kind != PersonKind.CHILD for child in children):
        raise AssessmentError(_("Select only children of this family"))
    _check_factors(factors)
    now = timezone.now()
    with transaction.atomic():
        if _locked_status(assessment) != AssessmentStatus.DRAFT:
            raise AssessmentError(_("This assessment was submitted meanwhile: it can no longer be changed"))
        assessment.assessment_date = assessment_date
        assessment.participants = participants
        assessment.with_multi_agency_meeting = with_multi_agency_meeting
        assessment.service = service
        assessment.analysis = analysis
        assessment.elevated_risk = elevated_risk
        assessment.updated_at = now
        save_with_history(assessment, by=by)
        if set(assessment.children.values_list("pk", flat=True)) != {c.pk for c in children}:
            assessment.children.set(children)
        _sync_rows(
            model=Factor,
            existing=list(live_factors(assessment)),
            rows=factors,
            fields=FACTOR_FIELDS,
            extra_create={"assessment": assessment},
            now=now,
            by=by,
        )
        _sync_rows(
            model=Action,
            existing=list(live_actions(assessment, ActionKind.PLAN)),
            rows=plan_actions,
            fields=ACTION_FIELDS,
            extra_create={"assessment": assessment, "kind": ActionKind.PLAN, "added_by": by},
            now=now,
            by=by,
        )
        if elevated_risk:
            _alert_elevated_risk(assessment=assessment, by=by, now=now)
    return assessment


def _locked_status(assessment: Assessment) -> str:
    """The status as stored, with the row locked until the transaction ends (two tabs, one submit)."""
    return Assessment.objects.select_for_update().values_list("status", flat=True).get(pk=assessment.pk)


def _alert_elevated_risk(*, assessment: Assessment, by: User, now: dt.datetime) -> None:
    """Tell the manager at once: child protection procedures replace the line-manager route."""
    case = assessment.case
    manager = case.team.manager
    if manager is None or assessment.elevated_risk_alerted_at is not None:
        return
    message = notify.elevated_risk_recorded(assessment, by=by)
    sent = notification_send(
        recipient=manager,
        key=f"fera:{assessment.pk}:elevated-risk",
        subject=message.subject,
        body=message.body,
        kind=NotificationKind.FERA_ELEVATED_RISK,
        case=case,
        url=_url(assessment),
        is_escalation=True,
    )
    if sent is not None:
        assessment.elevated_risk_alerted_at = now
        save_with_history(assessment, by=by, update_fields=["elevated_risk_alerted_at"])


def assessment_submit(*, assessment: Assessment, by: User) -> Assessment:
    """Send the draft to the manager. Having no protective factor is allowed but recorded."""
    case = assessment.case
    _guard_can(by, CaseAction.WORK, case, _("Only someone working on this case can submit its assessment"))
    _require_open(
        assessment.case,
        # Translators: %(status)s is how the case ended, in lower case, for example "closed".
        _("This case was %(status)s on %(date)s: you cannot submit an assessment on a closed case"),
    )
    if assessment.status != AssessmentStatus.DRAFT:
        raise AssessmentError(_("Only a draft can be submitted: this assessment has been submitted already"))
    if not assessment.children.exists():
        raise AssessmentError(_("Select the children this assessment is about before submitting it"))
    if not live_factors(assessment).filter(side=FactorSide.RISK).exists():
        raise AssessmentError(_("Record at least one risk or vulnerability factor before submitting"))
    if not assessment.analysis.strip():
        raise AssessmentError(_("Write the analysis and conclusion before submitting the assessment"))
    if not live_actions(assessment, ActionKind.PLAN).exists():
        raise AssessmentError(
            _(
                "Add at least one action to 'What needs to happen' before submitting: "
                "what, who will do it, by when and the review date"
            )
        )
    if problem := _review_date_problem(
        assessment,
        ActionKind.PLAN,
        # Translators: %(row)s is the row as its heading names it, for example "action 2".
        missing=_("Enter the review date for %(row)s in 'What needs to happen' before submitting"),
        # Translators: %(row)s is the row as its heading names it, for example "action 2".
        too_early=_(
            "The review date for %(row)s in 'What needs to happen' must be on or after the date it must be "
            "done by before submitting"
        ),
    ):
        raise AssessmentError(problem)
    if assessment.elevated_risk is None:
        raise AssessmentError(
            _("Answer whether there is an elevated risk of significant harm before submitting")
        )
    if case.team.manager is None:
        raise AssessmentError(
            _("%(team)s has no line manager to sign this: ask an admin to set one") % {"team": case.team}
        )
    now = timezone.now()
    with transaction.atomic():
        if _locked_status(assessment) != AssessmentStatus.DRAFT:
            raise AssessmentError(_("This assessment has been submitted already"))
        _record_submission(assessment=assessment, by=by, now=now)
        events.records_changed(case=assessment.case, by=by)  # a FERA satisfies flow-chart steps
    return assessment


def _record_submission(*, assessment: Assessment, by: User, now: dt.datetime) -> None:
    case = assessment.case
    assessment.status = AssessmentStatus.SUBMITTED
    assessment.submitted_at = now
    assessment.submitted_by = by
    assessment.manager = case.team.manager
    assessment.submitted_without_protective_factors = (
        not live_factors(assessment).filter(side=FactorSide.PROTECTIVE).exists()
    )
    assessment.updated_at = now
    save_with_history(assessment, by=by)
    message = notify.assessment_submitted(assessment, by=by)
    notification_send(
        recipient=case.team.manager,
        key=f"fera:{assessment.pk}:submitted:{now.isoformat()}",
        subject=message.subject,
        body=message.body,
        kind=NotificationKind.FERA_SUBMITTED,
        case=case,
        url=_url(assessment),
        is_escalation=assessment.submitted_without_protective_factors,
        task=_to_sign(assessment),
    )


def _to_sign(assessment: Assessment) -> Task:
    """The manager's task a submission asks for: done when it is signed, or returned for changes."""
    return Task(NotificationTask.SIGN_ASSESSMENT, assessment.pk)


def _to_acknowledge(share: Share) -> Task:
    """The partner's task a share asks for (the chase's reminders ask the same): done when they
    acknowledge it."""
    return Task(NotificationTask.ACKNOWLEDGE_ASSESSMENT, share.pk)


def assessment_return(*, assessment: Assessment, by: User, reason: str) -> Assessment:
    """The manager sends a submitted assessment back to the lead practitioner as a draft."""
    case = assessment.case
    _guard_can(by, CaseAction.MANAGE, case, _("Only the team's line manager can return this assessment"))
    _require_open(
        assessment.case,
        # Translators: %(status)s is how the case ended, in lower case, for example "closed".
        _("This case was %(status)s on %(date)s: you cannot return an assessment on a closed case"),
    )
    if assessment.status != AssessmentStatus.SUBMITTED:
        raise AssessmentError(_("Only an assessment waiting for sign-off can be returned"))
    if not reason.strip():
        raise AssessmentError(_("Say what needs to change before returning the assessment"))
    now = timezone.now()
    assessment.status = AssessmentStatus.DRAFT
    assessment.submitted_at = None
    assessment.submitted_by = None
    assessment.returned_reason = reason.strip()
    assessment.updated_at = now
    save_with_history(assessment, by=by)
    notifications_task_done(task=_to_sign(assessment), when=now)  # nothing is waiting to be signed
    message = notify.assessment_returned(assessment, by=by)
    notification_send(
        recipient=assessment.lead_practitioner,
        key=f"fera:{assessment.pk}:returned:{now.isoformat()}",
        subject=message.subject,
        body=message.body,
        kind=NotificationKind.FERA_RETURNED,
        case=case,
        url=_url(assessment),
    )
    return assessment


def assessment_oversight_record(*, assessment: Assessment, by: User, actions: list[ActionData]) -> Assessment:
    """The manager's oversight actions: what, who, by when, review date."""
    _guard_can(by, CaseAction.MANAGE, assessment.case, _("Only the team's line manager records oversight"))
    _require_open(
        assessment.case,
        # Translators: %(status)s is how the case ended, in lower case, for example "closed".
        _(
            "This case was %(status)s on %(date)s: you cannot record oversight of an assessment on a closed case"
        ),
    )
    if assessment.status != AssessmentStatus.SUBMITTED:
        raise AssessmentError(
            _("This assessment is signed: amend it to make a new version")
            if assessment.is_signed
            else _("The lead practitioner has not submitted this assessment yet")
        )
    with transaction.atomic():
        _sync_rows(
            model=Action,
            existing=list(live_actions(assessment, ActionKind.OVERSIGHT)),
            rows=actions,
            fields=ACTION_FIELDS,
            extra_create={"assessment": assessment, "kind": ActionKind.OVERSIGHT, "added_by": by},
            now=timezone.now(),
            by=by,
        )
    return assessment


def _same_name(typed: str, name: str) -> bool:
    return " ".join(typed.split()).casefold() == " ".join(name.split()).casefold()


def assessment_sign(*, assessment: Assessment, by: User, typed_name: str) -> Assessment:
    """The manager signs by typing their full name; the assessment locks and goes to the meeting."""
    case = assessment.case
    _guard_can(by, CaseAction.MANAGE, case, _("Only the team's line manager can sign this assessment"))
    _require_open(
        assessment.case,
        # Translators: %(status)s is how the case ended, in lower case, for example "closed".
        _("This case was %(status)s on %(date)s: you cannot sign an assessment on a closed case"),
    )
    if assessment.status != AssessmentStatus.SUBMITTED:
        raise AssessmentError(
            _("This assessment is signed already")
            if assessment.is_signed
            else _("Only a submitted assessment can be signed")
        )
    if not oversight_recorded(assessment):
        raise AssessmentError(_("Record at least one management oversight action before signing"))
    if problem := _review_date_problem(
        assessment,
        ActionKind.PLAN,
        # Translators: %(row)s is the row as its heading names it, for example "action 2".
        missing=_(
            "Enter the review date for %(row)s in 'What needs to happen': return the assessment to the lead "
            "practitioner to put it right"
        ),
        # Translators: %(row)s is the row as its heading names it, for example "action 2".
        too_early=_(
            "The review date for %(row)s in 'What needs to happen' must be on or after the date it must be "
            "done by: return the assessment to the lead practitioner to put it right"
        ),
    ):
        raise AssessmentError(problem)
    if problem := _review_date_problem(
        assessment,
        ActionKind.OVERSIGHT,
        # Translators: %(row)s is the row as its heading names it, for example "oversight action 1".
        missing=_("Enter the review date for %(row)s in management oversight before signing"),
        # Translators: %(row)s is the row as its heading names it, for example "oversight action 1".
        too_early=_(
            "The review date for %(row)s in management oversight must be on or after the date it must be "
            "done by before signing"
        ),
    ):
        raise AssessmentError(problem)
    if not _same_name(typed_name, by.full_name):
        raise AssessmentError(
            _("Type your full name exactly as %(name)s to sign") % {"name": by.full_name}, field="typed_name"
        )
    now = timezone.now()
    with transaction.atomic():
        if _locked_status(assessment) != AssessmentStatus.SUBMITTED:
            raise AssessmentError(_("This assessment is no longer waiting to be signed: reload the page"))
        assessment.status = AssessmentStatus.SIGNED
        assessment.signed_at = now
        assessment.signed_by = by
        assessment.signed_name = " ".join(typed_name.split())
        assessment.manager = by
        assessment.share_due_on = share_calendar().add(
            timezone.localdate(now), sharing_settings().share_deadline_days
        )
        assessment.updated_at = now
        _signed_document_store(assessment=assessment, by=by)
        save_with_history(assessment, by=by)
        notifications_task_done(task=_to_sign(assessment), when=now)
        assessment_share(assessment=assessment, by=by)
        events.records_changed(case=assessment.case, by=by)  # a FERA satisfies flow-chart steps
    return assessment


def assessment_pdf_render(*, assessment: Assessment) -> bytes:
    """The assessment as its signed PDF prints it (unsigned): what signing renders, once."""
    view = assessment_view(assessment, with_sharing=False)
    return document_render(
        template_name="pdf/assessment.html",
        context={
            "a": assessment,
            "view": view,
            "case_reference": assessment.case.reference,
            "action_tables": [(table.heading, rows) for table, rows in view.action_tables],
        },
    )


def _signed_document_store(*, assessment: Assessment, by: User) -> None:
    """Print the version being signed, sign it with the organisation's certificate and keep it.

    Called inside the signing transaction, before the assessment is saved as signed, so a
    failure leaves the assessment submitted and no document recorded.
    """
    document_sign_and_link(
        source=assessment,
        kind=DocumentKind.ASSESSMENT,
        title=f"FERA v{assessment.version} {assessment.case.reference} {assessment.case.family_name}",
        reason=f"Family Engagement Risk Assessment version {assessment.version}, signed by {by.full_name}",
        by=by,
        render=lambda: assessment_pdf_render(assessment=assessment),
        error=AssessmentError,
    )


def case_shares_move_team(*, case: Case, by: User) -> None:
    """The case went to another team (its new lead practitioner's): its shares go with it, so
    that the new team's dashboard and its manager's queue find those still outstanding. Each
    share's history row says who moved the case (announced by `cases.events.case_moved_team`)."""
    for share in Share.objects.filter(assessment__case=case).exclude(team_id=case.team_id).order_by("pk"):
        share.team_id = case.team_id
        save_with_history(share, by=by, update_fields=["team"])


def assessment_share(*, assessment: Assessment, by: User) -> list[Share]:
    """Share a signed assessment with every live multi-agency member not yet sent it."""
    _guard_can(by, CaseAction.WORK, assessment.case, _("Only someone working on this case can share it"))
    if assessment.status not in SIGNED_STATUSES:
        raise AssessmentError(_("Only a signed assessment can be shared with the multi-agency meeting"))
    already = set(assessment.shares.values_list("member_id", flat=True))
    memberships = CaseMembership.objects.filter(
        case=assessment.case, role=MembershipRole.AGENCY_MEMBER, ended_at__isnull=True
    ).select_related("user")
    now = timezone.now()
    shares = []
    message = notify.assessment_shared(assessment, by=by)
    for membership in memberships:
        if membership.user_id in already or not membership.user.is_active:
            continue
        share = create_with_history(
            Share,
            by=by,
            assessment=assessment,
            member=membership.user,
            membership=membership,
            team_id=assessment.case.team_id,
            shared_at=now,
            due_on=assessment.share_due_on,
        )
        shares.append(share)
        notification_send(
            recipient=membership.user,
            key=f"fera:{assessment.pk}:shared:{membership.user_id}",
            subject=message.subject,
            body=message.body,
            kind=NotificationKind.FERA_SHARED,
            case=assessment.case,
            url=reverse("riskassessment:shared_detail", kwargs={"pk": assessment.pk}),
            task=_to_acknowledge(share),
        )
    if shares and assessment.status == AssessmentStatus.SIGNED:
        assessment.status = AssessmentStatus.SHARED
        assessment.shared_at = now
        save_with_history(assessment, by=by, update_fields=["status", "shared_at"])
    return shares


def assessment_amend(*, assessment: Assessment, by: User) -> Assessment:
    """Copy a signed assessment into a new draft version; the signed one stays as it was."""
    case = assessment.case
    _guard_can(by, CaseAction.WORK, case, _("Only someone working on this case can amend its assessment"))
    _require_open(
        assessment.case,
        # Translators: %(status)s is how the case ended, in lower case, for example "closed".
        _("This case was %(status)s on %(date)s: you cannot amend an assessment on a closed case"),
    )
    if assessment.status not in SIGNED_STATUSES:
        raise AssessmentError(_("Only a signed assessment can be amended: edit the draft instead"))
    if Assessment.objects.filter(previous=assessment).exists():
        raise AssessmentError(
            _("Version %(version)s has been amended already: amend the latest version")
            % {"version": assessment.version}
        )
    if case.assessments.filter(status__in=[AssessmentStatus.DRAFT, AssessmentStatus.SUBMITTED]).exists():
        raise AssessmentError(_("This case already has an assessment in progress: finish that one first"))
    now = timezone.now()
    try:
        return _amendment_create(assessment=assessment, by=by, now=now)
    except IntegrityError:
        # Someone amended it at the same moment: the database kept their draft, not a second one.
        raise AssessmentError(
            _(
                "This case already has an assessment in progress: someone started it just now, open it "
                "from the case's assessments"
            )
        ) from None


@transaction.atomic
def _amendment_create(*, assessment: Assessment, by: User, now: dt.datetime) -> Assessment:
    """The new draft version and its copied rows, in one savepoint so a clash leaves nothing behind."""
    case = assessment.case
    new = create_with_history(
        Assessment,
        by=by,
        case=case,
        version=assessment.version + 1,
        previous=assessment,
        assessment_date=timezone.localdate(now),
        participants=assessment.participants,
        with_multi_agency_meeting=assessment.with_multi_agency_meeting,
        lead_practitioner=case.lead_practitioner,
        manager=case.team.manager,
        service=assessment.service,
        analysis=assessment.analysis,
        elevated_risk=assessment.elevated_risk,
        elevated_risk_alerted_at=None,
        created_by=by,
        created_at=now,
        updated_at=now,
    )
    new.children.set(Person.objects.filter(assessments=assessment))
    for factor in live_factors(assessment):
        create_with_history(
            Factor,
            by=by,
            assessment=new,
            copied_from=factor,
            position=factor.position,
            **{name: getattr(factor, name) for name in FACTOR_FIELDS},
        )
    for action in live_actions(assessment):
        create_with_history(
            Action,
            by=by,
            assessment=new,
            copied_from=action,
            kind=action.kind,
            position=action.position,
            added_by=action.added_by,
            **{name: getattr(action, name) for name in ACTION_FIELDS},
        )
    return new


# Multi-agency members.


def share_acknowledge(*, share: Share, by: User) -> Share:
    """The member confirms they have read the assessment."""
    if share.member_id != by.pk:
        raise AssessmentError(_("Only the person it was shared with can acknowledge it"))
    if share.acknowledged_at is not None:
        raise AssessmentError(
            _("You acknowledged this on %(date)s")
            % {"date": f"{timezone.localtime(share.acknowledged_at):%-d %B %Y}"}
        )
    now = timezone.now()
    # Reading the assessment (a GET) changes nothing but the access log; acknowledging it is the
    # member's explicit act, so it records that they have opened it too.
    share.opened_at = share.opened_at or now
    share.acknowledged_at = now
    save_with_history(share, by=by, update_fields=["opened_at", "acknowledged_at"])
    notifications_task_done(task=_to_acknowledge(share), when=now)
    return share


def comment_add(*, share: Share, by: User, body: str) -> Comment:
    """A member's comment, seen by the lead practitioner and the manager."""
    if share.member_id != by.pk:
        raise AssessmentError(_("Only the person it was shared with can comment on it"))
    if not body.strip():
        raise AssessmentError(_("Enter your comment"))
    assessment = share.assessment
    comment = create_with_history(Comment, by=by, assessment=assessment, author=by, body=body.strip())
    case = assessment.case
    message = notify.assessment_commented(assessment, by=by)
    notification_send(
        recipient=assessment.lead_practitioner,
        key=f"fera:{assessment.pk}:comment:{comment.pk}",
        subject=message.subject,
        body=message.body,
        kind=NotificationKind.FERA_COMMENT,
        case=case,
        url=_url(assessment),
    )
    return comment


# The sweep.


def shares_chase(*, today: dt.date | None = None) -> int:
    """Remind the lead practitioner before a share is due, escalate once it is late (as the admin set).

    Each message goes once (its notification key); running this twice sends nothing new.
    """
    rules, window = share_chase_window(today)
    now = timezone.now()
    sent = 0
    for share in shares_to_chase(today=window.today, horizon=window.horizon, late_by=window.late_by):
        assessment = share.assessment
        case = assessment.case
        late_message, reminder_message = notify.share_late(share), notify.share_reminder(share)

        def late(recipient: User, share=share, case=case, message=late_message) -> ChaseMessage:
            return ChaseMessage(
                key=f"fera-share:{share.pk}:overdue:{recipient.pk}",
                subject=message.subject,
                body=message.body,
                kind=NotificationKind.FERA_SHARE_OVERDUE,
                url=_url(share.assessment),
                is_escalation=recipient == case.team.manager,
                task=_to_acknowledge(share),
            )

        sent += chase_one(
            record=share,
            stamps=("escalated_at", "reminded_at"),
            now=now,
            case=case,
            due_on=share.due_on,
            today=window.today,
            lead=assessment.lead_practitioner,
            manager=case.team.manager if rules.escalate_to_manager else None,
            late=late,
            reminder=ChaseMessage(
                key=f"fera-share:{share.pk}:reminder",
                subject=reminder_message.subject,
                body=reminder_message.body,
                kind=NotificationKind.FERA_SHARE_REMINDER,
                url=_url(assessment),
                task=_to_acknowledge(share),
            ),
        )
    return sent


# The task list saves one section at a time. Each save goes through assessment_update with the
# rest of the draft as stored, so the guards, the history of every row, the removal of rows
# (marked, never deleted) and the elevated-risk alert are the ones the whole-form save has.


def _as_stored(view) -> dict:
    """assessment_update's arguments for the draft exactly as it is stored."""
    a = view.assessment
    return {
        "children": list(view.children),
        "assessment_date": a.assessment_date,
        "participants": a.participants,
        "with_multi_agency_meeting": a.with_multi_agency_meeting,
        "service": a.service,
        "analysis": a.analysis,
        "elevated_risk": a.elevated_risk,
        "factors": [
            FactorData(
                id=f.pk,
                side=f.side,
                timeframe=f.timeframe,
                basis=f.basis,
                category=f.category,
                description=f.description,
                evidence=f.evidence,
            )
            for f in view.risk_factors + view.protective_factors
        ],
        "plan_actions": [
            ActionData(id=a.pk, what=a.what, who=a.who, by_when=a.by_when, review_on=a.review_on)
            for a in view.plan_actions
        ],
    }


def assessment_update_section(*, view, by: User, **changes) -> Assessment:
    """Save one section (the header, or the analysis) and keep every other part as stored."""
    unknown = set(changes) - {
        "children",
        "assessment_date",
        "participants",
        "with_multi_agency_meeting",
        "service",
        "analysis",
        "elevated_risk",
    }
    if unknown:
        raise TypeError(f"Not a section field: {', '.join(sorted(unknown))}")
    return assessment_update(assessment=view.assessment, by=by, **{**_as_stored(view), **changes})


def _stored_row(rows, row_id: int, what: str):
    for row in rows:
        if row.id == row_id:
            return row
    if what == "factor":
        raise AssessmentError(
            _("This factor is no longer on the draft: go back to the task list and reload it")
        )
    raise AssessmentError(_("This action is no longer on the draft: go back to the task list and reload it"))


# The draft's rows, by the argument of assessment_update that holds them and what a message calls one.
_ROWS = {"factor": "factors", "action": "plan_actions"}


def _row_save(*, view, by: User, what: str, data: FactorData | ActionData) -> Assessment:
    """Add one row (no id) at the end of its list, or change one in place."""
    stored = _as_stored(view)
    rows = stored[_ROWS[what]]
    if data.id is None:
        rows = [*rows, data]
    else:
        _stored_row(rows, data.id, what)
        rows = [data if row.id == data.id else row for row in rows]
    return assessment_update(assessment=view.assessment, by=by, **{**stored, _ROWS[what]: rows})


def _row_remove(*, view, by: User, what: str, row_id: int) -> Assessment:
    """Take one row off the draft: it is marked removed and stays in the history."""
    stored = _as_stored(view)
    rows = stored[_ROWS[what]]
    _stored_row(rows, row_id, what)
    rows = [row for row in rows if row.id != row_id]
    return assessment_update(assessment=view.assessment, by=by, **{**stored, _ROWS[what]: rows})


def factor_save(*, view, by: User, data: FactorData) -> Assessment:
    """Add one factor (no id) at the end of its side, or change one in place."""
    return _row_save(view=view, by=by, what="factor", data=data)


def factor_remove(*, view, by: User, factor_id: int) -> Assessment:
    """Take one factor off the draft: its row is marked removed and stays in the history."""
    return _row_remove(view=view, by=by, what="factor", row_id=factor_id)


def action_save(*, view, by: User, data: ActionData) -> Assessment:
    """Add one action to 'What needs to happen' (no id), or change one in place."""
    return _row_save(view=view, by=by, what="action", data=data)


def action_remove(*, view, by: User, action_id: int) -> Assessment:
    """Take one action off the draft: its row is marked removed and stays in the history."""
    return _row_remove(view=view, by=by, what="action", row_id=action_id)
