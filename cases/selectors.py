"""Every read of the case record, scoped to the user asking."""

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from . import contributions
from .access import cases_visible_to
from .models import (
    OPEN_STATUSES,
    Case,
    CaseMembership,
    MembershipRole,
    MembershipStatus,
    Person,
    PersonKind,
    Relationship,
    Role,
    User,
)


def my_cases(user: User, *, include_closed: bool = False) -> QuerySet[Case]:
    """The cases a user works on, with what the list page shows, in one query.

    Each row carries `children_count` and the columns the apps above add as annotations
    (`contributions.case_list_annotation_add`): engagement's `last_attempt_at`,
    `last_attempt_outcome` and `lone_working_incident_at`. Add further columns as annotations so
    the page stays at one query however many cases there are.
    """
    qs = cases_visible_to(user).select_related("lead_practitioner", "team")
    if not include_closed:
        qs = qs.filter(status__in=OPEN_STATUSES)
    return qs.annotate(
        children_count=Count("people", filter=Q(people__kind="child"), distinct=True),
        **contributions.case_list_annotations(),
    ).order_by("referral_date", "id")


def case_detail(cases: QuerySet[Case]) -> QuerySet[Case]:
    """The case page's read, added to the access check's query (`case_view(read=...)`), so the
    case is read once: the case with its team's manager, its people (and each adult's
    relationships), its live members, and what the apps above annotate it with
    (`contributions.case_page_annotation_add`): engagement's latest incident under its
    lone-working warning (`lone_working_incident_at`)."""
    relationships = Relationship.objects.select_related("child").order_by("child__full_name")
    people = Person.objects.order_by("kind", "full_name").prefetch_related(
        Prefetch("relationships", queryset=relationships)
    )
    memberships = CaseMembership.objects.filter(ended_at__isnull=True).select_related(
        "user__agency", "user__team"
    )
    return (
        cases.annotate(**contributions.case_page_annotations())
        .select_related("team__manager", "lead_practitioner")
        .prefetch_related(
            Prefetch("people", queryset=people),
            Prefetch(
                "memberships",
                queryset=memberships.order_by("role", "user__full_name"),
                to_attr="live_members",
            ),
        )
    )


def case_page_top(case: Case) -> dict:
    """What the top of the case page shows beside what is owed next, from the people
    `case_detail` already read (no query): the adults to call (tap-to-call), and the flags a
    practitioner must see before making contact (domestic abuse, an interpreter)."""
    people = list(case.people.all())
    return {
        "contacts": [p for p in people if p.kind == PersonKind.ADULT and p.phone],
        "flags": {
            "domestic_abuse": any(p.domestic_abuse_concern for p in people),
            "interpreter": any(p.needs_interpreter for p in people),
        },
    }


def person_on_case(case: Case, pk) -> Person:
    """One member of this case's family, or 404."""
    try:
        return Person.objects.get(case=case, pk=pk)
    except (Person.DoesNotExist, ValueError, TypeError):
        raise Http404("No such person") from None


def membership_on_case(case: Case, pk) -> CaseMembership:
    """One membership of this case, or 404."""
    try:
        return CaseMembership.objects.select_related("user").get(case=case, pk=pk)
    except (CaseMembership.DoesNotExist, ValueError, TypeError):
        raise Http404("No such member") from None


def allocated_social_workers(case: Case) -> list[User]:
    """The case's allocated social workers: active users with the role and a live membership.

    Whoever is told of non-engagement or a hostile incident "and the allocated social worker"
    (Camden 004) is told through this list; each person appears once.
    """
    return list(
        User.objects.filter(
            role=Role.SOCIAL_WORKER,
            is_active=True,
            case_memberships__case=case,
            case_memberships__role=MembershipRole.SOCIAL_WORKER,
            case_memberships__ended_at__isnull=True,
        )
        .distinct()
        .order_by("full_name", "pk")
    )


def open_cases_led_count(user: User) -> int:
    """How many open cases the user leads: they must be reassigned before the user stops leading."""
    return user.led_cases.filter(status__in=OPEN_STATUSES).count()


def co_worker_requests_for(manager: User) -> list[CaseMembership]:
    """Co-workers from another team waiting for this manager's approval, on their teams' open cases."""
    return list(
        CaseMembership.objects.filter(
            status=MembershipStatus.REQUESTED,
            ended_at__isnull=True,
            case__team__manager=manager,
            case__status__in=OPEN_STATUSES,
        )
        .select_related("case", "user__team", "added_by")
        .order_by("added_at", "pk")
    )
