"""The one place that says who may see or do what.

Every view asks here. A denied object answers exactly like a missing one (404), so nobody can
learn that a case exists by being refused it.
"""

from enum import StrEnum
from functools import cache, wraps

from django.contrib.auth.views import redirect_to_login
from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL
from django.http import Http404

from . import audit, contributions
from .models import AccessLogEntry, Case, CaseMembership, MembershipRole, MembershipStatus, Role, User


class CaseAction(StrEnum):
    VIEW = "view"  # read the case and everything recorded on it
    WORK = "work"  # record attempts, edit the case, draft assessments
    MANAGE = "manage"  # oversight, sign-off, decisions, reassignment, edit history
    # Staff safety (Camden 004, section 7: hostility is reported "to their line manager" and "to
    # the allocated social worker who may convene a risk management meeting"):
    SAFETY = "safety"  # read the case's hostile incidents: whoever sees the case, and its social worker
    SAFETY_REVIEW = "safety_review"  # review a hostile incident: the line manager or the social worker
    # The allocated social worker, on the cases they are allocated to: the signed assessments,
    # the decisions and the partners' reports (the hostile incidents are `SAFETY`). Nothing else.
    SOCIAL_WORK = "social_work"
    # A multi-agency member reports non-engagement on a case they sit on. Nothing else of it.
    PARTNER_REPORT = "partner_report"


def _live_memberships(user: User | int, role: str) -> QuerySet[CaseMembership]:
    """Memberships that give access: not ended, and approved (a co-worker request gives nothing)."""
    return CaseMembership.objects.filter(
        user=user, role=role, ended_at__isnull=True, status=MembershipStatus.ACTIVE
    )


# A user id no user has: each way of seeing a case is written for it once, and each user's own id
# takes its place (`_cases_seen_through`).
_ANYONE = -1


def _ways_of_seeing(role: str, user_id: int) -> list[QuerySet]:
    """The case ids each way of seeing a case gives this role, one indexed query each."""
    if role == Role.LEAD_PRACTITIONER:
        return [
            Case.objects.filter(lead_practitioner_id=user_id).values("pk"),
            _live_memberships(user_id, MembershipRole.CO_WORKER).values("case_id"),
        ]
    return [  # a line manager
        Case.objects.filter(team__manager_id=user_id).values("pk"),
        Case.objects.filter(lead_practitioner_id=user_id).values("pk"),
    ]


@cache
def _union_sql(role: str, vendor: str) -> tuple[str, tuple, tuple[int, ...]]:
    """The union of the role's ways of seeing a case as SQL, its parameters and where the user's
    id goes among them. Built and compiled once a process: Django takes about 0.6 ms to build and
    compile the union, every list of a practitioner's or a manager's cases paid it, and the SQL
    is the same for every user but for their id. `vendor`: the SQL is the database's own."""
    first, *others = (query.order_by() for query in _ways_of_seeing(role, _ANYONE))
    union = first.union(*others, all=True)
    union.query.clear_ordering(force=True)
    sql, params = union.query.sql_with_params()
    at = tuple(n for n, value in enumerate(params) if value == _ANYONE)
    if len(at) != len(others) + 1:  # each way names the user once, and nothing else is -1
        raise ValueError(f"The {role} union names the user {len(at)} times: {sql}")
    return sql, params, at


def _cases_seen_through(role: str, user_id: int) -> QuerySet[Case]:
    sql, params, at = _union_sql(role, connection.vendor)
    params = tuple(user_id if n in at else value for n, value in enumerate(params))
    # The SQL is Django's own, compiled from the querysets of `_ways_of_seeing`; every value,
    # the user's id too, is a parameter.
    return Case.objects.filter(pk__in=RawSQL(sql, params))  # nosec B611


def cases_visible_to(user: User) -> QuerySet[Case]:
    """Cases whose content this user may read.

    Each way of seeing a case is its own indexed query and the case ids are their union:
    PostgreSQL cannot use an index for "lead is X OR id IN (...)" and reads every case instead
    (hundreds of milliseconds at 100,000 cases), while the union takes under one.
    """
    if not user.is_authenticated or not user.is_active:
        return Case.objects.none()
    if user.role in (Role.LEAD_PRACTITIONER, Role.LINE_MANAGER):
        # A lead practitioner: the cases they lead and those they co-work (a live, approved
        # membership; a co-worker request gives nothing). A line manager: their teams' cases and
        # any they lead.
        return _cases_seen_through(user.role, user.pk)
    # Multi-agency members read only what was shared with them (`assessments_shared_with`);
    # allocated social workers read only what `CaseAction.SOCIAL_WORK` gives them, through
    # their own pages; admins configure the service and see no case content.
    return Case.objects.none()


