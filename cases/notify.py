"""What the kernel's own notifications say: a co-worker from another team asked for and decided.

One function a message, as in each app's notify.py; the services send them through
`cases.notifications`. The case reference names the case: never the family or its people.
"""

from .models import Case
from .notifications import Message


def co_worker_requested(case: Case) -> Message:
    return Message(
        subject=f"{case.reference}: a co-worker from another team is waiting for your approval",
        body=(
            f"A practitioner from another team has been asked to join case {case.reference} as a "
            "co-worker. They cannot see the case until you approve. Approve or refuse the request "
            "on the case page."
        ),
    )


def co_worker_decided(case: Case, *, answer: str) -> Message:
    return Message(
        subject=f"{case.reference}: the request to add a co-worker was {answer}",
        body=f"The line manager {answer} the request to add a co-worker to case {case.reference}.",
    )
