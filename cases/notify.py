"""What the kernel's own notifications say: a co-worker from another team asked for and decided.

One function a message, as in each app's notify.py; the services send them through
`cases.notifications`. The case reference names the case: never the family or its people.
"""

from django.utils.translation import gettext as _

from .models import Case
from .notifications import Message


def co_worker_requested(case: Case) -> Message:
    return Message(
        subject=_("%(reference)s: a co-worker from another team is waiting for your approval")
        % {"reference": case.reference},
        body=_(
            "A practitioner from another team has been asked to join case %(reference)s as a "
            "co-worker. They cannot see the case until you approve. Approve or refuse the request "
            "on the case page."
        )
        % {"reference": case.reference},
    )


def co_worker_decided(case: Case, *, approved: bool) -> Message:
    words = {"reference": case.reference}
    if approved:
        return Message(
            subject=_("%(reference)s: the request to add a co-worker was approved") % words,
            body=_("The line manager approved the request to add a co-worker to case %(reference)s.") % words,
        )
    return Message(
        subject=_("%(reference)s: the request to add a co-worker was refused") % words,
        body=_("The line manager refused the request to add a co-worker to case %(reference)s.") % words,
    )
