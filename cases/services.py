"""Every write to the case record."""

import datetime as dt

from allauth.account.forms import ResetPasswordForm
from django.apps import apps as installed_apps
from django.contrib.auth.management import create_permissions
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from . import audit, events, notify
from .adapters import authenticators_remove
from .history import create_with_history, save_with_history
from .models import (
    SENSITIVE_FIELDS,
    TERMINAL_STATUSES,
    Agency,
    Case,
    CaseMembership,
    CaseStatus,
    IdentifierAnswer,
    MembershipRole,
    MembershipStatus,
    Person,
    PersonKind,
    Relationship,
    RelationshipKind,
    Role,
    SafeContact,
    Team,
    User,
    WrittenLanguage,
)
from .notifications import (
    NotificationKind,
    NotificationTask,
    Task,
    notification_send,
    notifications_task_done,
)
from .selectors import open_cases_led_count


class CaseError(Exception):
    """A change to a case that cannot be made, with a message the person can act on."""


def _next_reference(year: int) -> str:
    prefix = f"EF{year}-"
    last = (
        Case.objects.select_for_update()
        .filter(reference__startswith=prefix)
        .order_by("-reference")
        .values_list("reference", flat=True)
        .first()
    )
    number = int(last.removeprefix(prefix)) + 1 if last else 1
    return f"{prefix}{number:05d}"


@transaction.atomic
def case_open(*, by: User, lead_practitioner: User | None = None, **details) -> Case:
    """Open a case from a referral; the referral date is Day 1."""
    lead = lead_practitioner or by
    if lead.role not in (Role.LEAD_PRACTITIONER, Role.LINE_MANAGER):
        raise CaseError(_("Choose a lead practitioner: only practitioners and managers can lead a case"))
    if lead.team_id is None:
        raise CaseError(_("%(user)s is not in a team yet: ask an admin to add them to one") % {"user": lead})
    now = timezone.now()
    case = create_with_history(
        Case,
        by=by,
        reference=_next_reference(details["referral_date"].year),
        team_id=lead.team_id,
        lead_practitioner=lead,
        opened_by=by,
        created_at=now,
        updated_at=now,
        **details,
    )
    # The referral date is Day 1: the non-engagement flow chart's clock starts with the case.
    events.case_opened(case=case, by=by)
    return case


# What a practitioner may correct on the case after opening it.
CASE_EDITABLE_FIELDS = (
    "family_name",
    "referral_date",
    "referral_source",
    "referrer_name",
    "referrer_organisation",
    "referrer_contact",
    "referral_reason",
    "threshold_level",
    "is_step_down",
    "social_worker_name",
    "social_worker_contact",
)


def _require_open(case: Case, refusal: str) -> None:
    """`refusal`: the whole sentence for a closed case, with `%(status)s` (the status it ended in,
    in lower case: "closed", "stepped up to children's social care") and `%(date)s`."""
    if not case.is_open:
        raise CaseError(
            refusal % {"status": case.get_status_display().lower(), "date": f"{case.closed_on:%-d %B %Y}"}
        )


