"""The one place that says who may see or do what.

Every view asks here. A denied object answers exactly like a missing one (404), so nobody can
learn that a case exists by being refused it.
"""

from enum import StrEnum
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.db.models import Q, QuerySet
from django.http import Http404

from .models import AccessLogEntry, Case, CaseMembership, MembershipRole, Role, User


class CaseAction(StrEnum):
    VIEW = "view"  # read the case and everything recorded on it
    WORK = "work"  # record attempts, edit the case, draft assessments
    MANAGE = "manage"  # oversight, sign-off, decisions, reassignment, edit history


def _live_memberships(user: User, role: str) -> QuerySet[CaseMembership]:
    return CaseMembership.objects.filter(user=user, role=role, ended_at__isnull=True)


def cases_visible_to(user: User) -> QuerySet[Case]:
    """Cases whose content this user may read."""
    if not user.is_authenticated or not user.is_active:
        return Case.objects.none()
    if user.role == Role.LEAD_PRACTITIONER:
        co_worked = _live_memberships(user, MembershipRole.CO_WORKER).values("case_id")
        return Case.objects.filter(Q(lead_practitioner=user) | Q(pk__in=co_worked))
    if user.role == Role.LINE_MANAGER:
        return Case.objects.filter(Q(team__manager=user) | Q(lead_practitioner=user))
    # Multi-agency members read only the assessments shared with them (see riskassessment);
    # admins configure the service and see no case content.
    return Case.objects.none()


def cases_managed_by(user: User) -> QuerySet[Case]:
    """Cases on which this user holds management responsibility."""
    if not user.is_authenticated or user.role != Role.LINE_MANAGER:
        return Case.objects.none()
    return Case.objects.filter(team__manager=user)


def assessments_shared_with(user: User):
    """Assessments shared with a multi-agency member, on cases where they still sit. Nothing else.

    A member whose place on the case has ended loses sight of what was shared with them.
    """
    from riskassessment.models import Assessment

    if not user.is_authenticated or not user.is_active or user.role != Role.AGENCY_MEMBER:
        return Assessment.objects.none()
    live_cases = _live_memberships(user, MembershipRole.AGENCY_MEMBER).values("case_id")
    return Assessment.objects.filter(shares__member=user, case_id__in=live_cases)


def can(user: User, action: CaseAction, case: Case) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if action == CaseAction.MANAGE:
        return user.role == Role.LINE_MANAGER and case.team.manager_id == user.pk
    return cases_visible_to(user).filter(pk=case.pk).exists()


def case_for(user: User, pk, action: CaseAction = CaseAction.VIEW) -> Case:
    """The case, if this user may take this action on it; otherwise 404."""
    scope = cases_managed_by(user) if action == CaseAction.MANAGE else cases_visible_to(user)
    try:
        return scope.select_related("team", "lead_practitioner").get(pk=pk)
    except (Case.DoesNotExist, ValueError, TypeError):
        raise Http404("No such case") from None


def has_role(user: User, *roles: str) -> bool:
    return user.is_authenticated and user.is_active and user.role in roles


def require_role(user: User, *roles: str) -> None:
    if not has_role(user, *roles):
        raise Http404("Not found")


def log_access(request, *, case: Case | None, what: str, object_id="") -> None:
    """Record a view of case content (who, what, when)."""
    AccessLogEntry.objects.create(
        user=request.user, case=case, what=what, object_id=str(object_id), path=request.path[:500]
    )


def _login_or_continue(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return None


def case_view(action: CaseAction = CaseAction.VIEW, *, what: str | None = None):
    """Decorate a view taking `case_pk`: it receives `case` instead, checked and, on GET, logged."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, case_pk, **kwargs):
            if (response := _login_or_continue(request)) is not None:
                return response
            case = case_for(request.user, case_pk, action)
            if request.method == "GET" and what:
                log_access(request, case=case, what=what, object_id=kwargs.get("pk", case.pk))
            return view(request, *args, case=case, **kwargs)

        return wrapper

    return decorator


def role_view(*roles: str):
    """Decorate a view open only to these roles; anyone else gets 404, the anonymous a login."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if (response := _login_or_continue(request)) is not None:
                return response
            require_role(request.user, *roles)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
