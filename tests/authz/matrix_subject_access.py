"""Subject access requests: the information governance officer's pages, and nobody else's."""

import datetime as dt

from cases.subject_access import services
from tests.factories import AdultFactory

from .entries import INFORMATION_GOVERNANCE, Entry


def _open(w):
    return services.request_open(
        by=w.users["information_governance"],
        people=[w.subject_person],
        subject_name=w.subject_person.full_name,
        subject_date_of_birth=None,
        received_on=dt.date(2026, 1, 5),
    )


def _request(w):
    return {"pk": w.subject_access_request.pk}


def _item(w):
    return {"pk": w.subject_access_request.pk, "item_pk": w.subject_access_request.items.first().pk}


def _released(w):
    # Printed and signed on first use only: a PDF takes a moment.
    if not hasattr(w, "released_request"):
        record = _open(w)
        for item in record.items.all():
            services.item_review(item=item, by=w.users["information_governance"], redact={}, reason="")
        services.request_release(request=record, by=w.users["information_governance"])
        w.released_request = record
    return {"pk": w.released_request.pk}


ENTRIES = {
    "subject_access:request_list": Entry(INFORMATION_GOVERNANCE),
    "subject_access:request_new": Entry(INFORMATION_GOVERNANCE),
    "subject_access:request_detail": Entry(INFORMATION_GOVERNANCE, kwargs=_request),
    "subject_access:item_review": Entry(INFORMATION_GOVERNANCE, kwargs=_item),
    "subject_access:request_release": Entry(INFORMATION_GOVERNANCE, kwargs=_request),
    "subject_access:bundle_pdf": Entry(INFORMATION_GOVERNANCE, kwargs=_released),
}


def extend_world(world):
    world.subject_person = AdultFactory(case=world.case, full_name="Sam Subject")
    world.subject_access_request = _open(world)
    # One item reviewed, so its page shows the review and its reason.
    services.item_review(
        item=world.subject_access_request.items.first(),
        by=world.users["information_governance"],
        redact={},
        reason="Checked with the case team",
    )
