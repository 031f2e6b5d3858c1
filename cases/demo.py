"""Demo data for the case record: the demo logins, teams, agencies and realistic families.

`manage.py seed_demo` calls each app's `demo.seed(demo)` in turn (cases first); each app adds
what newcomers should see of it. Running it twice adds nothing the second time.

Built from plain values: the family's people and the school's membership go through the case
services, as a practitioner would add them. The case itself is created as a record, not opened
with `case_open`: opening announces `case_opened`, which would start each flow chart before the
engagement demo has recorded the attempts the flow chart demo starts it on. Users, teams and
agencies have no service (admins make them in the admin), so they are made as the admin does.
"""

import datetime as dt
from types import SimpleNamespace

from django.utils import timezone

from cases.calendar import Calendar
from cases.history import create_with_history
from cases.models import (
    Agency,
    AgencyKind,
    Case,
    ContactMethod,
    MembershipRole,
    PersonKind,
    ReferralSource,
    RelationshipKind,
    Role,
    Team,
    User,
)
from cases.services import (
    case_episode_codes_record,
    membership_add,
    person_add,
    person_returns_details_record,
    user_admin_group_set,
)

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


SCHOOL = "Oakfield Primary School"
REFERRAL_REASON = "Attendance has fallen to 70% and the children arrive hungry."
# What the returns need about each child (insight/returns), as sex and DfE ethnicity code. Lily
# Campbell's are not recorded yet, so the demo's returns show a row to put right.
RETURNS_DETAILS = {
    "Chidi Okafor": ("M", "BAFR"),
    "Ada Okafor": ("F", "BAFR"),
    "Mia Taylor": ("F", "WBRI"),
    "Zofia Nowak": ("F", "WOTH"),
    "Ayaan Hussain": ("M", "APKN"),
    "Sara Hussain": ("F", "APKN"),
    "Connor Walsh": ("M", "WIRI"),
    "Ffion Evans": ("F", "WBRI"),
    "Aisha Begum": ("F", "ABAN"),
    "Jack Campbell": ("M", "NOBT"),
}
# The referral reason of each family, in the primary need codes the returns use, taken in turn.
REFERRAL_REASON_CODES = ["N4", "N5", "N1", "N4", "N1", "N3", "N7", "N8"]

# Who made each referral, taken in turn. Phone numbers are in Ofcom's ranges kept for drama.
REFERRERS = [
    ("Helen Carter", "01632 960018"),
    ("Mark Ellis", "01632 960245"),
    ("Joanne Price", "01632 960377"),
]
JOB_TITLES = {
    Role.LEAD_PRACTITIONER: "Family support worker",
    Role.LINE_MANAGER: "Early help team manager",
    Role.AGENCY_MEMBER: "Designated safeguarding lead",
    Role.ADMIN: "",
    Role.PERFORMANCE: "Performance and intelligence officer",
    Role.INFORMATION_GOVERNANCE: "Information governance officer",
}


def _user(email: str, full_name: str, role: str, **details) -> User:
    """The demo login, made once; its password is put back to the published one on every run."""
    user, _ = User.objects.get_or_create(
        email=email,
        defaults={
            "full_name": full_name,
            "role": role,
            "job_title": JOB_TITLES[role],
            **details,
        },
    )
    user.set_password(DEMO_PASSWORD)
    user.save()
    return user


def _team(name: str, manager: User) -> Team:
    team, _ = Team.objects.get_or_create(name=name, defaults={"manager": manager})
    manager.team = team
    manager.save()
    return team


def _agency(name: str, kind: str) -> Agency:
    return Agency.objects.get_or_create(name=name, defaults={"kind": kind})[0]


def seed(demo: SimpleNamespace) -> None:
    manager = _user("manager@demo.local", "Morgan Manager", Role.LINE_MANAGER)
    north = _team("North Early Help Team", manager)
    manager2 = _user("manager2@demo.local", "Sam Supervisor", Role.LINE_MANAGER)
    south = _team("South Early Help Team", manager2)
    practitioner = _user("practitioner@demo.local", "Priya Patel", Role.LEAD_PRACTITIONER, team=north)
    practitioner2 = _user("practitioner2@demo.local", "Tom Reid", Role.LEAD_PRACTITIONER, team=south)
    school = _agency(SCHOOL, AgencyKind.SCHOOL)
    _agency("Northshire Community Health", AgencyKind.HEALTH)
    _agency("Northshire Police", AgencyKind.POLICE)
    agency = _user("agency@demo.local", "Alex Adeyemi", Role.AGENCY_MEMBER, agency=school)
    admin = _user("admin@demo.local", "Ash Admin", Role.ADMIN, is_staff=True)
    user_admin_group_set(user=admin)
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
    phones = (f"07700 900{n:03d}" for n in range(1, 100))
    for index, (family, days_ago, children, adults) in enumerate(FAMILIES):
        lead = practitioner if index % 4 != 3 else practitioner2
        referral_date = calendar.add(today, -days_ago) if days_ago else today
        referrer_name, referrer_contact = REFERRERS[index % len(REFERRERS)]
        case = create_with_history(
            Case,
            by=lead,
            reference=f"EF{referral_date.year}-{index + 1:05d}",
            family_name=family,
            referral_date=referral_date,
            referral_source=ReferralSource.SCHOOL,
            referrer_name=referrer_name,
            referrer_organisation=SCHOOL,
            referrer_contact=referrer_contact,
            referral_reason=REFERRAL_REASON,
            threshold_level=3 if index % 3 else 2,
            is_step_down=index == 5,
            social_worker_name="Jo Bennett" if index == 5 else "",
            team_id=lead.team_id,
            lead_practitioner=lead,
            opened_by=lead,
        )
        kids = [
            person_add(
                case=case,
                by=lead,
                kind=PersonKind.CHILD,
                full_name=name,
                date_of_birth=today - dt.timedelta(days=365 * age + 40),
                school=SCHOOL,
            )
            for name, age in children
        ]
        for kid in kids:
            if kid.full_name in RETURNS_DETAILS:
                sex, ethnicity = RETURNS_DETAILS[kid.full_name]
                person_returns_details_record(person=kid, by=lead, sex=sex, ethnicity=ethnicity)
        case_episode_codes_record(
            case=case, by=lead, referral_reason_code=REFERRAL_REASON_CODES[index % 8], end_reason_code=""
        )
        for name, relationship, lives_in in adults:
            person_add(
                case=case,
                by=lead,
                kind=PersonKind.ADULT,
                full_name=name,
                lives_in_household=lives_in,
                domestic_abuse_concern=family == "Walsh family" and relationship == RelationshipKind.MOTHER,
                phone=next(phones),
                preferred_contact_method=ContactMethod.TEXT,
                relationships=dict.fromkeys(kids, relationship),
            )
        if lead == practitioner and index % 2 == 0:
            membership_add(
                case=case,
                by=lead,
                user=agency,
                role=MembershipRole.AGENCY_MEMBER,
                agency_role="Designated safeguarding lead",
            )
        demo.cases.append(case)
    # Checked with raise, not assert: an assert vanishes under `python -O`.
    if not all(c.people.filter(kind=PersonKind.CHILD).exists() for c in demo.cases):
        raise RuntimeError("Every demo case needs a child")
    if practitioner.role != Role.LEAD_PRACTITIONER:
        raise RuntimeError("The demo practitioner must be a lead practitioner")
