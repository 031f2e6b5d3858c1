"""Drafts of the long forms, saved on the server as the person types (issue 21).

A practitioner types the doorstep notes on a phone, is called away, and comes back the next day
on another device: what they typed is there, with "Draft saved at 14:32".

How it works, in one place for every long form:

- Saving: static/js/drafts.js posts the form's fields to the form's own page, with
  `_draft=save`, a couple of seconds after the person stops typing and when they leave the page.
  The page's view checks access exactly as for the form itself, then calls
  `kept_posts.posted_or_kept`, which hands the draft post here (`DraftPosted`) instead of
  letting the view validate or save anything. `DraftMiddleware` saves the draft and answers
  204 with the time it was saved. Someone who cannot open the form cannot save a draft (404).
- Restoring: a GET of the form page gives the draft back as the form's data (server side: no
  script needed), with a banner "Draft saved at 14:32: restored" and a "Discard draft" button
  (a plain form posting `_draft=discard` to the page). A post kept after a session ended is
  newer than any draft and wins.
- Deleting: when the form is saved (the page answers a post with a redirect, the GOV.UK
  post-redirect-get), on "Discard draft", after `DraftSettings.draft_days` (an admin setting;
  `cases.tasks.drafts_expire` every hour), and with its case at disposal.

Who sees it: only the person who typed it (every draft names its user; nothing reads another
user's draft), only on its page, after that page's access check. Reading it is logged as the
page's view is (the page answers 200); saving answers 204 and is not a read. Admins configure
how long drafts are kept and never see one: `Draft` is not in the admin.
"""

import datetime as dt

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect, QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Draft, DraftSettings, User

DRAFT_FIELD = "_draft"
SAVE = "save"
DISCARD = "discard"
SAVED_AT_HEADER = "Draft-Saved-At"
# Never part of a draft: the CSRF token, the draft's own field, anything named like a password.
NOT_DRAFTED_FIELDS = ("csrfmiddlewaretoken", DRAFT_FIELD)
# Bounded like any stored text: a post far larger than any of our forms is not kept.
MAX_DRAFT_CHARS = 200_000


class DraftPosted(Exception):
    """A draft's save or discard posted to a form's page, after the page's access check.

    Raised from the view (through `posted_or_kept`) so the view goes no further: nothing is
    validated or saved as a record. `DraftMiddleware` answers it.
    """

    def __init__(self, *, action: str, user: User, case_pk: int, path: str, fields: dict[str, list[str]]):
        super().__init__(action)
        self.action = action
        self.user = user
        self.case_pk = case_pk
        self.path = path
        self.fields = fields


# ---------------------------------------------------------------------------------------------
# Selectors.


def draft_settings() -> DraftSettings:
    """The admin's drafts setting; the default until an admin saves it (a read never writes)."""
    return DraftSettings.objects.filter(pk=1).first() or DraftSettings(pk=1)


def draft_settings_row() -> DraftSettings:
    """The settings row, made with the default if missing: for the admin's page, which edits it."""
    settings, _created = DraftSettings.objects.get_or_create(pk=1)
    return settings


def _oldest_kept(now: dt.datetime) -> dt.datetime:
    return now - dt.timedelta(days=draft_settings().draft_days)


def draft_for(*, user: User, path: str) -> Draft | None:
    """This user's own draft of the form on this page, unless it has expired."""
    if not user.is_authenticated:
        return None
    # The setting is read only when there is a draft: a form's page costs one query more, not two.
    draft = Draft.objects.filter(user=user, path=path).first()
    if draft is None or draft.saved_at <= _oldest_kept(timezone.now()):
        return None
    return draft


def saved_label(draft: Draft, *, today: dt.date | None = None) -> str:
    """ "Draft saved at 14:32", with the day when it was not today."""
    saved = timezone.localtime(draft.saved_at)
    today = today or timezone.localdate()
    if saved.date() == today:
        return _("Draft saved at %(time)s") % {"time": f"{saved:%H:%M}"}
    return _("Draft saved at %(time)s on %(day)s") % {"time": f"{saved:%H:%M}", "day": f"{saved:%A %-d %B}"}


