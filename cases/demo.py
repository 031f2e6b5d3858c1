"""Demo data for the case record: the demo logins, teams, agencies and realistic families.

`manage.py seed_demo` calls each app's `demo.seed(demo)` in turn (cases first); each app adds
what newcomers should see of it. Running it twice adds nothing the second time.
"""

import datetime as dt
from types import SimpleNamespace

from django.utils import timezone

from cases.calendar import Calendar
from cases.models import AgencyKind, Case, MembershipRole, PersonKind, Relationship, RelationshipKind, Role

# The demo logins' password is published in the README on purpose; seed_demo refuses to run
# under production settings (DEMO_DATA_ALLOWED), so it never guards a real account.
DEMO_PASSWORD = "Demo-2026-password"  # nosec B105
DEMO_LOGINS = [
    ("practitioner@demo.local", "Lead practitioner, North Early Help Team"),
    ("practitioner2@demo.local", "Lead practitioner, South Early Help Team"),
    ("manager@demo.local", "Line manager, North Early Help Team"),
    ("agency@demo.local", "Multi-agency member, Oakfield Primary School"),
    ("admin@demo.local", "Admin (configuration)"),
]

# (family, working days since referral, children, adults)
FAMILIES = [
    (
        "Okafor family",
        0,
        [("Chidi Okafor", 7), ("Ada Okafor", 4)],
        [("Grace Okafor", RelationshipKind.MOTHER, True)],
    ),
    (
        "Taylor family",
        2,
        [("Mia Taylor", 9)],
        [
            ("Kelly Taylor", RelationshipKind.MOTHER, True),
            ("Dean Taylor", RelationshipKind.FATHER, False),
        ],
    ),
    ("Nowak family", 4, [("Zofia Nowak", 11)], [("Anna Nowak", RelationshipKind.MOTHER, True)]),
    (
        "Hussain family",
        6,
        [("Ayaan Hussain", 3), ("Sara Hussain", 13)],
        [
            ("Farah Hussain", RelationshipKind.MOTHER, True),
            ("Imran Hussain", RelationshipKind.FATHER, True),
        ],
    ),
    (
        "Walsh family",
        9,
        [("Connor Walsh", 14)],
        [
            ("Siobhan Walsh", RelationshipKind.MOTHER, True),
            ("Lee Parker", RelationshipKind.PARTNER, True),
        ],
    ),
    ("Evans family", 12, [("Ffion Evans", 6)], [("Rhys Evans", RelationshipKind.FATHER, True)]),
    ("Begum family", 16, [("Aisha Begum", 8)], [("Rukhsana Begum", RelationshipKind.MOTHER, True)]),
    (
        "Campbell family",
        20,
        [("Jack Campbell", 5), ("Lily Campbell", 2)],
        [("Morag Campbell", RelationshipKind.GRANDPARENT, True)],
    ),
]


def seed(demo: SimpleNamespace) -> None:
    from tests.factories.cases import (
        AdminFactory,
        AdultFactory,
        AgencyFactory,
        AgencyMemberFactory,
        CaseFactory,
        CaseMembershipFactory,
        ChildFactory,
        ManagerFactory,
        PractitionerFactory,
        TeamFactory,
    )

    manager = ManagerFactory(email="manager@demo.local", full_name="Morgan Manager")
    north = TeamFactory(name="North Early Help Team", manager=manager)
    manager.team = north
    manager.save()
    manager2 = ManagerFactory(email="manager2@demo.local", full_name="Sam Supervisor")
    south = TeamFactory(name="South Early Help Team", manager=manager2)
    manager2.team = south
    manager2.save()
    practitioner = PractitionerFactory(email="practitioner@demo.local", full_name="Priya Patel", team=north)
    practitioner2 = PractitionerFactory(email="practitioner2@demo.local", full_name="Tom Reid", team=south)
    school = AgencyFactory(name="Oakfield Primary School", kind=AgencyKind.SCHOOL)
    AgencyFactory(name="Northshire Community Health", kind=AgencyKind.HEALTH)
    AgencyFactory(name="Northshire Police", kind=AgencyKind.POLICE)
    agency = AgencyMemberFactory(email="agency@demo.local", full_name="Alex Adeyemi", agency=school)
    admin = AdminFactory(email="admin@demo.local", full_name="Ash Admin")
    demo.users = SimpleNamespace(
        practitioner=practitioner,
        practitioner2=practitioner2,
        manager=manager,
        manager2=manager2,
        agency=agency,
        admin=admin,
    )
    demo.cases = []
    today = timezone.localdate()
    if Case.objects.filter(lead_practitioner__in=[practitioner, practitioner2]).exists():
        demo.cases = list(
            Case.objects.filter(lead_practitioner__in=[practitioner, practitioner2]).order_by("id")
        )
        demo.already_seeded = True
        return
    demo.already_seeded = False
    calendar = Calendar(working_days=True)
    for index, (family, days_ago, children, adults) in enumerate(FAMILIES):
        lead = practitioner if index % 4 != 3 else practitioner2
        case = CaseFactory(
            family_name=family,
            lead_practitioner=lead,
            referral_date=calendar.add(today, -days_ago) if days_ago else today,
            threshold_level=3 if index % 3 else 2,
            is_step_down=index == 5,
            social_worker_name="Jo Bennett" if index == 5 else "",
        )
        kids = [
            ChildFactory(case=case, full_name=name, date_of_birth=today - dt.timedelta(days=365 * age + 40))
            for name, age in children
        ]
        for name, relationship, lives_in in adults:
            adult = AdultFactory(
                case=case,
                full_name=name,
                lives_in_household=lives_in,
                domestic_abuse_concern=family == "Walsh family" and relationship == RelationshipKind.MOTHER,
            )
            for kid in kids:
                Relationship.objects.create(adult=adult, child=kid, kind=relationship)
        if lead == practitioner and index % 2 == 0:
            CaseMembershipFactory(case=case, user=agency, role=MembershipRole.AGENCY_MEMBER)
        demo.cases.append(case)
    # Checked with raise, not assert: an assert vanishes under `python -O`.
    if not all(c.people.filter(kind=PersonKind.CHILD).exists() for c in demo.cases):
        raise RuntimeError("Every demo case needs a child")
    if practitioner.role != Role.LEAD_PRACTITIONER:
        raise RuntimeError("The demo practitioner must be a lead practitioner")
