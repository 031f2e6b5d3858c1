import datetime as dt

import factory
from django.utils import timezone

from cases.models import (
    Agency,
    AgencyKind,
    Case,
    CaseMembership,
    MembershipRole,
    Person,
    PersonKind,
    ReferralSource,
    Relationship,
    RelationshipKind,
    Role,
    Team,
    User,
)
from cases.services import user_admin_group_set

factory.Faker._DEFAULT_LOCALE = "en_GB"
PASSWORD = "Demo-2026-password"


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Early Help Team {n}")


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Oakfield Primary School {n}")
    kind = AgencyKind.SCHOOL


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.test")
    full_name = factory.Faker("name")
    role = Role.LEAD_PRACTITIONER
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class PractitionerFactory(UserFactory):
    role = Role.LEAD_PRACTITIONER
    job_title = "Family support worker"
    team = factory.SubFactory(TeamFactory)


class ManagerFactory(UserFactory):
    role = Role.LINE_MANAGER
    job_title = "Early help team manager"


class AgencyMemberFactory(UserFactory):
    role = Role.AGENCY_MEMBER
    agency = factory.SubFactory(AgencyFactory)
    job_title = "Designated safeguarding lead"


class SocialWorkerFactory(UserFactory):
    role = Role.SOCIAL_WORKER
    job_title = "Allocated social worker"


class PerformanceOfficerFactory(UserFactory):
    role = Role.PERFORMANCE
    job_title = "Performance and intelligence officer"


class InformationGovernanceFactory(UserFactory):
    role = Role.INFORMATION_GOVERNANCE
    job_title = "Information governance officer"


class AdminFactory(UserFactory):
    role = Role.ADMIN
    is_staff = True

    @factory.post_generation
    def admins_group(obj, create, extracted, **kwargs):
        if create:
            user_admin_group_set(user=obj)


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    class Params:
        surname = factory.Faker("last_name")

    reference = factory.Sequence(lambda n: f"EF2026-{n + 1:05d}")
    family_name = factory.LazyAttribute(lambda o: f"{o.surname} family")
    referral_date = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=3))
    referral_source = ReferralSource.SCHOOL
    referrer_name = factory.Faker("name")
    referrer_organisation = "Oakfield Primary School"
    referrer_contact = factory.Faker("phone_number")
    referral_reason = "Attendance has fallen to 70% and the children arrive hungry."
    threshold_level = 3
    lead_practitioner = factory.SubFactory(PractitionerFactory)
    team = factory.LazyAttribute(lambda o: o.lead_practitioner.team)
    opened_by = factory.LazyAttribute(lambda o: o.lead_practitioner)


class ChildFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    case = factory.SubFactory(CaseFactory)
    kind = PersonKind.CHILD
    full_name = factory.Faker("first_name")
    date_of_birth = factory.Faker("date_of_birth", minimum_age=1, maximum_age=15)
    school = "Oakfield Primary School"


class AdultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    case = factory.SubFactory(CaseFactory)
    kind = PersonKind.ADULT
    full_name = factory.Faker("name")
    phone = factory.Faker("phone_number")
    preferred_contact_method = "text"


class RelationshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Relationship

    adult = factory.SubFactory(AdultFactory)
    child = factory.SubFactory(ChildFactory, case=factory.SelfAttribute("..adult.case"))
    kind = RelationshipKind.MOTHER


def parent_of(case, kind: str = RelationshipKind.MOTHER, **adult) -> Person:
    """An adult of the case related to one of its children (a new child unless it has one)."""
    child = case.people.filter(kind=PersonKind.CHILD).first() or ChildFactory(case=case)
    person = AdultFactory(case=case, **adult)
    RelationshipFactory(adult=person, child=child, kind=kind)
    return person


class CaseMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseMembership

    case = factory.SubFactory(CaseFactory)
    user = factory.SubFactory(AgencyMemberFactory)
    role = MembershipRole.AGENCY_MEMBER
    agency_role = "Designated safeguarding lead"
    added_by = factory.LazyAttribute(lambda o: o.case.lead_practitioner)


class SocialWorkerMembershipFactory(CaseMembershipFactory):
    """An allocated social worker on a case (a live social-worker membership)."""

    user = factory.SubFactory(SocialWorkerFactory)
    role = MembershipRole.SOCIAL_WORKER
    agency_role = "Allocated social worker"