def practitioner_cases_by_id(practitioner_id: int) -> QuerySet[Case]:
    """`cases_visible_to` an active lead practitioner, by their id alone: for a read compiled once
    (cases/compiled.py), whose caller has checked that the user is one."""
    return _cases_seen_through(Role.LEAD_PRACTITIONER, practitioner_id)


def cases_managed_by(user: User) -> QuerySet[Case]:
    """Cases on which this user holds management responsibility."""
    if not user.is_authenticated or user.role != Role.LINE_MANAGER:
        return Case.objects.none()
    return Case.objects.filter(team__manager=user)


def cases_managed_by_id(manager_id: int) -> QuerySet[Case]:
    """`cases_managed_by` by id alone, for a read compiled once (see `managed_by_id`)."""
    return Case.objects.filter(team__manager_id=manager_id)


def managed_by(user: User, case: str = "case") -> Q:
    """`cases_managed_by` as a condition on a row's case (`case`: the path to it): a join, which
    costs a list of many reads (one per kind of row) less to build than a subquery each."""
    if not user.is_authenticated or user.role != Role.LINE_MANAGER:
        return Q(pk__in=[])
    return managed_by_id(user.pk, case)


def managed_by_id(manager_id: int, case: str = "case") -> Q:
    """`managed_by` for a user already known to be an active line manager, by id alone: for a read
    compiled once a process (`cases.compiled`), whose SQL holds the id as a parameter. The caller
    checks the role first (`is_line_manager`)."""
    return Q(**{f"{case}__team__manager_id": manager_id})


def is_line_manager(user: User) -> bool:
    """Whether `cases_managed_by` and `managed_by` give this user anything at all."""
    return user.is_authenticated and user.role == Role.LINE_MANAGER


def cases_allocated_to(user: User) -> QuerySet[Case]:
    """The cases an allocated social worker is allocated to: a live social-worker membership.

    Both are needed: the role (an admin made them a social worker) and the membership (the case
    team allocated them). A social-worker membership of someone with another role gives nothing,
    and an ended membership gives nothing either.
    """
    if not user.is_authenticated or not user.is_active or user.role != Role.SOCIAL_WORKER:
        return Case.objects.none()
    return Case.objects.filter(pk__in=_live_memberships(user, MembershipRole.SOCIAL_WORKER).values("case_id"))


def cases_sat_on(user: User) -> QuerySet[Case]:
    """The cases a multi-agency member sits on (a live membership): where they may report."""
    if not user.is_authenticated or not user.is_active or user.role != Role.AGENCY_MEMBER:
        return Case.objects.none()
    return Case.objects.filter(pk__in=_live_memberships(user, MembershipRole.AGENCY_MEMBER).values("case_id"))


def is_line_manager_of(user: User, case: Case) -> bool:
    """Whether this user is the case's line manager (the manager of the case's team)."""
    return (
        user.is_authenticated
        and user.is_active
        and user.role == Role.LINE_MANAGER
        and case.team.manager_id == user.pk
    )


def is_allocated_social_worker(user: User, case: Case) -> bool:
    """Whether this user is an allocated social worker of this case (the role and a live membership)."""
    return cases_allocated_to(user).filter(pk=case.pk).exists()


def can_review_hostile_incident(user: User, case: Case) -> bool:
    """The case's line manager or an allocated social worker of it.

    Camden (004, section 7): incidents go "to their line manager" so that managers can "monitor
    the situation and take any necessary action", and "to the allocated social worker who may
    convene a risk management meeting".
    """
    return is_line_manager_of(user, case) or is_allocated_social_worker(user, case)


def can_lift_lone_working_warning(user: User, case: Case) -> bool:
    """Only the case's line manager lifts a lone-working warning."""
    return is_line_manager_of(user, case)


def _cases_for_safety(user: User) -> QuerySet[Case]:
    allocated = cases_allocated_to(user).values("pk")
    return Case.objects.filter(Q(pk__in=cases_visible_to(user).values("pk")) | Q(pk__in=allocated))


