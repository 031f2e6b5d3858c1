"""Notify's callbacks carry the bearer token the service gave Notify: anything else is refused.

Notify keeps a bearer token per callback: one for delivery receipts (texts, emails, letters, and
the returned-letter callback), another for received text messages. The product keeps them apart,
so a token that leaks from one callback cannot be used to forge the other.
"""

import hmac
import logging

from django.conf import settings

from cases.audit import client_address, field

security = logging.getLogger("security")

# Which setting holds the bearer token of each kind of callback.
DELIVERY = "NOTIFY_CALLBACK_TOKEN"
INBOUND = "NOTIFY_INBOUND_CALLBACK_TOKEN"


def callback_token_ok(request, *, token_setting: str = DELIVERY) -> bool:
    """Whether the request carries the token in `token_setting` (DELIVERY for delivery receipts and
    returned letters, INBOUND for received texts) as its bearer token, compared in constant time.
    With no token configured, no callback of that kind is accepted."""
    expected = getattr(settings, token_setting, "") or ""
    header = request.headers.get("Authorization", "")
    scheme, _, given = header.partition(" ")
    if not expected or scheme.lower() != "bearer" or not given:
        return False
    return hmac.compare_digest(given.strip().encode(), expected.encode())


def callback_refused(request, *, what: str) -> None:
    """A callback without the right bearer token: logged to the security log, answered 401."""
    security.warning(
        "notify callback refused: what=%s token=%s address=%s",
        field(what),
        "missing" if not request.headers.get("Authorization") else "wrong",
        field(client_address(request)),
    )