@transaction.atomic
def case_update(*, case: Case, by: User, **changes) -> Case:
    """Correct the referral details; every earlier version stays in the case history."""
    unknown = set(changes) - set(CASE_EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not an editable case field: {', '.join(sorted(unknown))}")
    case = Case.objects.select_for_update().get(pk=case.pk)
    _require_open(
        case,
        # Translators: %(status)s is how the case ended, in lower case, for example "closed".
        _("This case was %(status)s on %(date)s: you cannot change the referral details on a closed case"),
    )
    referral_date = changes.get("referral_date", case.referral_date)
    if referral_date > timezone.localdate():
        raise CaseError(_("The referral date must be today or in the past"))
    first_attempt = (
        case.contact_attempts.order_by("occurred_at").values_list("occurred_at", flat=True).first()
    )
    if first_attempt and timezone.localdate(first_attempt) < referral_date:
        raise CaseError(
            _("The referral date cannot be after the first contact attempt, %(date)s")
            % {"date": f"{timezone.localdate(first_attempt):%-d %B %Y}"}
        )
    if changes.get("is_step_down", case.is_step_down) and not changes.get(
        "social_worker_name", case.social_worker_name
    ):
        raise CaseError(_("Enter the allocated social worker's name: a step-down case needs one"))
    for name, value in changes.items():
        setattr(case, name, value)
    case.updated_at = timezone.now()
    save_with_history(case, by=by)
    return case


@transaction.atomic
def case_close(*, case: Case, by: User, reason: str) -> Case:
    """The line manager closes the case with the reason; nothing recorded on it is removed.

    Closing is the manager's decision, never the lead practitioner's alone: a practitioner asks
    (flowchart's `closure_request_make`). While a run of the flow chart is live, the closure is
    recorded as its decision instead (flowchart's `case_closure_record`), which ends the run.
    """
    case = Case.objects.select_for_update().select_related("team").get(pk=case.pk)
    if by.role != Role.LINE_MANAGER or case.team.manager_id != by.pk:
        raise CaseError(_("Only the case's line manager can close it: ask them to close this case"))
    _check_status_change(case, CaseStatus.CLOSED)
    if case.episodes.filter(ended_on__isnull=True).exists():
        raise CaseError(
            _(
                "The flow chart is still running for this case: close it by recording the decision, "
                "so the flow chart ends with it"
            )
        )
    case_status_change(case=case, to=CaseStatus.CLOSED, by=by, reason=reason)
    events.case_closed(case=case, by=by)
    return case


# The statuses a case may move to from each. Every change of status goes through
# case_status_change, which refuses any other; a stepped up, stepped down or closed case stays so.
CASE_STATUS_CHANGES: dict[str, frozenset[str]] = {
    CaseStatus.OPEN: frozenset(
        {
            CaseStatus.ENGAGED,  # a parent or carer agreed to work with the service
            CaseStatus.ESCALATED,  # an immediate safeguarding concern referred to the MASH
            *TERMINAL_STATUSES,  # the decision on next steps, or the manager's closure
        }
    ),
    CaseStatus.ENGAGED: frozenset({CaseStatus.ESCALATED, *TERMINAL_STATUSES}),
    CaseStatus.ESCALATED: frozenset({CaseStatus.OPEN, *TERMINAL_STATUSES}),  # the decision is made
    **{status: frozenset() for status in TERMINAL_STATUSES},
}


def _check_status_change(case: Case, to: str) -> None:
    if case.status in TERMINAL_STATUSES:
        raise CaseError(
            # Translators: %(status)s is how the case ended, in lower case, for example "closed".
            _("This case is already %(status)s (on %(date)s)")
            % {"status": case.get_status_display().lower(), "date": f"{case.closed_on:%-d %B %Y}"}
        )
    if to not in CASE_STATUS_CHANGES[case.status]:
        raise CaseError(
            _("A case that is '%(status)s' cannot become '%(to)s'")
            % {"status": case.get_status_display(), "to": CaseStatus(to).label}
        )


def case_status_change(
    *, case: Case, to: str, by: User | None, reason: str = "", on: dt.date | None = None
) -> Case:
    """Move the case to another status, as CASE_STATUS_CHANGES allows, and keep who did it in its
    history. A terminal status closes the case on `on` (today) with the reason.

    Called inside the caller's transaction, on a case it has locked (select_for_update).
    """
    _check_status_change(case, to)
    fields = ["status", "updated_at"]
    if to in TERMINAL_STATUSES:
        if not reason.strip():
            raise CaseError(_("Enter the reason for closing the case"))
        case.closed_on = on or timezone.localdate()
        case.closure_reason = reason.strip()
        fields += ["closed_on", "closure_reason"]
    case.status = to
    case.updated_at = timezone.now()
    return save_with_history(case, by=by, update_fields=fields)


@transaction.atomic
def case_reassign_lead(*, case: Case, by: User, lead_practitioner: User) -> Case:
    """Hand the case to another lead practitioner in a team the manager manages."""
    case = Case.objects.select_for_update().select_related("team").get(pk=case.pk)
    if case.team.manager_id != by.pk:
        raise CaseError(_("Only the team's line manager can reassign the lead practitioner"))
    _require_open(
        case,
        _("This case was %(status)s on %(date)s: you cannot reassign the lead practitioner on a closed case"),
    )
    if lead_practitioner.pk == case.lead_practitioner_id:
        raise CaseError(_("%(user)s is already the lead practitioner") % {"user": lead_practitioner})
    if not lead_practitioner.is_active or lead_practitioner.role != Role.LEAD_PRACTITIONER:
        raise CaseError(_("Choose an active lead practitioner"))
    if lead_practitioner.team is None or lead_practitioner.team.manager_id != by.pk:
        raise CaseError(_("%(user)s is not in a team you manage") % {"user": lead_practitioner})
    moved_team = case.team_id != lead_practitioner.team_id
    case.lead_practitioner = lead_practitioner
    case.team_id = lead_practitioner.team_id
    case.updated_at = timezone.now()
    save_with_history(case, by=by)
    if moved_team:  # to another of the manager's teams
        events.case_moved_team(case=case, by=by)
    return case


PERSON_FIELDS = (
    "full_name",
    "date_of_birth",
    "school",
    "lives_in_household",
    "language",
    "needs_interpreter",
    "written_language",
    "prefers_verbal_communication",
    "learning_needs",
    "domestic_abuse_concern",
    "preferred_contact_method",
    "phone",
    "email",
    "safe_contact",
    "safe_contact_notes",
)


def _set_relationships(*, adult: Person, by: User, relationships: dict[Person, str]) -> None:
    existing = {r.child_id: r for r in adult.relationships.all()}
    for child, kind in relationships.items():
        if child.case_id != adult.case_id or child.kind != PersonKind.CHILD:
            raise CaseError(_("%(child)s is not a child of this family") % {"child": child})
        names = {"adult": adult, "child": child}
        current = existing.get(child.pk)
        if not kind:
            if current is not None:
                raise CaseError(
                    _(
                        "Select how %(adult)s is related to %(child)s: a recorded relationship can be "
                        "changed, not removed"
                    )
                    % names
                )
            continue
        if kind not in RelationshipKind.values:
            raise CaseError(_("Select how %(adult)s is related to %(child)s") % names)
        if current is None:
            relationship = Relationship(adult=adult, child=child, kind=kind)
        elif current.kind != kind:
            relationship, relationship.kind = current, kind
        else:
            continue
        save_with_history(relationship, by=by)


def _check_safe_contact(codes) -> None:
    if codes and not set(codes) <= set(SafeContact.values):
        raise CaseError(_("Select the parts of the safe-contact plan from the list"))


def _check_written_language(details: dict) -> None:
    if "written_language" in details and details["written_language"] not in WrittenLanguage.values:
        raise CaseError(
            _("Select the language they would like letters in: English, Welsh or another language")
        )


@transaction.atomic
def person_add(
    *, case: Case, by: User, kind: str, relationships: dict[Person, str] | None = None, **details
) -> Person:
    """Add a child or an adult to the family; an adult's relationship to each child comes with them."""
    _require_open(case, _("This case was %(status)s on %(date)s: you cannot add people on a closed case"))
    unknown = set(details) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"Not a person field: {', '.join(sorted(unknown))}")
    if kind == PersonKind.CHILD and not details.get("date_of_birth"):
        raise CaseError(_("Enter the child's date of birth"))
    if kind == PersonKind.CHILD and relationships:
        raise CaseError(_("Relationships are recorded on the adult"))
    _check_safe_contact(details.get("safe_contact"))
    _check_written_language(details)
    person = Person(case=case, kind=kind, **details)
    save_with_history(person, by=by)
    if kind == PersonKind.ADULT:
        _set_relationships(adult=person, by=by, relationships=relationships or {})
    return person


