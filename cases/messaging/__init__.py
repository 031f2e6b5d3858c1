"""Sending texts, emails and letters to families: GOV.UK Notify, or a local outbox without it.

The kernel's adapter (docs/notify.md). `backend()` is chosen by settings: with `NOTIFY_API_KEY`
the official client talks to GOV.UK Notify; without it, every message is kept in the local outbox
(`OutboxMessage`), shown in the app as "Messages not sent: local outbox", so the product runs with
no key. What is sent, to whom and when is engagement's business (`engagement.messages`).

Callbacks from Notify are checked here (`callback_token_ok`); UK numbers are normalised here
(`normalise_uk_phone`) so an inbound text can be matched to the person whose number it is.
"""

from .backends import (
    Backend,
    MessagingError,
    NotifyBackend,
    OutboxBackend,
    backend,
    notify_status,
)
from .callbacks import DELIVERY as DELIVERY_CALLBACK
from .callbacks import INBOUND as INBOUND_CALLBACK
from .callbacks import callback_refused, callback_token_ok
from .models import MessageChannel, OutboxMessage
from .phone import normalise_uk_phone

__all__ = [
    "DELIVERY_CALLBACK",
    "INBOUND_CALLBACK",
    "Backend",
    "MessageChannel",
    "MessagingError",
    "NotifyBackend",
    "OutboxBackend",
    "OutboxMessage",
    "backend",
    "callback_refused",
    "callback_token_ok",
    "normalise_uk_phone",
    "notify_status",
]
