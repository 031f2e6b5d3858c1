"""A form that could not be saved is kept for the person who typed it (issue 21).

A session ends after 30 minutes idle, and signing in again in another tab makes an open form's
CSRF token stale. Either way the post cannot be saved, and before this the doorstep notes were
simply gone. Now the posted fields are kept, server-side, and the person lands back on the form
with their text after signing in.

How it stays safe:

- From where: only a post the browser says came from the service's own pages (its `Origin` and
  `Sec-Fetch-Site` headers); both cookies below are `SameSite=Lax` too, so a page elsewhere
  cannot put text in someone's form.
- What is kept: the posted text fields only. Not files, not the CSRF token, not any field whose
  name says it is a password, and nothing posted to the sign-in and account pages or the admin.
- Where: a `KeptPost` row, whose id is a random token. The browser holds only that token, in a
  signed, HTTP-only cookie; the text never leaves the server.
- For whom: every row names a user. On a CSRF failure that is the signed-in user. An expired
  session no longer knows who it was, so every signed-in response sets a second signed, HTTP-only
  cookie naming the user (`LAST_USER_COOKIE`); the row is made for that user. With neither,
  nothing is kept: a post nobody can be tied to is discarded.
- Given back: only to that same user, only on the kept page, and only through the page's own
  view (`posted_or_kept`), which has already checked access as for any GET. Anyone else signing
  in on the same browser has the row deleted on their first request, unseen. The text is shown
  as the form's data, with the banner; nothing is saved until the person saves it again.
- How long: the row is deleted when claimed, and otherwise after `KEPT_POST_SECONDS` (a day by
  default); expired rows are deleted whenever a post is kept or looked for, and every hour
  (`cases.tasks.kept_posts_expire`) for a browser that never comes back.
"""

import secrets

from django.conf import settings
from django.contrib import messages
from django.http import QueryDict
from django.shortcuts import resolve_url
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from . import drafts
from .models import KeptPost, User

KEPT_POST_COOKIE = "kept_post"
LAST_USER_COOKIE = "signed_in_as"
_SALT = "cases.kept_posts"
# Posts that are never kept: signing in and account pages (passwords, codes), and the admin.
NOT_KEPT_PREFIXES = ("/accounts/", "/admin/")
NOT_KEPT_FIELDS = ("csrfmiddlewaretoken",)
# A kept post is bounded like any stored text: a form far larger than any of ours is not kept.
MAX_KEPT_CHARS = 200_000

# Marked here and translated where it is shown: it stays plain text to compare a page with.
BANNER = gettext_noop("You were signed out, so your answers were not saved. Check them and save again.")


def _kept_field(name: str) -> bool:
    return name not in NOT_KEPT_FIELDS and "password" not in name.lower()


