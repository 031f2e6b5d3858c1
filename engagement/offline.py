"""The device's outbox sends each attempt recorded with no connection here, one at a time.

The attempt is judged by the same form and the same service as one saved online
(`ContactAttemptForm`, `services.contact_attempt_record`), with the time the practitioner gave
for it, so the flow chart counts it on the day it happened rather than the day it arrived. The
device makes the attempt's id: the same id again (a retry after a lost answer) is answered with
the first record, never a second one.

Answers are JSON for the outbox to show: 201 saved, 200 saved before, 409 the case is closed,
422 something to correct (each with the words a practitioner can act on). A case the user no
longer works on (reassigned) answers 404 like any case not theirs; the outbox says what to do.
"""

from django.http import JsonResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cases.access import CaseAction, case_view, log_access
from cases.http import accepts

from . import selectors, services
from .forms import ContactAttemptForm
from .safety.selectors import incident_for_attempt
from .views import attempt_saved_message

NO_CLIENT_ID = _("This attempt has no id from the device, so it cannot be saved safely: record it again")


def _answer(attempt, *, status: int, already: bool) -> JsonResponse:
    body = {
        "status": "already_saved" if already else "saved",
        "client_id": str(attempt.client_id),
        "attempt": {
            "id": attempt.pk,
            "kind": attempt.get_kind_display(),
            "outcome": attempt.outcome_label,
            "occurred_at": attempt.occurred_at.isoformat(),
            "url": reverse(
                "engagement:attempt_detail", kwargs={"case_pk": attempt.case_id, "pk": attempt.pk}
            ),
        },
        "message": attempt_saved_message(attempt, already=already),
    }
    if attempt.hostile and incident_for_attempt(attempt) is None:
        # Online, the practitioner goes straight on to the incident form; offline, the outbox
        # links to it, because the manager must hear of it as soon as possible.
        url = reverse("engagement:hostile_incident_record", kwargs={"case_pk": attempt.case_id})
        body["incident_url"] = f"{url}?attempt={attempt.pk}"
    return JsonResponse(body, status=status)


def _refused(status: int, message: str, errors: dict | None = None) -> JsonResponse:
    return JsonResponse({"status": "refused", "message": str(message), "errors": errors or {}}, status=status)


@accepts("POST")
@case_view(CaseAction.WORK, what="contact attempt sent from the device")
def attempt_sync(request, case):
    """Save one attempt from the device's outbox (the attempt form's fields, and its `client_id`)."""
    earlier = selectors.attempt_by_client_id(case, request.POST.get("client_id"))
    if earlier is not None:
        # Saved already: the answer to a retry is the first record, whatever the case is now.
        log_access(request, case=case, what="contact attempt", object_id=earlier.pk)
        return _answer(earlier, status=200, already=True)
    data = request.POST.copy()
    # The device records attempts made by the person signed in to it.
    data.setdefault("made_by", str(request.user.pk))
    form = ContactAttemptForm(data, case=case, user=request.user)
    if not form.is_valid():
        errors = {field: [str(e) for e in messages] for field, messages in form.errors.items()}
        first = next(iter(form.errors.values()))[0]
        return _refused(422, str(first), errors)
    client_id = form.submitted_client_id()
    if client_id is None:
        return _refused(422, NO_CLIENT_ID)
    try:
        attempt = services.contact_attempt_record(
            case=case, by=request.user, client_id=client_id, **form.service_arguments()
        )
    except services.ContactAttemptError as error:
        return _refused(422 if case.is_open else 409, str(error))
    log_access(request, case=case, what="contact attempt", object_id=attempt.pk)
    return _answer(attempt, status=200 if attempt.already_saved else 201, already=attempt.already_saved)
