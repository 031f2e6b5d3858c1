"""Two people editing one record: the second to save is told, and nothing is overwritten silently.

Each edit form carries the record's version as it was when the page was opened: the id of its
newest history row, which every save writes (django-simple-history), so no model needs a
version column. On save the record's row is locked and its version compared; if someone else
saved in between, the save is refused with a GOV.UK error, what the user typed stays on the
page, and the form now carries the new version, so saving again is a deliberate choice made
after reading the error.

In a view::

    guard = EditGuard(request, attempt)
    form = guard.attach(ContactAttemptForm(...))
    if request.method == "POST" and form.is_valid():
        try:
            with guard.saving():
                services.contact_attempt_update(...)
        except (services.ContactAttemptError, EditConflict) as error:
            form.add_error(None, str(error))
"""

import contextlib

from crispy_forms_gds.layout import Hidden
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

FIELD = "record_version"


class EditConflict(Exception):
    """Someone else saved the record after this user opened it."""


def version_of(record) -> str:
    latest = record.history.order_by("-history_id").values_list("history_id", flat=True).first()
    return str(latest or 0)


def _conflict_message(record) -> str:
    latest = record.history.order_by("-history_id").select_related("history_user").first()
    if latest is None:
        return _(
            "Someone else changed this since you opened it (someone else saved it). Your changes have "
            "not been saved: they are still below. Open the record in a new tab to see what was "
            "changed, then save again to replace it with yours"
        )
    who = str(latest.history_user) if latest.history_user is not None else _("someone else")
    return _(
        "Someone else changed this since you opened it (%(who)s saved it at %(time)s on %(date)s). "
        "Your changes have not been saved: they are still below. Open the record in a new tab to see "
        "what was changed, then save again to replace it with yours"
    ) % {
        "who": who,
        "time": f"{timezone.localtime(latest.history_date):%H:%M}",
        "date": f"{timezone.localtime(latest.history_date):%-d %B %Y}",
    }


class EditGuard:
    """The version a form was opened at, checked again under a row lock when it is saved."""

    def __init__(self, request, record, data=None):
        """`data`: the form's data when it is not this request's post: a kept post given back
        after sign-in (cases.kept_posts) carries the version the person first opened, so a save
        made by someone else in between is still caught."""
        self.record = record
        if data is None and request.method == "POST":
            data = request.POST
        posted = data.get(FIELD) if data is not None else None
        # A request without the field (a script, an old page) is not checked: every page this
        # service renders sends it.
        self.seen = posted or None
        self.hidden = Hidden(FIELD, self.seen or version_of(record))

    def attach(self, form, helper=None):
        """Add the hidden version to the form's layout; return the form."""
        (helper or form.helper).layout.append(self.hidden)
        return form

    @contextlib.contextmanager
    def saving(self):
        """Lock the record, refuse if it changed since the form was opened, then save."""
        with transaction.atomic():
            model = type(self.record)
            list(model.objects.select_for_update().filter(pk=self.record.pk).values_list("pk", flat=True))
            current = version_of(self.record)
            if self.seen is not None and self.seen != current:
                # The page shown again carries the new version: saving again is a deliberate choice.
                self.hidden.value = current
                raise EditConflict(_conflict_message(self.record))
            yield