@transaction.atomic
def person_update(
    *, person: Person, by: User, relationships: dict[Person, str] | None = None, **changes
) -> Person:
    """Correct what is recorded about a family member; the earlier version stays in its history."""
    person = Person.objects.select_for_update().select_related("case").get(pk=person.pk)
    _require_open(
        person.case,
        _("This case was %(status)s on %(date)s: you cannot change the family's details on a closed case"),
    )
    unknown = set(changes) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"Not a person field: {', '.join(sorted(unknown))}")
    _check_safe_contact(changes.get("safe_contact"))
    _check_written_language(changes)
    for name, value in changes.items():
        setattr(person, name, value)
    if person.kind == PersonKind.CHILD and not person.date_of_birth:
        raise CaseError(_("Enter the child's date of birth"))
    save_with_history(person, by=by)
    if person.kind == PersonKind.ADULT and relationships is not None:
        _set_relationships(adult=person, by=by, relationships=relationships)
    return person


NUMBER_AND_ANSWER = {
    "upn": gettext_lazy(
        # Translators: %(answer)s is the answer chosen instead of the number, for example "Not known".
        "A unique pupil number is entered and '%(answer)s' chosen: clear the number, or choose that it "
        "is recorded"
    ),
    "nhs_number": gettext_lazy(
        "A NHS number is entered and '%(answer)s' chosen: clear the number, or choose that it is recorded"
    ),
}