def _set_cookie(response, name: str, value: str, *, max_age: int | None) -> None:
    response.set_signed_cookie(
        name,
        value,
        salt=_SALT,
        max_age=max_age,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def _cookie(request, name: str) -> str | None:
    return request.get_signed_cookie(name, default=None, salt=_SALT)


def delete_expired() -> int:
    """Delete every kept post past its period; how many went."""
    return KeptPost.objects.filter(expires_at__lte=timezone.now()).delete()[0]


def _last_user(request) -> User | None:
    user_pk = _cookie(request, LAST_USER_COOKIE)
    if user_pk is None:
        return None
    return User.objects.filter(pk=user_pk, is_active=True).first()


def _same_site(request) -> bool:
    """Sent by this service's own pages. A page elsewhere posting here (which the CSRF check
    refuses) must not put its text in someone's form: the browser says where a post came from."""
    origin = request.headers.get("Origin")
    if origin is not None and origin != f"{request.scheme}://{request.get_host()}":
        return False
    return request.headers.get("Sec-Fetch-Site", "same-origin") == "same-origin"


def keep_post(request) -> KeptPost | None:
    """Keep this request's posted fields for the user it belongs to (give the browser its token
    with `hand_over`). None when nothing may be kept: no user to tie it to, an account page, too
    large."""
    if request.method != "POST" or request.path.startswith(NOT_KEPT_PREFIXES) or not _same_site(request):
        return None
    if drafts.DRAFT_FIELD in request.POST:
        # A draft saved in the background as the session ended: the draft saved before stands.
        return None
    user = request.user if request.user.is_authenticated else _last_user(request)
    if user is None:
        return None
    fields = {name: request.POST.getlist(name) for name in request.POST if _kept_field(name)}
    if not fields or sum(len(v) for values in fields.values() for v in values) > MAX_KEPT_CHARS:
        return None
    delete_expired()
    now = timezone.now()
    kept = KeptPost.objects.create(
        token=secrets.token_urlsafe(32),
        user=user,
        path=request.get_full_path()[:2000],
        fields=fields,
        created_at=now,
        expires_at=now + timezone.timedelta(seconds=settings.KEPT_POST_SECONDS),
    )
    return kept


def hand_over(response, kept: KeptPost) -> None:
    """Give the browser the kept post's token: the only thing about it the browser holds."""
    _set_cookie(response, KEPT_POST_COOKIE, kept.token, max_age=settings.KEPT_POST_SECONDS)


def kept_path(request) -> str | None:
    """The page of this browser's kept post, when it is the signed-in user's: where they go back
    to after signing in."""
    token = _cookie(request, KEPT_POST_COOKIE)
    if token is None or not request.user.is_authenticated:
        return None
    kept = KeptPost.objects.filter(token=token, user=request.user, expires_at__gt=timezone.now()).first()
    return kept.path if kept is not None else None


def posted_or_kept(request) -> QueryDict | None:
    """A form's data: what is posted on a POST; on a GET, what this user posted to this page when
    it could not be saved (then the page shows the banner), else their draft of it
    (cases/drafts.py), or None for an empty form.

    Call it from the view after its access check, in place of `request.POST if POST else None`.
    The kept post is claimed (deleted) here: shown once, saved only if the person saves it. A
    draft's own save or discard, posted to the page, stops the view here (`drafts.DraftPosted`).
    """
    if request.method == "POST":
        drafts.on_post(request)
        return request.POST
    if (kept := _claim(request)) is not None:
        return kept
    return drafts.restored(request)


def _claim(request) -> QueryDict | None:
    token = _cookie(request, KEPT_POST_COOKIE)
    if token is None or not request.user.is_authenticated:
        return None
    delete_expired()
    kept = KeptPost.objects.filter(token=token, user=request.user, path=request.get_full_path()).first()
    if kept is None:
        return None
    kept.delete()
    request.kept_post_restored = True
    messages.warning(request, _(BANNER))
    return drafts.as_form_data(kept.fields)


def _is_login_redirect(response) -> bool:
    location = response.get("Location", "") if response.status_code == 302 else ""
    return location.split("?", 1)[0] == resolve_url(settings.LOGIN_URL)


class KeptPostMiddleware:
    """Keep a post sent after the session ended; name the signed-in user for that; discard a kept
    post when someone else signs in on the browser.

    A login-protected view answers an anonymous POST with a redirect to sign in, carrying the
    page to come back to; the post is kept then, for the user the browser was last signed in as.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is None:
            return response
        expired = request.method == "POST" and not user.is_authenticated and _is_login_redirect(response)
        if expired and (kept := keep_post(request)) is not None:
            hand_over(response, kept)
            messages.warning(
                request,
                _(
                    "You were signed out because the page was not used for a while. "
                    "Sign in to go back to your form: your answers are kept."
                ),
            )
        if user.is_authenticated:
            if _cookie(request, LAST_USER_COOKIE) != str(user.pk):
                # A browser-session cookie, like the session's own.
                _set_cookie(response, LAST_USER_COOKIE, str(user.pk), max_age=None)
            token = _cookie(request, KEPT_POST_COOKIE)
            if token is not None and (
                getattr(request, "kept_post_restored", False)
                or not KeptPost.objects.filter(token=token, user=user).exists()
            ):
                # Someone else's kept post is deleted unseen; a claimed or gone one, forgotten.
                KeptPost.objects.filter(token=token).exclude(user=user).delete()
                response.delete_cookie(KEPT_POST_COOKIE, samesite="Lax")
        return response
