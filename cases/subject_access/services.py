"""Every write of a subject access request: opening it (gathering), reviewing an item, releasing.

Nothing is released without the review: `request_release` refuses until every item has been
reviewed, and a released request is never released again or changed.
"""

import datetime as dt
import re
from collections.abc import Iterable, Mapping

from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..history import create_with_history, save_with_history
from ..models import AccessLogEntry, Person, User
from .models import (
    REDACTED_BY_DEFAULT,
    REDACTION_MARK,
    GatheredItem,
    GatheredPart,
    RequestStatus,
    SubjectAccessRelease,
    SubjectAccessRequest,
    Whose,
)
from .registry import Gathered, Subject, collectors


class SubjectAccessError(Exception):
    """A subject access step that cannot be taken now, with what to do about it."""


NOT_REVIEWED = gettext_lazy("Review every item before releasing the bundle: %(count)s still to review")
ALREADY_RELEASED = gettext_lazy(
    "This request has been released: its bundle cannot be changed or released again"
)
REASON_NEEDED = gettext_lazy(
    "Say why you are keeping a third party's information, or redacting the person's own"
)


def _sort_key(gathered: Gathered):
    when = gathered.occurred_at
    if when is None:
        return (0, dt.datetime.min.replace(tzinfo=dt.UTC))
    if not isinstance(when, dt.datetime):
        when = dt.datetime.combine(when, dt.time.min, tzinfo=dt.UTC)
    return (1, when)


def gather(people: Iterable[Person]) -> list[Gathered]:
    """Everything every registered collector holds about the person, case by case, oldest first."""
    subject = Subject(people=tuple(people))
    found: list[Gathered] = []
    for collect in collectors().values():
        found.extend(collect(subject))
    by_case: dict = {}
    for gathered in found:
        by_case.setdefault(gathered.case_id, []).append(gathered)
    ordered = []
    for case_id in sorted(by_case, key=lambda c: (c is None, c or 0)):
        ordered.extend(sorted(by_case[case_id], key=_sort_key))
    return ordered


def _aware(when):
    if when is None or isinstance(when, dt.datetime):
        return when
    return dt.datetime.combine(when, dt.time.min, tzinfo=dt.UTC)


@transaction.atomic
def request_open(
    *,
    by: User,
    people: list[Person],
    subject_name: str,
    subject_date_of_birth: dt.date | None,
    received_on: dt.date,
    notes: str = "",
    path: str = "",
) -> SubjectAccessRequest:
    """Open a request for the person whose records are `people` and gather what is held."""
    if not people:
        raise SubjectAccessError(_("Choose at least one record of the person"))
    request = create_with_history(
        SubjectAccessRequest,
        by=by,
        subject_name=subject_name,
        subject_date_of_birth=subject_date_of_birth,
        received_on=received_on,
        notes=notes,
        opened_by=by,
    )
    request.people.set(people)
    for position, gathered in enumerate(gather(people)):
        item = create_with_history(
            GatheredItem,
            by=by,
            request=request,
            case_id=gathered.case_id,
            kind=gathered.kind[:60],
            source_type=gathered.source_type,
            source_id=gathered.source_id,
            occurred_at=_aware(gathered.occurred_at),
            title=gathered.title[:300],
            position=position,
        )
        for n, part in enumerate(gathered.parts):
            redact = part.whose in REDACTED_BY_DEFAULT
            create_with_history(
                GatheredPart,
                by=by,
                item=item,
                position=n,
                label=part.label[:200],
                text=part.text,
                whose=part.whose,
                about=part.about[:200],
                is_name=part.is_name,
                redacted_by_default=redact,
                redact=redact,
            )
    # Gathering reads every case the person is on: each is in that case's access log.
    AccessLogEntry.objects.bulk_create(
        AccessLogEntry(
            user=by,
            case_id=case_id,
            what="subject access gathering",
            object_id=str(request.pk),
            path=path[:500],
        )
        for case_id in sorted({p.case_id for p in people})
    )
    return request


def _guard_open(request: SubjectAccessRequest) -> None:
    if request.status == RequestStatus.RELEASED:
        raise SubjectAccessError(ALREADY_RELEASED)


@transaction.atomic
def item_review(*, item: GatheredItem, by: User, redact: Mapping[int, bool], reason: str) -> GatheredItem:
    """Record the reviewer's keep or redact for each part of the item, with the reason."""
    _guard_open(item.request)
    parts = list(item.parts.all())
    reason = reason.strip()
    overridden = [p for p in parts if redact.get(p.pk, p.redact) != p.redacted_by_default]
    if overridden and not reason:
        raise SubjectAccessError(REASON_NEEDED)
    for part in parts:
        wanted = redact.get(part.pk, part.redact)
        if wanted != part.redact:
            part.redact = wanted
            save_with_history(part, by=by, update_fields=["redact"])
    item.reviewed_by = by
    item.reviewed_at = timezone.now()
    item.review_reason = reason or _default_reason(parts)
    save_with_history(item, by=by, update_fields=["reviewed_by", "reviewed_at", "review_reason"])
    return item