@transaction.atomic
def person_returns_details_record(*, person: Person, by: User, **values) -> Person:
    """Record what the returns need about a person (`SENSITIVE_FIELDS`); the earlier values stay
    in the person's history. Allowed on a closed case too: a return reports closed episodes, and
    correcting what it reports is not new work with the family."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    unknown = set(values) - set(SENSITIVE_FIELDS)
    if unknown:
        raise TypeError(f"Not a returns field: {', '.join(sorted(unknown))}")
    values = {
        name: (value or "").strip().upper() if name in ("upn",) else value or ""
        for name, value in values.items()
    }
    if "nhs_number" in values:
        values["nhs_number"] = values["nhs_number"].replace(" ", "")
    for name, value in values.items():
        setattr(person, name, value)
    for number in ("upn", "nhs_number"):
        answer = getattr(person, f"{number}_status")
        if getattr(person, number) and answer:
            raise CaseError(NUMBER_AND_ANSWER[number] % {"answer": IdentifierAnswer(answer).label})
    try:
        person.full_clean(exclude=[f.name for f in Person._meta.fields if f.name not in SENSITIVE_FIELDS])
    except ValidationError as error:
        raise CaseError(" ".join(error.messages)) from None
    save_with_history(person, by=by)
    return person


@transaction.atomic
def case_episode_codes_record(
    *, case: Case, by: User, referral_reason_code: str, end_reason_code: str
) -> Case:
    """Record the episode's referral reason and end reason in the returns' codes. An end reason
    waits for the episode's end: an open case has none yet."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if end_reason_code and case.is_open:
        raise CaseError(_("This case is still open: record why the episode ended when it closes"))
    case.referral_reason_code = referral_reason_code or ""
    case.end_reason_code = end_reason_code or ""
    case.updated_at = timezone.now()
    save_with_history(case, by=by, update_fields=["referral_reason_code", "end_reason_code", "updated_at"])
    return case


@transaction.atomic
def membership_add(*, case: Case, by: User, user: User, role: str, agency_role: str = "") -> CaseMembership:
    """Add a co-worker, a multi-agency meeting member or the allocated social worker to the case."""
    _require_open(case, _("This case was %(status)s on %(date)s: you cannot add members on a closed case"))
    who = {"user": user}
    if role == MembershipRole.CO_WORKER:
        if user.role not in (Role.LEAD_PRACTITIONER, Role.LINE_MANAGER):
            raise CaseError(
                _("%(user)s is not a practitioner: add them as a multi-agency member instead") % who
            )
        if user.pk == case.lead_practitioner_id:
            raise CaseError(_("%(user)s is already the lead practitioner") % who)
    elif role == MembershipRole.AGENCY_MEMBER:
        if user.role != Role.AGENCY_MEMBER:
            raise CaseError(_("%(user)s is not a multi-agency member: add them as a co-worker instead") % who)
    elif role == MembershipRole.SOCIAL_WORKER:
        if user.role != Role.SOCIAL_WORKER:
            raise CaseError(
                _("%(user)s is not an allocated social worker: ask an admin to give them that role first")
                % who
            )
    else:
        raise CaseError(_("Select the role they have on the case"))
    if not user.is_active:
        raise CaseError(_("%(user)s's account is switched off: ask an admin") % who)
    live = CaseMembership.objects.filter(case=case, user=user, role=role, ended_at__isnull=True).first()
    if live is not None and live.status == MembershipStatus.REQUESTED:
        raise CaseError(_("%(user)s is already waiting for the manager's approval to join this case") % who)
    if live is not None:
        raise CaseError(
            # Translators: %(role)s is their role on the case, in lower case, for example "co-worker".
            _("%(user)s is already on this case as %(role)s")
            % {"user": user, "role": MembershipRole(role).label.lower()}
        )
    now = timezone.now()
    membership = CaseMembership(
        case=case, user=user, role=role, agency_role=agency_role, added_by=by, added_at=now
    )
    if _needs_managers_approval(case, user, role):
        if by.pk == case.team.manager_id:
            membership.decided_by, membership.decided_at = by, now  # the manager's own choice
        else:
            membership.status = MembershipStatus.REQUESTED
    save_with_history(membership, by=by)
    if membership.status == MembershipStatus.REQUESTED:
        _ask_manager_to_approve(membership)
    return membership