def _cases_for_safety_review(user: User) -> QuerySet[Case]:
    allocated = cases_allocated_to(user).values("pk")
    return Case.objects.filter(Q(pk__in=cases_managed_by(user).values("pk")) | Q(pk__in=allocated))


def _scope(user: User, action: CaseAction) -> QuerySet[Case]:
    """The cases on which this user may take this action."""
    if action == CaseAction.MANAGE:
        return cases_managed_by(user)
    if action == CaseAction.SAFETY:
        return _cases_for_safety(user)
    if action == CaseAction.SAFETY_REVIEW:
        return _cases_for_safety_review(user)
    if action == CaseAction.SOCIAL_WORK:
        return cases_allocated_to(user)
    if action == CaseAction.PARTNER_REPORT:
        return cases_sat_on(user)
    return cases_visible_to(user)


def cases_notified_readable(user: User) -> QuerySet[Case]:
    """Cases whose notifications this user may still read: those they see (`VIEW`), those
    allocated to them (`SOCIAL_WORK`) and those they sit on (`PARTNER_REPORT`). A notification
    about a case they no longer work on shows only that there was one (security finding 9)."""
    if not user.is_authenticated or not user.is_active:
        return Case.objects.none()
    allocated = cases_allocated_to(user).values("pk")
    sat_on = cases_sat_on(user).values("pk")
    return Case.objects.filter(
        Q(pk__in=cases_visible_to(user).values("pk")) | Q(pk__in=allocated) | Q(pk__in=sat_on)
    )


def log_notifications_read(request, notifications) -> None:
    """One access-log row for each notification about a case shown with its words, in one query."""
    AccessLogEntry.objects.bulk_create(
        AccessLogEntry(
            user=request.user,
            case_id=notification.case_id,
            what="notification",
            object_id=str(notification.pk),
            path=request.path[:500],
        )
        for notification in notifications
        if notification.case_id is not None and notification.case_readable
    )
    request._access_logged = True


def _told_to_member(user: User, kind: str) -> QuerySet:
    """The records of `kind` shared with this multi-agency member, on cases where they still sit."""
    shared = contributions.shared_records(kind)
    if not user.is_authenticated or not user.is_active or user.role != Role.AGENCY_MEMBER:
        return shared.records.none()
    live_cases = _live_memberships(user, MembershipRole.AGENCY_MEMBER).values("case_id")
    return shared.records.filter(**{shared.member: user, f"{shared.case}__in": live_cases})


def assessments_shared_with(user: User) -> QuerySet:
    """Assessments shared with a multi-agency member, on cases where they still sit. Nothing else.

    A member whose place on the case has ended loses sight of what was shared with them.
    """
    return _told_to_member(user, contributions.SHARED_ASSESSMENTS)


def decision_shares_with(user: User) -> QuerySet:
    """The decisions told to a multi-agency member (their shares), on cases where they still sit.

    A member sees a decision's outcome, date and what happens next; nothing else of the case.
    """
    return _told_to_member(user, contributions.SHARED_DECISIONS)


def cases_named_to(user: User) -> QuerySet[Case]:
    """Cases whose family name the user's notifications show, in the service only (mail never
    carries it). A multi-agency member knows a family by name once its assessment, or a decision,
    has been shared with them, on a case where they still sit (the shared list shows the name
    too); anyone else, on the cases whose notifications they may read."""
    if not user.is_authenticated or user.role != Role.AGENCY_MEMBER:
        return cases_notified_readable(user)
    told = Q(pk__in=[])
    for kind in (contributions.SHARED_ASSESSMENTS, contributions.SHARED_DECISIONS):
        told |= Q(pk__in=_told_to_member(user, kind).values(contributions.shared_records(kind).case))
    return Case.objects.filter(told)


def assessments_for_social_worker(user: User) -> QuerySet:
    """The signed versions of the assessments of the cases this social worker is allocated to.

    Signed, whether or not the lead practitioner has shared them with the multi-agency meeting
    yet: a share is a copy sent to a member with a deadline to read it, while the social worker
    holds the case with the case team. Drafts, and assessments waiting for sign-off, stay with
    the case team (docs/roles.md).
    """
    shared = contributions.shared_records(contributions.SIGNED_ASSESSMENTS)
    return shared.records.filter(**{f"{shared.case}__in": cases_allocated_to(user)})


