"""Request-wide policies: disabled users, required MFA, privacy headers, refusals logged."""

from django.conf import settings
from django.contrib.auth import SESSION_KEY, logout
from django.shortcuts import redirect
from django.urls import reverse


class ActiveUserMiddleware:
    """End a disabled user's session on their very next request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # A disabled user no longer resolves to a user, but their session would linger: end it.
        if SESSION_KEY in request.session and not request.user.is_authenticated:
            logout(request)
        return self.get_response(request)


def mfa_required_for(user) -> bool:
    if not user.is_authenticated or user.email in settings.MFA_EXEMPT_EMAILS:
        return False
    return settings.MFA_REQUIRED_FOR_ALL or user.role in settings.MFA_REQUIRED_ROLES


class RequireMfaMiddleware:
    """Send users whose role requires MFA to set up an authenticator before anything else."""

    allowed_prefixes = ("/accounts/", "/static/", "/healthz")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            mfa_required_for(user)
            and not request.path.startswith(self.allowed_prefixes)
            and not _has_authenticator(user)
        ):
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)


def _has_authenticator(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


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