def _needs_managers_approval(case: Case, user: User, role: str) -> bool:
    """A co-worker from another team opens the whole case to them: the case's manager decides.

    A practitioner of the case's team, or the manager of that team, joins at once as before.
    """
    if role != MembershipRole.CO_WORKER:
        return False
    return user.team_id != case.team_id and user.pk != case.team.manager_id


def _membership_url(case: Case) -> str:
    return reverse("cases:case_detail", kwargs={"case_pk": case.pk})


def _ask_manager_to_approve(membership: CaseMembership) -> None:
    # Content-free: the reference and what to do, never the family or the people involved.
    case = membership.case
    manager = case.team.manager
    if manager is None:
        raise CaseError(
            _("%(team)s has no line manager to approve a co-worker: ask an admin to set one")
            % {"team": case.team}
        )
    message = notify.co_worker_requested(case)
    notification_send(
        recipient=manager,
        key=f"co_worker:{membership.pk}:request",
        subject=message.subject,
        body=message.body,
        kind=NotificationKind.CO_WORKER_REQUEST,
        case=case,
        url=_membership_url(case),
        task=Task(NotificationTask.DECIDE_CO_WORKER, membership.pk),
    )


@transaction.atomic
def membership_decide(*, membership: CaseMembership, by: User, approve: bool) -> CaseMembership:
    """The case's team manager approves or refuses a co-worker from another team.

    A refused request is ended, never deleted: it stays as the record of who asked and who refused.
    """
    membership = CaseMembership.objects.select_for_update().select_related("case__team").get(pk=membership.pk)
    case = membership.case
    if by.pk != case.team.manager_id:
        raise CaseError(_("Only the case's line manager can approve or refuse a co-worker"))
    if membership.status != MembershipStatus.REQUESTED or membership.ended_at is not None:
        raise CaseError(_("The request for %(user)s has already been answered") % {"user": membership.user})
    _require_open(
        case, _("This case was %(status)s on %(date)s: you cannot approve co-workers on a closed case")
    )
    now = timezone.now()
    membership.status = MembershipStatus.ACTIVE if approve else MembershipStatus.REFUSED
    membership.decided_by, membership.decided_at = by, now
    if not approve:
        membership.ended_at = now
    save_with_history(membership, by=by)
    notifications_task_done(task=Task(NotificationTask.DECIDE_CO_WORKER, membership.pk), when=now)
    answer = "approved" if approve else "refused"
    message = notify.co_worker_decided(case, approved=approve)
    for recipient in {membership.added_by, membership.user}:
        notification_send(
            recipient=recipient,
            key=f"co_worker:{membership.pk}:{answer}:{recipient.pk}",
            subject=message.subject,
            body=message.body,
            kind=NotificationKind.CO_WORKER_DECIDED,
            case=case if approve or recipient == membership.added_by else None,
            url=_membership_url(case) if approve or recipient == membership.added_by else "",
        )
    return membership


@transaction.atomic
def membership_end(*, membership: CaseMembership, by: User) -> CaseMembership:
    """Take someone off the case. The membership is ended, never deleted: it shows who was on it."""
    membership = CaseMembership.objects.select_for_update().get(pk=membership.pk)
    if membership.ended_at is not None:
        raise CaseError(
            _("%(user)s already left this case on %(date)s")
            % {"user": membership.user, "date": f"{membership.ended_at:%-d %B %Y}"}
        )
    membership.ended_at = timezone.now()
    save_with_history(membership, by=by)
    return membership


# Users, as admins set them up. A line manager's teams are the ones they manage (Team.manager);
# a practitioner works in one.
ROLES_IN_A_TEAM = (Role.LEAD_PRACTITIONER,)
ROLES_THAT_LEAD_CASES = (Role.LEAD_PRACTITIONER, Role.LINE_MANAGER)


def _names(items) -> str:
    names = [str(item) for item in items]
    if len(names) == 1:
        return names[0]
    # Translators: the end of a list of names, for example "Team A, Team B and Team C".
    return _("%(names)s and %(last)s") % {"names": ", ".join(names[:-1]), "last": names[-1]}


