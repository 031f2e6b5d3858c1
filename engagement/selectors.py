"""Every read of the chronology. Callers have already checked the case through cases.access."""

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cases.models import (
    Case,
    CaseMembership,
    MembershipRole,
    Person,
    PersonKind,
    Relationship,
    Role,
    SafeContact,
    User,
)
from cases.templatetags.govuk import dialable

from .household import ContactPlan, contact_plans, hold_reasons
from .models import (
    AttemptKind,
    AttemptOutcome,
    ChildSeen,
    ContactAttempt,
    NonEngagementForm,
    OfflineSettings,
)


def people_who_can_make_attempts(case: Case):
    """The lead practitioner, live co-workers, the team's practitioners and its manager."""
    co_workers = CaseMembership.objects.filter(
        case=case, role=MembershipRole.CO_WORKER, ended_at__isnull=True
    ).values("user_id")
    return User.objects.filter(
        Q(pk=case.lead_practitioner_id)
        | Q(pk__in=co_workers)
        | Q(team_id=case.team_id, role=Role.LEAD_PRACTITIONER)
        | Q(pk=case.team.manager_id),
        is_active=True,
    ).order_by("full_name")


def relationship_kinds_of(person: Person) -> set[str]:
    """How an adult is related to the children of their case (mother, carer, ...)."""
    return set(Relationship.objects.filter(adult=person).values_list("kind", flat=True))


