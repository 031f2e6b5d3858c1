"""Who shares an address, whose safe-contact plan rules letters out, and who reads letters best
another way. Pure functions over a case's people, so a page can read the people once.

Domestic abuse means the household (Knowsley 000, Appendix 4, day 10: "if DV ensure your letter
would not increase risk"; Camden 004: contact the victim "without the perpetrator's knowledge"):
a letter to anyone at the address of a person with a domestic-abuse concern, or with a
safe-contact plan that rules letters out, could be opened or seen by the person they are kept
safe from. Such a letter is held for the team manager's approval.

Who is in the household: the people of the case recorded as living in it (adults and children).
Someone recorded as not living in the household (a father who lives elsewhere) is taken to live
at another address: only their own record holds a letter to them, and a letter to them is not
held for the household's plans. If they in fact stay at the family's address, record them as
living in the household and their letters are held with everyone else's.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from cases.models import Person, PersonKind, SafeContact

# Parts of a safe-contact plan that rule a letter out, each for its own reason: never by letter
# says so; text only and own mobile only leave no room for a letter; through a third party means
# not directly; not when the partner is there cannot be promised of a letter, which anyone at
# the address may open.
RULES_OUT_LETTERS = frozenset(
    {
        SafeContact.NO_LETTERS,
        SafeContact.TEXT_ONLY,
        SafeContact.PHONE_ONLY,
        SafeContact.THROUGH_THIRD_PARTY,
        SafeContact.NOT_WHEN_PARTNER_PRESENT,
    }
)

ENGLISH = "english"


@dataclass(frozen=True)
class HoldReason:
    """Why a letter to this household needs the manager: whose record, and what it says."""

    person: Person
    because: str

    def __str__(self) -> str:
        return f"{self.person}: {self.because}"


def letter_risk(person: Person) -> str:
    """What about this person's record makes a letter to their address unsafe, or ""."""
    reasons = []
    if person.domestic_abuse_concern:
        reasons.append(_("a domestic abuse concern is recorded"))
    plan = [code for code in person.safe_contact or () if code in RULES_OUT_LETTERS]
    if plan:
        labels = dict(SafeContact.choices)
        # Translators: the parts of the safe-contact plan, such as "no letters, text messages only".
        reasons.append(
            _("their safe-contact plan says %(plan)s")
            % {"plan": ", ".join(str(labels[c]).lower() for c in plan)}
        )
    return "; ".join(reasons)


def household_of(person: Person, people: Iterable[Person]) -> list[Person]:
    """Everyone a letter to `person` could reach: the household if they live in it, else themselves."""
    if not person.lives_in_household:
        return [person]
    return [p for p in people if p.case_id == person.case_id and p.lives_in_household] or [person]


def hold_reasons(recipient: Person | None, people: Sequence[Person]) -> list[HoldReason]:
    """Why a letter to `recipient` (None: to the household as a whole) needs the manager's
    approval, from the case's people; empty when it does not."""
    if recipient is None:
        reach = [p for p in people if p.lives_in_household]
    else:
        reach = household_of(recipient, people)
        if recipient not in reach:
            reach = [recipient, *reach]
    found = []
    for person in reach:
        because = letter_risk(person)
        if because:
            found.append(HoldReason(person, because))
    return found


def reads_letters_another_way(person: Person) -> str:
    """Why a letter may not reach this person as written, or "" (Knowsley 000: "some
    parents/carers are not be able to read letters"; Coventry 001: "Consider language barriers")."""
    # Each combination a whole phrase, so a translator never joins the parts.
    talks = person.prefers_verbal_communication
    if not person.needs_interpreter:
        return _("prefers to talk rather than read letters") if talks else ""
    language = language_other_than_english(person)
    if talks and language:
        return _("prefers to talk rather than read letters and needs an interpreter (%(language)s)") % {
            "language": language
        }
    if talks:
        return _("prefers to talk rather than read letters and needs an interpreter")
    if language:
        return _("needs an interpreter (%(language)s)") % {"language": language}
    return _("needs an interpreter")


def language_other_than_english(person: Person) -> str:
    """The person's recorded language if it is not English, else ""."""
    language = " ".join((person.language or "").split())
    return "" if language.lower() in ("", ENGLISH) else language


@dataclass(frozen=True)
class ContactPlan:
    """What someone choosing how to contact this person should see first."""

    person: Person
    labels: list[str]
    notes: str
    letters_unsafe: str  # letter_risk(person)
    reading: str  # reads_letters_another_way(person)

    @property
    def has_anything(self) -> bool:
        return bool(self.labels or self.notes or self.letters_unsafe or self.reading)


def contact_plans(people: Iterable[Person], *, adults_only: bool = True) -> list[ContactPlan]:
    """The safe-contact plan and reading needs of each person who has any, in the order given."""
    plans = []
    for person in people:
        if adults_only and person.kind != PersonKind.ADULT:
            continue
        plan = ContactPlan(
            person=person,
            labels=person.safe_contact_labels,
            notes=person.safe_contact_notes,
            letters_unsafe=letter_risk(person),
            reading=reads_letters_another_way(person),
        )
        if plan.has_anything:
            plans.append(plan)
    return plans
