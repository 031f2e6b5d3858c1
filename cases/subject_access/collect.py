"""The kernel's own collector: what cases/ holds about the person on each of their cases."""

from django.db.models import Q

from ..forms import PersonReturnsForm
from ..models import AccessLogEntry, Case, Document, Person, Relationship
from .models import Whose
from .registry import Gathered, Subject

RETURNS_LABELS = {name: str(field.label) for name, field in PersonReturnsForm.base_fields.items()}


def _yes_no(value: bool) -> str:
    return "Yes" if value else "No"


def _case_item(case: Case, kind: str, title: str, occurred_at=None) -> Gathered:
    """An item about the case as a whole: the family, the referral, its documents, its readers."""
    return Gathered(
        kind=kind,
        title=title,
        source_type="cases.case",
        source_id=str(case.pk),
        case_id=case.pk,
        occurred_at=occurred_at,
    )


def _details(person: Person) -> Gathered:
    item = Gathered(
        kind="Personal details",
        title="Personal details recorded on the case",
        source_type="cases.person",
        source_id=str(person.pk),
        case_id=person.case_id,
        occurred_at=None,
    )
    me = Whose.SUBJECT
    item.add("Name", person.full_name, me)
    item.add("Date of birth", person.date_of_birth and f"{person.date_of_birth:%-d %B %Y}", me)
    item.add("Child or adult", person.get_kind_display(), me)
    item.add("School", person.school, me)
    item.add("Lives in the household", _yes_no(person.lives_in_household), me)
    item.add("Language", person.language, me)
    item.add("Needs an interpreter", _yes_no(person.needs_interpreter), me)
    item.add("Prefers to talk rather than read", _yes_no(person.prefers_verbal_communication), me)
    item.add("Learning needs", person.learning_needs, me)
    item.add("Domestic abuse concern recorded", _yes_no(person.domestic_abuse_concern), me)
    item.add("Preferred contact", person.get_preferred_contact_method_display(), me)
    item.add("Phone", person.phone, me)
    item.add("Safe-contact plan", "; ".join(person.safe_contact_labels), me)
    item.add("Safe-contact notes", person.safe_contact_notes, me)
    # What the returns need (SENSITIVE_FIELDS), labelled as the person's page for them labels them.
    for name in ("sex", "gender", "ethnicity", "disability"):
        item.add(RETURNS_LABELS[name], getattr(person, f"get_{name}_display")(), me)
    item.add(RETURNS_LABELS["upn"], person.upn or person.get_upn_status_display(), me)
    item.add(RETURNS_LABELS["nhs_number"], person.nhs_number or person.get_nhs_number_status_display(), me)
    return item


def _family(
    case: Case, subject: Subject, people: list[Person], relationships: list[Relationship]
) -> Gathered:
    item = _case_item(case, "Family", "The family recorded on the case")
    item.add("Family known as", case.family_name, Whose.FAMILY)
    for person in people:
        whose = subject.whose_person(person.pk)
        if whose == Whose.SUBJECT:
            continue
        item.add(
            f"{person.get_kind_display()} in the family",
            person.full_name,
            whose,
            about=person.full_name,
            is_name=True,
        )
    for relationship in relationships:
        if relationship.adult_id in subject.person_ids:
            item.add(
                "Relationship",
                f"{relationship.get_kind_display()} of {relationship.child.full_name}",
                Whose.SUBJECT,
            )
    return item


def _referral(case: Case) -> Gathered:
    item = _case_item(case, "Referral", "The referral and the case", occurred_at=case.referral_date)
    item.add("Referred by", case.get_referral_source_display(), Whose.FAMILY)
    item.add("Referrer's name", case.referrer_name, Whose.THIRD_PARTY, about="the referrer", is_name=True)
    item.add("Referrer's organisation", case.referrer_organisation, Whose.THIRD_PARTY, about="the referrer")
    item.add("Referrer's contact details", case.referrer_contact, Whose.THIRD_PARTY, about="the referrer")
    item.add("Reason for the referral", case.referral_reason, Whose.FAMILY)
    item.add("Level of need", case.get_threshold_level_display(), Whose.FAMILY)
    item.add(
        "Social worker", case.social_worker_name, Whose.OTHER_STAFF, about="a social worker", is_name=True
    )
    item.add("Status", case.get_status_display(), Whose.FAMILY)
    item.add("Closed on", case.closed_on and f"{case.closed_on:%-d %B %Y}", Whose.FAMILY)
    item.add("Reason for closing", case.closure_reason, Whose.FAMILY)
    return item


