"""Contact and engagement: the one place that decides what a record means for the family.

Knowsley's flow chart lists "the minimum attempts to engage the parent" (000, Appendix 4), and
Leeds asks practitioners to record the family's response apart from what was done (003). So two
facts are kept apart:

- **contact**: an attempt reached someone in the family (seen, or spoke with them). A talk with a
  professional, a liaison call or a multi-agency meeting is never contact with the family.
- **engagement**: a parent or carer of a child of the case agreed to work with the service,
  recorded as an `EngagementAgreement`. Only this ends the flow chart as "engaged". Seeing the
  child at school, speaking with a parent who declines, or a hostile exchange leave it running.

The flow chart (through its selectors), the chronology's tags, insight and the team dashboard all
read these definitions; none writes its own.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cases.models import RelationshipKind

# Written as the codes of engagement.models' choices, which import this module for the tags.
# Outcomes that mean contact was made with whoever the attempt was with.
CONTACT_OUTCOMES = frozenset({"seen", "spoke"})
# Kinds of attempt that reach professionals, not the family.
PROFESSIONAL_KINDS = frozenset({"liaison", "multi_agency_meeting"})
# Who can agree, for the family, to work with the service: the children's parents and carers.
PARENT_OR_CARER = frozenset(
    {
        RelationshipKind.MOTHER.value,
        RelationshipKind.FATHER.value,
        RelationshipKind.STEP_PARENT.value,
        RelationshipKind.CARER.value,
    }
)


def is_family_contact(*, kind: str, outcome: str, with_person_id: int | None) -> bool:
    """Whether an attempt reached a member of the family (not whether they engaged)."""
    return outcome in CONTACT_OUTCOMES and kind not in PROFESSIONAL_KINDS and with_person_id is not None


def family_contact_q(prefix: str = "") -> Q:
    """`is_family_contact` as a filter on ContactAttempt, `prefix` being the path to it."""
    return Q(**{f"{prefix}outcome__in": CONTACT_OUTCOMES, f"{prefix}with_person__isnull": False}) & ~Q(
        **{f"{prefix}kind__in": PROFESSIONAL_KINDS}
    )


def agreement_q(prefix: str = "") -> Q:
    """Attempts at which a parent or carer agreed to work with us, as a filter on ContactAttempt."""
    return Q(**{f"{prefix}agreement__isnull": False})


def is_parent_or_carer(relationship_kinds) -> bool:
    """Whether someone with these relationships to the children can agree for the family."""
    return not PARENT_OR_CARER.isdisjoint(relationship_kinds)


class Tag:
    """How the chronology tags an attempt: agreed, contact made, or not reached."""

    AGREED = (_("Agreed to work with us"), "govuk-tag--green")
    CONTACT = (_("Contact made"), "govuk-tag--blue")
    OTHER = ("", "govuk-tag--grey")


def attempt_tag(*, kind: str, outcome: str, with_person_id: int | None, has_agreement: bool):
    """The chronology's tag for an attempt: (words, css class)."""
    if has_agreement:
        return Tag.AGREED
    if is_family_contact(kind=kind, outcome=outcome, with_person_id=with_person_id):
        return Tag.CONTACT
    return Tag.OTHER