# ---------------------------------------------------------------------------------------------
# Services.


def draft_save(*, user: User, case_pk: int, path: str, fields: dict[str, list[str]]) -> Draft:
    """Keep what this user has typed into the form on this page, replacing their earlier draft."""
    draft, _created = Draft.objects.update_or_create(
        user=user, path=path, defaults={"case_id": case_pk, "fields": fields, "saved_at": timezone.now()}
    )
    return draft


def draft_discard(*, user: User, path: str) -> int:
    """Delete this user's draft of the form on this page; how many went (0 or 1)."""
    return Draft.objects.filter(user=user, path=path).delete()[0]


def drafts_delete_expired(*, now: dt.datetime | None = None) -> int:
    """Delete every draft not typed in for the admin's number of days; how many went."""
    return Draft.objects.filter(saved_at__lte=_oldest_kept(now or timezone.now())).delete()[0]


# ---------------------------------------------------------------------------------------------
# The forms' pages.


def as_form_data(fields: dict) -> QueryDict:
    """Stored fields as a form's data: each name with its list of values, like a post."""
    data = QueryDict(mutable=True)
    for name, values in fields.items():
        data.setlist(name, [v for v in values if isinstance(v, str)])
    data._mutable = False
    return data


def _drafted_field(name: str) -> bool:
    return name not in NOT_DRAFTED_FIELDS and "password" not in name.lower()


def _case_pk(request) -> int | None:
    match = getattr(request, "resolver_match", None)
    case_pk = match.kwargs.get("case_pk") if match is not None else None
    return int(case_pk) if case_pk is not None else None


def on_post(request) -> None:
    """Called by `posted_or_kept` on a POST, after the page's access check.

    A draft's save or discard is raised for the middleware; any other post is the form being
    submitted, and a success (a redirect) deletes the draft (`DraftMiddleware`).
    """
    case_pk = _case_pk(request)
    if case_pk is None or not request.user.is_authenticated:
        return
    request.drafts_on = True
    action = request.POST.get(DRAFT_FIELD)
    if action in (SAVE, DISCARD):
        fields = {name: request.POST.getlist(name) for name in request.POST if _drafted_field(name)}
        raise DraftPosted(action=action, user=request.user, case_pk=case_pk, path=request.path, fields=fields)
    request.drafted_form_posted = True


def restored(request) -> QueryDict | None:
    """On a GET of a form's page: this user's draft of it as the form's data (the page shows the
    banner), or None."""
    if _case_pk(request) is None:
        return None
    # The page's form may save drafts: its template marks it `data-draft` for drafts.js.
    request.drafts_on = True
    draft = draft_for(user=request.user, path=request.path)
    if draft is None:
        return None
    request.draft_restored = saved_label(draft)
    return as_form_data(draft.fields)


class DraftMiddleware:
    """Answer a draft's save or discard; delete the draft when its form is saved."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "drafted_form_posted", False) and response.status_code in (302, 303):
            # Saved: the record holds what was typed now. (A form with errors answers 200.)
            draft_discard(user=request.user, path=request.path)
        return response

    def process_exception(self, request, exception):
        if not isinstance(exception, DraftPosted):
            return None
        if exception.action == DISCARD:
            draft_discard(user=exception.user, path=exception.path)
            messages.info(request, _("Draft discarded."))
            return HttpResponseRedirect(exception.path, status=303)
        fields = exception.fields
        if sum(len(v) for values in fields.values() for v in values) > MAX_DRAFT_CHARS:
            return HttpResponse(status=413)
        draft = draft_save(user=exception.user, case_pk=exception.case_pk, path=exception.path, fields=fields)
        response = HttpResponse(status=204)
        response[SAVED_AT_HEADER] = f"{timezone.localtime(draft.saved_at):%H:%M}"
        return response