def _changes(person: Person) -> Gathered | None:
    rows = list(person.history.select_related("history_user").order_by("history_date", "history_id"))
    if len(rows) < 2:
        return None
    item = Gathered(
        kind="History",
        title="Changes to the personal details",
        source_type="cases.person",
        source_id=str(person.pk),
        case_id=person.case_id,
        occurred_at=rows[-1].history_date,
    )
    for old, new in zip(rows, rows[1:], strict=False):
        changes = new.diff_against(old).changes
        if not changes:
            continue
        text = "\n".join(
            f"{Person._meta.get_field(c.field).verbose_name.capitalize()}: {c.old or '(blank)'} → {c.new or '(blank)'}"
            for c in changes
        )
        who = new.history_user.full_name if new.history_user else "the system"
        item.add(f"Changed on {new.history_date:%-d %B %Y} by {who}", text, Whose.SUBJECT)
    return item if item.parts else None


def _documents(case: Case, documents: list[Document]) -> Gathered | None:
    if not documents:
        return None
    item = _case_item(case, "Signed documents", "Signed documents kept on the case")
    for document in documents:
        item.add(
            document.get_kind_display(),
            f"{document.title}, signed on {document.created_at:%-d %B %Y} (SHA-256 {document.sha256})",
            Whose.FAMILY,
        )
    return item


def _access_log(case: Case, entries: list[AccessLogEntry]) -> Gathered | None:
    if not entries:
        return None
    item = _case_item(case, "Access log", "Who read the record", occurred_at=entries[-1].at)
    for entry in entries:
        item.add(
            f"{entry.at:%-d %B %Y %H:%M}",
            f"{entry.user.full_name} ({entry.user.get_role_display()}): {entry.what}",
            Whose.READER,
        )
    return item


def collect(subject: Subject):
    """The person's own records, the family, the referral, the history of their details, the
    signed documents and who read each case."""
    cases = {c.pk: c for c in Case.objects.filter(pk__in=subject.case_ids)}
    people: dict[int, list[Person]] = {}
    for person in Person.objects.filter(case_id__in=subject.case_ids).order_by("kind", "full_name", "pk"):
        people.setdefault(person.case_id, []).append(person)
    relationships: dict[int, list[Relationship]] = {}
    for rel in Relationship.objects.filter(adult__in=subject.person_ids).select_related("child", "adult"):
        relationships.setdefault(rel.adult.case_id, []).append(rel)
    documents: dict[int, list[Document]] = {}
    for document in Document.objects.filter(case_id__in=subject.case_ids).order_by("created_at", "pk"):
        documents.setdefault(document.case_id, []).append(document)
    entries: dict[int, list[AccessLogEntry]] = {}
    log = AccessLogEntry.objects.filter(Q(case_id__in=subject.case_ids), denied=False).select_related("user")
    for entry in log.order_by("at", "pk"):
        entries.setdefault(entry.case_id, []).append(entry)
    for case_id in subject.case_ids:
        case = cases[case_id]
        yield _referral(case)
        yield _family(case, subject, people.get(case_id, []), relationships.get(case_id, []))
        for person in people.get(case_id, []):
            if person.pk in subject.person_ids:
                # As the database holds them now, whatever the request was opened with.
                yield _details(person)
                if (changes := _changes(person)) is not None:
                    yield changes
        if (signed := _documents(case, documents.get(case_id, []))) is not None:
            yield signed
        if (read := _access_log(case, entries.get(case_id, []))) is not None:
            yield read
