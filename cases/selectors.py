"""Every read of the case record, scoped to the user asking."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from . import contributions
from .access import cases_visible_to
from .compiled import compiled_objects
from .models import (
    OPEN_STATUSES,
    Agency,
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
    """The case page's read of the case, added to the access check's query (`case_view(read=...)`),
    so the case is read once: the case with its team's manager. Its people and members:
    `case_page_people`; what the apps above show: `contributions.case_page_context_add`."""
    return cases.select_related("team__manager", "lead_practitioner")


# The case page's reads of the family and of who works with it, compiled once a process
# (cases/compiled.py): read through prefetches, building and compiling their five queries cost
# more than a quarter of the page, for a family of three or four and one or two members.
@compiled_objects
def _people(*, case: int):
    return Person.objects.filter(case_id=case).order_by("kind", "full_name", "pk")


@compiled_objects
def _relationships(*, case: int):
    return Relationship.objects.filter(adult__case_id=case).order_by("child__full_name", "pk")


@compiled_objects
def _live_memberships(*, case: int):
    return CaseMembership.objects.filter(case_id=case, ended_at__isnull=True).order_by(
        "role", "user__full_name", "pk"
    )


@compiled_objects
def _live_members(*, case: int):
    return User.objects.filter(case_memberships__case_id=case, case_memberships__ended_at__isnull=True)


@compiled_objects
def _live_members_agencies(*, case: int):
    return Agency.objects.filter(
        members__case_memberships__case_id=case, members__case_memberships__ended_at__isnull=True
    )


@dataclass(frozen=True)
class CasePagePeople:
    """The family, each adult with `listed_relationships` (to children, by the child's name), and
    the live memberships, each with its user and the user's agency."""

    people: list[Person]
    memberships: list[CaseMembership]


def case_page_people(case: Case) -> CasePagePeople:
    """The case's people and live members for its page: five queries, whatever their number."""
    people = _people(case=case.pk)
    by_id = {person.pk: person for person in people}
    for person in people:
        person.listed_relationships = []
    for relationship in _relationships(case=case.pk):
        # Both are the case's own people, read above.
        relationship.adult = adult = by_id[relationship.adult_id]
        relationship.child = by_id[relationship.child_id]
        adult.listed_relationships.append(relationship)
    memberships = _live_memberships(case=case.pk)
    users = {user.pk: user for user in _live_members(case=case.pk)}
    agencies = {agency.pk: agency for agency in _live_members_agencies(case=case.pk)}
    for user in users.values():
        user.agency = agencies.get(user.agency_id)
    for membership in memberships:
        membership.user = users[membership.user_id]
    return CasePagePeople(people=people, memberships=memberships)


def case_page_top(people: list[Person]) -> dict:
    """What the top of the case page shows beside what is owed next, from the people already read
    (no query): the adults to call (tap-to-call), and the flags a practitioner must see before
    making contact (domestic abuse, an interpreter)."""
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
