"""What the returns need about a person never leaves in an email or a notification.

Issue 22: sensitive fields are "recorded, shown only where needed, logged when read, covered by
retention; never in emails or notifications". The reminders, escalations and requests of a
fortnight's work on a family whose child has every one of them recorded carry none.
"""

from django.core import mail

from cases import services as case_services
from cases.models import SENSITIVE_FIELDS, Ethnicity, MembershipRole
from cases.notifications import Notification
from tests.factories import ChildFactory, EpisodeFactory, ManagerFactory, PractitionerFactory, TeamFactory

from .conftest import at

UPN = "A123456789012"
NHS = "9434765919"


def test_no_notification_or_email_carries_a_sensitive_field(family, walk):
    child = ChildFactory(case=family.case, full_name="Amara Adeyemi")
    case_services.person_returns_details_record(
        person=child,
        by=family.lead,
        sex="F",
        gender="I",
        ethnicity="BAFR",
        disability="yes",
        upn=UPN,
        nhs_number=NHS,
    )
    assert set(SENSITIVE_FIELDS) == {"sex", "gender", "ethnicity", "disability", "upn", "nhs_number"}
    walk.to(at(walk.day(1), 9))
    EpisodeFactory(case=family.case)
    # A co-worker from another team asks to join: the manager is asked, then the answer sent.
    other_team = TeamFactory(name="South", manager=ManagerFactory())
    with walk.committed():
        membership = case_services.membership_add(
            case=family.case,
            by=family.lead,
            user=PractitionerFactory(team=other_team),
            role=MembershipRole.CO_WORKER,
        )
    with walk.committed():
        case_services.membership_decide(membership=membership, by=family.manager, approve=True)
    for day in range(1, 17):  # a fortnight of reminders and escalations, nothing done
        walk.to(at(walk.day(day), 9))
        walk.sweep()

    told = [f"{n.subject}\n{n.body}" for n in Notification.objects.all()]
    told += [f"{m.subject}\n{m.body}" for m in mail.outbox]
    assert len(told) > 5, told  # the fortnight was told about, at length
    said = "\n".join(told)
    child.refresh_from_db()
    assert child.upn == UPN and child.nhs_number == NHS
    for value in (
        UPN,
        NHS,
        "943 476 5919",
        "BAFR",
        Ethnicity.BAFR.label,
        "African",
        "non-binary",
        "Disability",
    ):
        assert value not in said, value
