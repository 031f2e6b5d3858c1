"""Security events to the `security` logger, and the filter that keeps secrets out of every log.

Events name people by their user id and cases by their id, never by name or content: the logs
go to places (a log shipper, a SIEM, a support ticket) that are not cleared to hold case text.
"""

import logging
import re

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models.signals import post_save, pre_save
from django.utils.translation import gettext as _

security = logging.getLogger("security")


def client_address(request) -> str:
    """The client's address as the trusted proxy saw it (ALLAUTH_TRUSTED_PROXY_COUNT), the same
    address the sign-in limits count; X-Forwarded-For beyond the trusted proxies is ignored."""
    # Imported here: LOGGING loads this module (RedactingFilter) before the apps are ready.
    from allauth.account.adapter import get_adapter

    if request is None:
        return "-"
    try:
        return get_adapter(request).get_client_ip(request)
    # No address at all, or fewer forwarded than proxies trusted (the request skipped the proxy).
    except (PermissionDenied, ImproperlyConfigured):
        return "-"


def field(value) -> str:
    """A value as it may appear in a log line: text a client sent (a path, a header) cannot start
    a line of its own, so line breaks and other control characters are shown escaped."""
    return str(value).encode("unicode_escape").decode("ascii")


def _identifier(value) -> str:
    """What was typed as the login, kept only when it looks like an email address.

    People sometimes type their password into the email box: that must not reach the log.
    """
    value = str(value or "")
    if re.fullmatch(r"[^@\s]{1,64}@[^@\s]{1,190}", value):
        return value.lower()
    return "(not an email address)"


def login_failed(sender, credentials, request=None, **kwargs):
    login = credentials.get("email") or credentials.get("username") or credentials.get("login")
    security.warning(
        "login failed: login=%s address=%s", field(_identifier(login)), field(client_address(request))
    )


def logged_in(sender, request, user, **kwargs):
    security.info("login: user=%s address=%s", user.pk, field(client_address(request)))


def logged_out(sender, request, user, **kwargs):
    security.info("logout: user=%s address=%s", getattr(user, "pk", None), field(client_address(request)))


def password_changed(sender, request, user, **kwargs):
    security.info("password changed: user=%s address=%s", user.pk, field(client_address(request)))


def password_reset(sender, request, user, **kwargs):
    security.info("password reset: user=%s address=%s", user.pk, field(client_address(request)))


def account_event(event: str, *, user, by, request=None) -> None:
    """A change to someone's sign-in (password, authenticator, email, whether they may sign in),
    with who made it: the person themselves, or the admin who did it for them."""
    security.info(
        "%s: user=%s by=%s address=%s",
        event,
        user.pk,
        getattr(by, "pk", None),
        field(client_address(request)),
    )


def email_changed(sender, request, user, **kwargs):
    account_event("email changed", user=user, by=user, request=request)


def authenticator_added(sender, request, user, authenticator, **kwargs):
    account_event(f"authenticator added ({authenticator.type})", user=user, by=user, request=request)


def authenticator_removed(sender, request, user, authenticator, **kwargs):
    account_event(f"authenticator removed ({authenticator.type})", user=user, by=user, request=request)


def authenticator_reset(sender, request, user, authenticator, **kwargs):
    account_event(f"authenticator reset ({authenticator.type})", user=user, by=user, request=request)


def access_denied(request, *, what: str, object_id) -> None:
    """Someone asked for something that exists and was refused (answered 404)."""
    user = getattr(request, "user", None)
    security.warning(
        "access denied: user=%s what=%s id=%s address=%s",
        getattr(user, "pk", None),
        field(what),
        field(object_id),
        field(client_address(request)),
    )


# A user's sign-in email is changed by an admin, never by the user (docs/security.md, "Accounts").
# Whatever made the change (the admin, a command, a shell), it is logged and the old address is
# told, so an owner whose account was moved away learns of it where they still read mail.


def _remember_sign_in_email(sender, instance, update_fields=None, **kwargs):
    if instance.pk is None or (update_fields is not None and "email" not in update_fields):
        return
    instance._sign_in_email_before = (
        sender.objects.filter(pk=instance.pk).values_list("email", flat=True).first()
    )


