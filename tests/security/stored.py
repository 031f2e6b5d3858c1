"""Payloads straight into the database: every free-text column of every row, found from the models.

The forms are one way text gets in; imports, the admin and tomorrow's new screens are others. These
helpers put a payload in every text column people write, so a sweep of the pages needs no list of
fields to stay complete.
"""

from django.apps import apps
from django.db import models

# Text the service makes or checks itself, not what people type: ids, keys, hashes, paths, emails.
SYSTEM_TEXT = {
    "cases.User": {"password", "email"},
    "cases.Case": {"reference"},
    # Ten digits with the NHS's check digit (cases/identifiers.py): no payload is that short.
    "cases.Person": {"nhs_number"},
    "cases.AccessLogEntry": {"what", "object_id", "path"},
    "cases.DisposalRecord": {"case_reference", "record_type"},
    "cases.Document": {"sha256", "source_type", "source_id"},
    # A gathered item names the record it was copied from; a release keeps its file's hash.
    "cases.GatheredItem": {"source_type", "source_id"},
    "cases.SubjectAccessRelease": {"sha256"},
    "cases.KeptPost": {"token", "path"},  # a random id, and the page the form was posted to
    "cases.StoredFile": {"name"},  # the storage's own file name (cases/storage.py)
    "engagement.AgreementSignature": {"drawing"},  # a PNG data URL, checked as an image
    "cases.Notification": {"kind", "key", "url"},
    "flowchart.Pathway": {"code"},
    # Notify's own status word (from an authenticated callback) and the reference the service made.
    "engagement.FamilyMessage": {"notify_status", "reference"},
    "cases.OutboxMessage": {"reference"},
    # The sender's number as digits only, to match it to a person; the number as sent is shown.
    "engagement.ReceivedText": {"normalised_number"},
    "riskassessment.Assessment": {"copied_signed_document_sha256"},
}
PROJECT_APPS = ("cases", "engagement", "riskassessment", "flowchart")


def free_text_fields():
    """Every text column people write (or admins configure), model by model, found from the models."""
    found = {}
    for app in PROJECT_APPS:
        for model in apps.get_app_config(app).get_models():
            if hasattr(model, "instance_type"):  # history rows copy the record's own
                continue
            label = model._meta.label
            fields = [
                f
                for f in model._meta.concrete_fields
                if isinstance(f, models.CharField | models.TextField)
                and not f.choices
                and f.name not in SYSTEM_TEXT.get(label, ())
            ]
            if fields:
                found[model] = fields
    return found


def _in_unique_constraints(model) -> set[str]:
    names = {f.name for f in model._meta.concrete_fields if f.unique}
    for together in model._meta.unique_together:
        names.update(together)
    for constraint in model._meta.constraints:
        names.update(getattr(constraint, "fields", ()) or ())
    return names


def fill_every_text_column(fill) -> None:
    """Overwrite every free-text value in the database with the filler's next payloads, row by row."""
    for model, fields in free_text_fields().items():
        # A column in a unique constraint takes a value of its own on every row; what the rows
        # hold now counts as taken: a row not yet refilled still has its value.
        unique = _in_unique_constraints(model)
        used = {
            f.attname: set(model._base_manager.values_list(f.attname, flat=True))
            for f in fields
            if f.name in unique
        }
        for pk in model._base_manager.values_list("pk", flat=True):
            values = {}
            for f in fields:
                label = f"{model._meta.label}.{f.name}"
                value = fill(label, f.max_length)
                if f.attname in used:  # a unique name (a team's, an agency's): a payload not used yet
                    for _ in range(len(fill.pool)):
                        if value not in used[f.attname]:
                            break
                        value = fill(label, f.max_length)
                    else:  # a short pool has run out of new ones: number the row's copy
                        suffix = f" {pk}"
                        value = value[: (f.max_length or len(value)) - len(suffix)] + suffix
                    used[f.attname].add(value)
                values[f.attname] = value
            model._base_manager.filter(pk=pk).update(**values)


# Columns the sweep fills that no page of its world shows, with where they do show.
SHOWN_ELSEWHERE = {
    "cases.Case.closure_reason": "on a closed case's page (the rounds above close their case)",
    "engagement.Letter.decision_notes": "on a refused letter (the rounds above refuse one)",
    "engagement.SupervisionRecord.family_discussion_notes": "once discussed (the rounds above record it)",
    "cases.Document.title": "as the PDF's download name, in the Content-Disposition header",
    "engagement.Agreement.closing_words": "in the signed agreement's PDF",
    "cases.Case.legal_hold_reason": "set and listed by the legal_hold and retention_report commands",
    "engagement.FamilyMessage.decision_notes": "on a held message's page once the manager has decided "
    "(engagement/message_detail.html); the world's message waits for the decision",
    "cases.OutboxMessage.body": "a text's or an email's words on the outbox page; a letter's row there "
    "gives its PDF's size instead, and the world's outbox holds a letter",
    "cases.Notification.failure": "why a notification could not be built as mail: for operators, in the "
    "worker's log; written by the delivery, never typed by anyone",
}
