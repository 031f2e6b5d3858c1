"""Notify's callbacks carry the bearer token the service gave Notify: anything else is refused."""

import hmac
import logging

from django.conf import settings

from cases.audit import client_address, field

security = logging.getLogger("security")


def callback_token_ok(request) -> bool:
    """Whether the request carries `NOTIFY_CALLBACK_TOKEN` as its bearer token, compared in
    constant time. With no token configured, no callback is accepted."""
    expected = settings.NOTIFY_CALLBACK_TOKEN or ""
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