@dataclass(frozen=True)
class ChronologyFilter:
    kind: str = ""
    outcome: str = ""
    person_id: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def chronology(case: Case, filters: ChronologyFilter | None = None) -> QuerySet[ContactAttempt]:
    """The case's attempts, newest first, with everyone each row names joined in."""
    filters = filters or ChronologyFilter()
    qs = ContactAttempt.objects.filter(case=case).select_related(
        "made_by", "with_person", "edited_by", "agreement"
    )
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.outcome:
        qs = qs.filter(outcome=filters.outcome)
    if filters.person_id:
        qs = qs.filter(with_person_id=filters.person_id)
    # Dates are the practitioner's calendar days in the service's time zone.
    if filters.date_from:
        qs = qs.filter(occurred_at__date__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(occurred_at__date__lte=filters.date_to)
    return qs.order_by("-occurred_at", "-id")


def chronology_counts(attempts: QuerySet[ContactAttempt]) -> dict:
    """How many of the given attempts there are of each kind, of each outcome, and in all.

    One query, grouped by kind and outcome together; "total" lets the page's paginator skip
    counting the same rows again.
    """
    kinds = dict(AttemptKind.choices)
    outcomes = dict(AttemptOutcome.choices)
    by_kind: Counter[str] = Counter()
    by_outcome: Counter[str] = Counter()
    for kind, outcome, n in attempts.order_by().values_list("kind", "outcome").annotate(n=Count("id")):
        by_kind[kinds.get(kind, kind)] += n
        by_outcome[outcomes.get(outcome, outcome)] += n

    def most_first(counted: Counter) -> list[tuple[str, int]]:
        return sorted(counted.items(), key=lambda row: (-row[1], row[0]))

    return {
        "by_kind": most_first(by_kind),
        "by_outcome": most_first(by_outcome),
        "total": sum(by_kind.values()),
    }


def attempt_on_case(case: Case, pk) -> ContactAttempt:
    """One attempt of this case, or 404 (an attempt of another case answers as missing)."""
    try:
        return ContactAttempt.objects.select_related(
            "case", "made_by", "with_person", "recorded_by", "edited_by", "agreement"
        ).get(case=case, pk=pk)
    except (ContactAttempt.DoesNotExist, ValueError, TypeError):
        raise Http404("No such attempt") from None


# How a practitioner names each field, for the edit history.
FIELD_LABELS = {
    "occurred_at": _("Date and time"),
    "made_by": _("Made by"),
    "kind": _("Kind of attempt"),
    "with_person": _("With"),
    "with_other": _("With (outside the family)"),
    "outcome": _("What happened"),
    "also_outcomes": _("Also"),
    "response": _("What the family said"),
    "notes": _("Notes"),
    "non_engagement_forms": _("Forms of non-engagement"),
    "child_seen": _("Child seen"),
    "child_words": _("The child's words"),
    "challenge": _("Challenge made"),
    "family_response": _("The family's response"),
    "purpose": _("Purpose of the contact"),
    "what_was_done": _("What was done"),
    "what_is_required": _("What is required"),
    "required_by_whom": _("By whom"),
    "required_by_when": _("By when"),
    "next_contact_at": _("Next contact planned"),
}


# What each kind of history entry did, for the edit history.
_HISTORY_ACTIONS = {"+": _("Recorded"), "~": _("Changed"), "-": _("Removed")}


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryEntry:
    at: dt.datetime
    by: str
    action: str
    changes: list[FieldChange]


def _display(model_field, value) -> str:
    if value in (None, "", []):
        return ""
    name = model_field.name
    if name == "non_engagement_forms":
        labels = dict(NonEngagementForm.choices)
        return ", ".join(str(labels.get(v, v)) for v in value)
    if name == "child_seen":
        return str(dict(ChildSeen.choices).get(value, value))
    if model_field.choices:
        return str(dict(model_field.choices).get(value, value))
    if isinstance(value, dt.datetime):
        return f"{timezone.localtime(value):%-d %B %Y %H:%M}"
    if isinstance(value, dt.date):
        return f"{value:%-d %B %Y}"
    return str(value)


def attempt_history(attempt: ContactAttempt) -> list[HistoryEntry]:
    """Each version of the attempt, newest first: who saved it, when, and which fields changed."""
    versions = list(attempt.history.select_related("history_user").order_by("-history_date", "-history_id"))
    # Foreign keys in history are ids: resolve the ones the diffs name in two queries.
    user_ids = {v.made_by_id for v in versions}
    person_ids = {v.with_person_id for v in versions if v.with_person_id}
    names = {("made_by", u.pk): str(u) for u in User.objects.filter(pk__in=user_ids)}
    names |= {("with_person", p.pk): str(p) for p in Person.objects.filter(pk__in=person_ids)}
    ignored = {"recorded_at", "recorded_by", "edited_at", "edited_by", "case"}
    model_fields = {f.name: f for f in ContactAttempt._meta.fields}
    entries = []
    for index, version in enumerate(versions):
        older = versions[index + 1] if index + 1 < len(versions) else None
        changes = []
        if older is not None:
            delta = version.diff_against(older, excluded_fields=ignored)
            for change in delta.changes:
                field = model_fields[change.field]
                if field.is_relation:
                    old = names.get((change.field, change.old), "") if change.old else ""
                    new = names.get((change.field, change.new), "") if change.new else ""
                else:
                    old, new = _display(field, change.old), _display(field, change.new)
                changes.append(
                    FieldChange(field=FIELD_LABELS.get(change.field, change.field), old=old, new=new)
                )
        entries.append(
            HistoryEntry(
                at=version.history_date,
                by=str(version.history_user) if version.history_user else gettext("Unknown"),
                action=_HISTORY_ACTIONS[version.history_type],
                changes=changes,
            )
        )
    return entries


@dataclass(frozen=True)
class ContactSafety:
    """What someone choosing how to contact the family sees first: each adult's safe-contact plan
    and reading needs, and whose letters need the manager's approval (engagement.household)."""

    plans: list[ContactPlan]
    letters_held_for: list[Person]


def contact_safety(case: Case, people: list[Person] | None = None) -> ContactSafety:
    """For the attempt form and the letter forms: one query for the case's people (none if given)."""
    if people is None:
        people = list(case.people.order_by("kind", "full_name"))
    adults = [p for p in people if p.kind == PersonKind.ADULT]
    return ContactSafety(
        plans=contact_plans(adults),
        letters_held_for=[p for p in adults if hold_reasons(p, people)],
    )


@dataclass(frozen=True)
class ContactPerson:
    """Who to phone about a case: the first adult of the household with a phone number. A person
    whose safe-contact plan says text messages only is offered a text, never a call (Camden 004:
    contact the victim "without the perpetrator's knowledge")."""

    person: Person
    phone: str
    text_only: bool

    @property
    def link(self) -> str:
        """The phone number as a tap-to-call (or tap-to-text) address: digits and a leading + only."""
        return f"{'sms' if self.text_only else 'tel'}:{dialable(self.phone)}"


def contact_people(people) -> dict[int, ContactPerson]:
    """Each case's person to contact, by case id, from its people (already read, in any order):
    adults with a phone number, those living in the household first, then by name. No query."""
    found: dict[int, ContactPerson] = {}
    adults = sorted(
        (p for p in people if p.kind == PersonKind.ADULT and p.phone.strip()),
        key=lambda p: (not p.lives_in_household, p.full_name, p.pk),
    )
    for person in adults:
        if person.case_id not in found:
            found[person.case_id] = ContactPerson(
                person=person,
                phone=person.phone.strip(),
                text_only=SafeContact.TEXT_ONLY in (person.safe_contact or ()),
            )
    return found


def attempt_by_client_id(case: Case, client_id) -> ContactAttempt | None:
    """The attempt saved on this case with this device-made id, or None (also for a malformed id)."""
    try:
        return ContactAttempt.objects.filter(case=case, client_id=client_id).first()
    except (ValueError, TypeError, ValidationError):
        return None


def offline_keep_days() -> int:
    """How many days a device keeps the cases without its owner signing in (read, never written:
    a page a phone fetches must not change data)."""
    row = OfflineSettings.objects.filter(pk=1).only("keep_days").first()
    return row.keep_days if row else OfflineSettings._meta.get_field("keep_days").default


def offline_settings() -> "OfflineSettings":
    """The admin's setting for how long a device keeps cases for working offline (made if missing)."""
    row, _created = OfflineSettings.objects.get_or_create(pk=1)
    return row
