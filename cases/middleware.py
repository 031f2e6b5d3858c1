"""Request-wide policies: disabled users, session lifetime, required MFA, privacy headers,
refusals logged."""

import functools

from django.conf import settings
from django.contrib.auth import SESSION_KEY, logout
from django.shortcuts import redirect
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone

from .compiled import compiled_read


class ActiveUserMiddleware:
    """End a disabled user's session on their very next request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # A disabled user no longer resolves to a user, but their session would linger: end it.
        if SESSION_KEY in request.session and not request.user.is_authenticated:
            logout(request)
        return self.get_response(request)


SESSION_STARTED = "_session_started_at"


class SessionLifetimeMiddleware:
    """End a session SESSION_ABSOLUTE_SECONDS after sign-in, however active it has been.

    The idle timeout alone would let a session taken over on a shared machine live for as long
    as someone keeps using it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = timezone.now().timestamp()
            # Signing in makes a new session (allauth cycles the key), so the first request of a
            # session stamps when it began.
            started = request.session.setdefault(SESSION_STARTED, now)
            if now - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
        return self.get_response(request)


def session_seconds_left(request) -> int:
    """How long a signed-in session has left if its person does nothing more.

    The idle timeout, unless the absolute lifetime ends sooner: the timeout warning counts down
    from this, and "Stay signed in" cannot carry a session past its absolute end.
    """
    now = timezone.now().timestamp()
    started = request.session.get(SESSION_STARTED, now)
    absolute_left = started + settings.SESSION_ABSOLUTE_SECONDS - now
    return max(0, int(min(settings.SESSION_COOKIE_AGE, absolute_left)))


def mfa_required_for(user) -> bool:
    if not user.is_authenticated or user.email in settings.MFA_EXEMPT_EMAILS:
        return False
    return settings.MFA_REQUIRED_FOR_ALL or user.role in settings.MFA_REQUIRED_ROLES


class RequireMfaMiddleware:
    """Send users whose role requires MFA to set up an authenticator before anything else.

    Until then only enrolment (with the password asked again, when allauth wants it) and signing
    out are open: with the password alone nobody can change the account's password or anything
    else under /accounts/.
    """

    allowed_prefixes = ("/static/", "/healthz")
    # The timeout warning's "Stay signed in" too: enrolling takes a while, and the warning shows
    # there; and the words its JavaScript shows (no one's data).
    allowed_names = (
        "mfa_activate_totp",
        "account_reauthenticate",
        "account_logout",
        "session_keep_alive",
        "javascript_catalog",
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            mfa_required_for(user)
            and not request.path.startswith(self.allowed_prefixes)
            and request.path not in _paths_of(self.allowed_names, get_script_prefix(), get_urlconf())
            and not _has_authenticator(user)
        ):
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)


@functools.cache
def _paths_of(names: tuple[str, ...], prefix: str, urlconf: str | None) -> frozenset[str]:
    """The addresses of these URL names, worked out once for each script prefix and URL
    configuration: every request of a person who must use MFA is checked against them."""
    return frozenset(reverse(name, urlconf=urlconf) for name in names)


@compiled_read
def _totp_authenticators(*, user: int):
    # Read on every request of a person who must use MFA: compiled once a process (cases.compiled).
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user_id=user, type=Authenticator.Type.TOTP).values_list("pk")[:1]


def _has_authenticator(user) -> bool:
    return bool(_totp_authenticators(user=user.pk))


class PrivacyHeadersMiddleware:
    """Headers Django does not set itself: Permissions-Policy, and no caching of signed-in pages."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            response.headers["Cache-Control"] = "no-store, private"
        return response


class RefusalLogMiddleware:
    """Log every 403 and 404 a signed-in user receives, with who they are, to the security log.

    Denied and missing objects answer alike (404), so from outside nobody can tell them apart;
    the log can. `cases/access.py` logs its own refusals in more detail, and those are not
    logged twice.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (
            response.status_code in (403, 404)
            and user is not None
            and user.is_authenticated
            and not getattr(request, "_denial_logged", False)
        ):
            from .audit import access_denied

            access_denied(
                request,
                what=f"{request.method} answered {response.status_code}",
                object_id=request.path[:200],
            )
        return response