def user_change_problems(
    *,
    user: User,
    role: str | None,
    team: Team | None,
    agency: Agency | None,
    is_active: bool,
    changed_by_id: int | None,
) -> list[tuple[str, str]]:
    """What stops giving the user this role, team, agency and state, as (field, message) pairs:
    none when the change may be saved. Nobody is left managing a team or leading open cases
    they no longer can, and an admin cannot lock themselves out."""
    problems = []
    if role in ROLES_IN_A_TEAM and not team:
        problems.append(
            (
                "team",
                # Translators: %(role)s is a role, in lower case, for example "lead practitioner".
                _("Select the team they work in: every %(role)s needs one")
                % {"role": Role(role).label.lower()},
            )
        )
    if role == Role.AGENCY_MEMBER and not agency:
        problems.append(
            ("agency", _("Select the agency they work for: every multi-agency meeting member needs one"))
        )
    if user.pk is None or role is None:
        return problems
    managed = list(Team.objects.filter(manager=user))
    if managed:
        teams = {"user": user, "teams": _names(managed)}
        if role != Role.LINE_MANAGER:
            message = ngettext(
                "%(user)s manages %(teams)s: choose another line manager for that team first",
                "%(user)s manages %(teams)s: choose another line manager for those teams first",
                len(managed),
            )
            problems.append(("role", message % teams))
        elif not is_active:
            message = ngettext(
                "%(user)s manages %(teams)s: choose another line manager for that team before making "
                "them inactive",
                "%(user)s manages %(teams)s: choose another line manager for those teams before making "
                "them inactive",
                len(managed),
            )
            problems.append(("is_active", message % teams))
    if role not in ROLES_THAT_LEAD_CASES:
        leads = open_cases_led_count(user)
        if leads:
            message = ngettext(
                "%(user)s is the lead practitioner for %(count)d open case: ask their line manager to "
                "reassign them first",
                "%(user)s is the lead practitioner for %(count)d open cases: ask their line manager to "
                "reassign them first",
                leads,
            )
            problems.append(("role", message % {"user": user, "count": leads}))
    if user.pk == changed_by_id:
        if role != Role.ADMIN:
            problems.append(("role", _("You cannot take away your own admin role: ask another admin")))
        if not is_active:
            problems.append(("is_active", _("You cannot make yourself inactive: ask another admin")))
    return problems


# Admins configure; they never read cases. What an admin may do in the configuration screens is
# exactly these permissions, model by model. Case-linked models appear (as references and counts)
# only where an admin needs them: the access log, the register of signed documents, disposals,
# notifications' delivery and which pathway version each family follows.
ADMIN_GROUP = "Admins"
ADMIN_PERMISSIONS = {
    "cases.user": ("view", "add", "change"),
    "cases.team": ("view", "add", "change"),
    "cases.agency": ("view", "add", "change"),
    "cases.accesslogentry": ("view",),
    "cases.document": ("view",),
    "cases.disposalrecord": ("view",),
    "cases.notification": ("view",),
    "cases.storedfile": ("view",),
    "cases.draftsettings": ("view", "change"),
    "engagement.agreementtemplate": ("view", "add", "change"),
    "engagement.lettertemplate": ("view", "add", "change"),
    "engagement.offlinesettings": ("view", "change"),
    "engagement.messagetemplate": ("view", "add", "change"),
    "riskassessment.factorcategory": ("view", "add", "change"),
    "riskassessment.sharingsettings": ("view", "change"),
    "flowchart.pathway": ("view", "add", "change"),
    "flowchart.pathwayversion": ("view", "change"),
    "flowchart.step": ("view", "add", "change", "delete"),
    "flowchart.flowchartsettings": ("view", "change"),
    "flowchart.closureday": ("view", "add", "change", "delete"),
    "flowchart.sweepday": ("view",),
    "flowchart.episode": ("view",),
}


def _model_exists(apps, label: str) -> bool:
    try:
        apps.get_model(label)
    except LookupError:
        return False
    return True