def _sign_in_email_changed(sender, instance, created, **kwargs):
    from allauth.account.models import EmailAddress

    before = getattr(instance, "_sign_in_email_before", None)
    instance._sign_in_email_before = instance.email
    if created or before is None or before == instance.email:
        return
    # allauth keeps its own record of each address it has seen a user sign in with, and signs
    # in by any of them: the old address must stop working the moment the admin replaces it.
    EmailAddress.objects.filter(user=instance).exclude(email__iexact=instance.email).delete()
    security.info("sign-in email changed: user=%s", instance.pk)
    # A mail server that is down must not undo or fail the admin's change: robust, and logged.
    transaction.on_commit(lambda: _tell_the_old_address(before), robust=True)


def _tell_the_old_address(address: str) -> None:
    EmailMessage(
        subject=_("%(service)s: the email address you sign in with has changed")
        % {"service": settings.SERVICE_NAME},
        body=_(
            "The email address you use to sign in to %(service)s has been changed by "
            "an administrator. You will no longer receive emails from the service at this "
            "address.\n\nIf you did not ask for this, contact your administrator or IT service "
            "desk straight away."
        )
        % {"service": settings.SERVICE_NAME},
        to=[address],
    ).send()


def connect() -> None:
    from allauth.account import signals as account_signals
    from allauth.mfa import signals as mfa_signals

    user_login_failed.connect(login_failed, dispatch_uid="security-login-failed")
    user_logged_in.connect(logged_in, dispatch_uid="security-logged-in")
    user_logged_out.connect(logged_out, dispatch_uid="security-logged-out")
    account_signals.password_changed.connect(password_changed, dispatch_uid="security-password-changed")
    account_signals.password_set.connect(password_changed, dispatch_uid="security-password-set")
    account_signals.password_reset.connect(password_reset, dispatch_uid="security-password-reset")
    account_signals.email_changed.connect(email_changed, dispatch_uid="security-email-changed")
    mfa_signals.authenticator_added.connect(authenticator_added, dispatch_uid="security-mfa-added")
    mfa_signals.authenticator_removed.connect(authenticator_removed, dispatch_uid="security-mfa-removed")
    mfa_signals.authenticator_reset.connect(authenticator_reset, dispatch_uid="security-mfa-reset")
    user_model = get_user_model()
    pre_save.connect(_remember_sign_in_email, sender=user_model, dispatch_uid="security-email-before")
    post_save.connect(_sign_in_email_changed, sender=user_model, dispatch_uid="security-email-changed")


# ---------------------------------------------------------------------------------------------
# Redaction: whatever reaches a handler passes through this filter first.

REDACTED = "[redacted]"

# `password=...`, `"token": "..."`, `Authorization: Bearer ...` and the like, in any message.
_SECRET_PAIRS = re.compile(
    r"""(?ix)
    (?P<key>[\w-]*(?:password|passwd|passphrase|secret|token|api[_-]?key|session(?:id|_key)?
        |csrf(?:token|middlewaretoken)?|authorization|cookie|otp|recovery[_-]?code|signature)[\w-]*)
    (?P<quote>["']?)
    (?P<sep>\s*[:=]\s*)
    (?:(?P<scheme>bearer|basic)\s+)?
    (?P<value>"[^"]*"|'[^']*'|[^\s&,;]+)
    """
)
# The password reset link carries its key in the path: /accounts/password/reset/key/<uid>-<key>/
_RESET_KEY = re.compile(r"(/password/reset/key/)[^/\s?\"']+")


def _redact_pair(match: re.Match) -> str:
    scheme = f"{match['scheme']} " if match["scheme"] else ""
    return f"{match['key']}{match['quote']}{match['sep']}{scheme}{REDACTED}"


def redact(text: str) -> str:
    text = _RESET_KEY.sub(rf"\1{REDACTED}", text)
    return _SECRET_PAIRS.sub(_redact_pair, text)


class RedactingFilter(logging.Filter):
    """Rewrite each record so no password, token, key or reset link reaches a handler.

    The message is formatted first and its arguments dropped, so a secret passed as an argument
    is redacted too. Tracebacks are rendered and redacted the same way: a failed form's locals
    must not carry a password into the log.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is still logged, with its raw template
            message = str(record.msg)
        record.msg = redact(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True