def _default_reason(parts: list[GatheredPart]) -> str:
    if any(p.redact for p in parts):
        return "Third parties' information redacted; the person's own information released"
    return "The person's own information, or about the family as a whole: released"


def unreviewed_count(request: SubjectAccessRequest) -> int:
    return request.items.filter(reviewed_at__isnull=True).count()


# --- The bundle as released --------------------------------------------------------------------


def _name_pattern(parts: Iterable[GatheredPart], own_names: set[str]) -> re.Pattern | None:
    """The redacted names, to take out of the kept text too: each full name, and each of its
    words (a first name, a surname) that is not one of the person's own names, or their own
    would go too."""
    names = set()
    for part in parts:
        if part.is_name and part.redact:
            full = part.text.strip()
            names.add(full)
            names |= {word for word in full.split() if len(word) > 1 and word.lower() not in own_names}
    if not names:
        return None
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"\b(?:{alternatives})\b", re.IGNORECASE)


def bundle(request: SubjectAccessRequest) -> list[dict]:
    """The items as they are released: a redacted part is replaced by the redaction mark, and
    redacted names are taken out of the parts that are kept. The redacted words are not here."""
    items = list(request.items.select_related("case").prefetch_related("parts"))
    all_parts = [p for item in items for p in item.parts.all()]
    own_names = {word.lower() for p in request.people.all() for word in p.full_name.split()}
    names = _name_pattern(all_parts, own_names)
    shown = []
    for item in items:
        parts = []
        for part in item.parts.all():
            if part.redact:
                parts.append({"label": part.label, "text": REDACTION_MARK, "redacted": True})
                continue
            text = names.sub(REDACTION_MARK, part.text) if names else part.text
            label = names.sub(REDACTION_MARK, part.label) if names else part.label
            parts.append({"label": label, "text": text, "redacted": False})
        title = names.sub(REDACTION_MARK, item.title) if names else item.title
        shown.append({"item": item, "title": title, "parts": parts})
    return shown


def _render(request: SubjectAccessRequest, items: list[dict], *, by: User, at) -> bytes:
    from ..documents import document_render

    cases = sorted({i["item"].case.reference for i in items if i["item"].case})
    return document_render(
        template_name="pdf/subject_access.html",
        context={
            "request_record": request,
            "items": items,
            "case_references": cases,
            "released_by": by,
            "released_at": at,
            "redaction_mark": REDACTION_MARK,
        },
    )


@transaction.atomic
def request_release(*, request: SubjectAccessRequest, by: User) -> SubjectAccessRelease:
    """Print, sign and keep the bundle with its redactions burned in, and record who released it."""
    request = SubjectAccessRequest.objects.select_for_update().get(pk=request.pk)
    _guard_open(request)
    if (count := unreviewed_count(request)) > 0:
        raise SubjectAccessError(NOT_REVIEWED % {"count": count})
    # Loading WeasyPrint and pyHanko takes seconds: only once the release can go ahead.
    from ..documents import DocumentError
    from ..documents.pdf import SigningUnavailable, TimestampUnavailable, sha256_hex, sign_pdf
    from ..documents.services import NO_TIMESTAMP, NOT_CONFIGURED

    items = bundle(request)
    now = timezone.now()
    try:
        pdf = _render(request, items, by=by, at=now)
        signed = sign_pdf(pdf, reason="Subject access request: released", signer_name=by.full_name)
    except DocumentError as exc:
        raise SubjectAccessError(str(exc)) from exc
    except SigningUnavailable as exc:
        raise SubjectAccessError(NOT_CONFIGURED) from exc
    except TimestampUnavailable as exc:
        raise SubjectAccessError(NO_TIMESTAMP) from exc
    cases = sorted({i["item"].case for i in items if i["item"].case}, key=lambda c: c.reference)
    release = SubjectAccessRelease(
        request=request,
        sha256=sha256_hex(signed),
        size=len(signed),
        released_by=by,
        released_at=now,
        items_released=len(items),
        parts_redacted=sum(1 for i in items for p in i["parts"] if p["redacted"]),
        case_references=[c.reference for c in cases],
    )
    release.file.save(f"{request.reference}-{now:%Y%m%d%H%M%S}.pdf", ContentFile(signed), save=False)
    save_with_history(release, by=by)
    request.status = RequestStatus.RELEASED
    save_with_history(request, by=by, update_fields=["status"])
    path = reverse("subject_access:bundle_pdf", kwargs={"pk": request.pk})
    # The release is in the access log of every case it was gathered from.
    AccessLogEntry.objects.bulk_create(
        AccessLogEntry(
            user=by, case=case, what="subject access release", object_id=str(release.pk), path=path
        )
        for case in cases
    )
    return release


__all__ = ["SubjectAccessError", "Whose", "gather", "item_review", "request_open", "request_release"]