def admin_group_sync(*, apps=installed_apps):
    """Make the Admins group hold exactly ADMIN_PERMISSIONS. `apps` is a migration's registry
    when a migration calls it; permissions are made first, as a fresh database has none yet."""
    for app_config in apps.get_app_configs():
        if getattr(app_config, "models_module", None) is None:
            # A migration's stand-in for an app says only whether the app has models.
            app_config.models_module = True if any(app_config.get_models()) else None
        create_permissions(app_config, apps=apps, verbosity=0)
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    wanted = [
        permission_model.objects.get(
            content_type__app_label=label.split(".")[0], codename=f"{action}_{model}"
        )
        for label, actions in ADMIN_PERMISSIONS.items()
        # A migration's registry holds only the models made so far; a later model's permissions
        # join the group after the migrate that makes it (admin_group_after_migrate).
        if _model_exists(apps, label)
        for model in [label.split(".")[1]]
        for action in actions
    ]
    group = group_model.objects.get_or_create(name=ADMIN_GROUP)[0]
    group.permissions.set(wanted)
    return group


def admin_group_after_migrate(sender, apps=installed_apps, **kwargs):
    # A flush (a transactional test's teardown) sends no `apps`: the installed ones are current.
    admin_group_sync(apps=apps)


def user_save(*, user: User, by: User) -> User:
    """Save a user as an admin set them up: the role alone decides who may open the configuration
    (admins, and only admins), and admins hold the Admins group's permissions, never all of them."""
    user.is_staff = user.role == Role.ADMIN
    user.is_superuser = False
    if user.pk is not None:
        before = User.objects.filter(pk=user.pk).values("email", "is_active").first() or {}
        if before.get("email") not in (None, user.email):
            audit.account_event("email changed by an admin", user=user, by=by)
        if before.get("is_active") and not user.is_active:
            audit.account_event("account disabled", user=user, by=by)
    save_with_history(user, by=by)
    user_admin_group_set(user=user)
    return user


def user_admin_group_set(*, user: User) -> None:
    """Put an admin in the Admins group, and take anyone else out of it."""
    group = admin_group_sync() if not _admin_group().exists() else _admin_group().get()
    if user.role == Role.ADMIN:
        user.groups.add(group)
    else:
        user.groups.remove(group)


def _admin_group():
    return installed_apps.get_model("auth", "Group").objects.filter(name=ADMIN_GROUP)


class AccountError(CaseError):
    """An account change an admin cannot make, with what to do instead."""


def _not_yourself(user: User, by: User, refusal: str) -> None:
    if user.pk == by.pk:
        raise AccountError(refusal)


@transaction.atomic
def user_disable(*, user: User, by: User) -> User:
    """Stop someone signing in. Their name stays on the records they made."""
    _not_yourself(user, by, _("You cannot disable your own account here: ask another admin"))
    if not user.is_active:
        raise AccountError(_("%(user)s cannot sign in already") % {"user": user})
    problems = user_change_problems(
        user=user, role=user.role, team=user.team, agency=user.agency, is_active=False, changed_by_id=by.pk
    )
    if problems:
        raise AccountError(problems[0][1])
    user.is_active = False
    return user_save(user=user, by=by)


def user_password_reset_require(*, user: User, by: User, request) -> None:
    """Sign someone out and make their password stop working; they set a new one from the link
    emailed to them. The admin never knows, sets or sees a password."""
    _not_yourself(user, by, _("You cannot reset the password of your own account here: ask another admin"))
    if not user.is_active:
        raise AccountError(_("%(user)s cannot sign in: make them active first") % {"user": user})
    # An unusable password changes the hash their sessions are bound to: every session ends, and
    # the emailed link is made from the new hash, so an earlier link stops working too.
    user.set_unusable_password()
    user.save(update_fields=["password"])
    form = ResetPasswordForm(data={"email": user.email})
    if not form.is_valid() or not form.users:
        raise AccountError(
            _("No reset link can go to %(email)s: check their email address") % {"email": user.email}
        )
    form.save(request)
    audit.account_event("password reset required by an admin", user=user, by=by)


@transaction.atomic
def user_mfa_reset(*, user: User, by: User) -> int:
    """Remove someone's authenticator app and recovery codes: they set up a new app at their next
    sign-in. For a lost or replaced phone; the admin never sees or sets the secret."""
    _not_yourself(
        user, by, _("You cannot reset the authenticator of your own account here: ask another admin")
    )
    removed = authenticators_remove(user=user)
    if not removed:
        raise AccountError(
            _("%(user)s has no authenticator app set up: there is nothing to reset") % {"user": user}
        )
    audit.account_event("authenticator reset by an admin", user=user, by=by)
    return removed