def can(user: User, action: CaseAction, case: Case) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if action == CaseAction.MANAGE:
        return user.role == Role.LINE_MANAGER and case.team.manager_id == user.pk
    if action == CaseAction.SAFETY_REVIEW:
        return can_review_hostile_incident(user, case)
    if action == CaseAction.SAFETY:
        return cases_visible_to(user).filter(pk=case.pk).exists() or is_allocated_social_worker(user, case)
    return _scope(user, action).filter(pk=case.pk).exists()


def case_for(user: User, pk, action: CaseAction = CaseAction.VIEW, *, request=None, read=None) -> Case:
    """The case, if this user may take this action on it; otherwise 404.

    Given the request, a refusal of a case that does exist is logged (see `log_denied`).
    `read(cases)`: what a page reads with the case (joins, annotations, prefetches), added to the
    same query as the check, so that the page need not read the case a second time.
    """
    scope = _scope(user, action).select_related("team", "lead_practitioner")
    if read is not None:
        scope = read(scope)
    try:
        return scope.get(pk=pk)
    except (Case.DoesNotExist, ValueError, TypeError):
        if request is not None:
            log_denied(request, case_pk=pk, what=f"case ({action})")
        raise Http404("No such case") from None


def has_role(user: User, *roles: str) -> bool:
    return user.is_authenticated and user.is_active and user.role in roles


def require_role(user: User, *roles: str, request=None) -> None:
    if not has_role(user, *roles):
        if request is not None and user.is_authenticated:
            audit.access_denied(request, what="page for another role", object_id=request.path[:200])
            request._denial_logged = True
        raise Http404("Not found")


def log_access(request, *, case: Case | None, what: str, object_id="") -> None:
    """Record a view of case content (who, what, when)."""
    AccessLogEntry.objects.create(
        user=request.user, case=case, what=what, object_id=str(object_id), path=request.path[:500]
    )
    # The page has logged what it showed: `case_view` then adds no second, vaguer row.
    request._access_logged = True


def log_denied(request, *, case_pk, what: str) -> None:
    """A signed-in user asked for a case that exists and was refused: log it, answer 404 alike.

    A case that does not exist is logged to the security log only: there is nothing to link to.
    """
    user = request.user
    if not user.is_authenticated:
        return
    audit.access_denied(request, what=what, object_id=case_pk)
    request._denial_logged = True
    try:
        case = Case.objects.filter(pk=case_pk).only("pk").first()
    except (ValueError, TypeError):
        case = None
    if case is not None:
        AccessLogEntry.objects.create(
            user=user, case=case, what=what[:100], path=request.path[:500], denied=True
        )


def _login_or_continue(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return None


def case_view(action: CaseAction = CaseAction.VIEW, *, what: str | None = None, read=None):
    """Decorate a view taking `case_pk`: it receives `case` instead, checked and logged.

    Every response that shows the page (a 200), whatever its method, writes one access-log row:
    forms show case content too, and a POST answered with the form and its errors shows it again.
    A view that logs more precisely itself (a document download) is not logged twice.
    `read`: what the view reads with the case, in the check's own query (see `case_for`).
    """

    def decorator(view):
        label = what or view.__name__.replace("_", " ")

        @wraps(view)
        def wrapper(request, *args, case_pk, **kwargs):
            if (response := _login_or_continue(request)) is not None:
                return response
            case = case_for(request.user, case_pk, action, request=request, read=read)
            response = view(request, *args, case=case, **kwargs)
            if response.status_code == 200 and not getattr(request, "_access_logged", False):
                log_access(request, case=case, what=label, object_id=kwargs.get("pk", case.pk))
            return response

        return wrapper

    return decorator


def role_view(*roles: str):
    """Decorate a view open only to these roles; anyone else gets 404, the anonymous a login."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if (response := _login_or_continue(request)) is not None:
                return response
            require_role(request.user, *roles, request=request)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def case_page_permissions(user: User, case: Case) -> dict[str, bool]:
    """What the person on a case's page may do there, as flags the templates read (no query).

    For a person already allowed to VIEW the case: WORK has the same scope, so they may work on
    it while it is open; MANAGE is the case's line manager's.
    """
    return {"can_work": case.is_open, "can_manage": can(user, CaseAction.MANAGE, case)}
