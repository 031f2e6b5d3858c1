"""Supporting Families needs, and the evidence a claim rests on, made without the services."""

import datetime as dt
import hashlib
import itertools

import factory
from django.utils import timezone

from cases.models import CaseStatus, Document, DocumentKind
from engagement.documents.models import Agreement, AgreementStatus
from engagement.supporting_families.models import ClosureOutcome, FamilyNeed, Sustained

from .cases import CaseFactory

_documents = itertools.count(1)


class FamilyNeedFactory(factory.django.DjangoModelFactory):
    """A live need; `met=True` gives it an outcome achieved at closure and sustained six months on."""

    class Meta:
        model = FamilyNeed

    case = factory.SubFactory(CaseFactory)
    headline = "education"
    identified_by = factory.LazyAttribute(lambda o: o.case.lead_practitioner)
    identified_at = factory.LazyFunction(timezone.now)

    class Params:
        achieved = factory.Trait(
            outcome=ClosureOutcome.ACHIEVED,
            outcome_evidence="Attendance above 95% for the last term.",
            outcome_recorded_by=factory.LazyAttribute(lambda o: o.case.lead_practitioner),
            outcome_recorded_at=factory.LazyFunction(timezone.now),
        )
        met = factory.Trait(
            achieved=True,
            sustained=Sustained.SUSTAINED,
            sustained_evidence="Still above 95% six months on (school's attendance record).",
            sustained_recorded_by=factory.LazyAttribute(lambda o: o.case.lead_practitioner),
            sustained_recorded_at=factory.LazyFunction(timezone.now),
        )


def close(case, closed_on: dt.date):
    """The case as the manager's decision to close leaves it (status and date only)."""
    case.status, case.closed_on = CaseStatus.CLOSED, closed_on
    case.save(update_fields=["status", "closed_on"])
    return case


def signed_agreement(case, *, signed_at: dt.datetime, title: str = "Working together agreement") -> Agreement:
    """A working together agreement signed by both, as the services leave it, without its PDF."""
    n = next(_documents)
    content = f"agreement {case.pk} {n}".encode()
    document = Document.objects.create(
        case=case,
        kind=DocumentKind.AGREEMENT,
        title=title,
        file=f"documents/test-agreement-{n}.pdf",
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        source_type="test.agreement",
        source_id=str(n),
        created_by=case.lead_practitioner,
    )
    return Agreement.objects.create(
        case=case,
        status=AgreementStatus.SIGNED,
        title=title,
        our_commitments="Visit when it suits you",
        family_commitments="Tell us when things get hard",
        created_by=case.lead_practitioner,
        signed_at=signed_at,
        document=document,
    )
