"""The authorization matrix's world and entries, and a way to see exactly what a request changed.

The sweeps here (extra fields, GETs, object access) take their URLs from the matrix in tests/authz,
so a URL added there is swept here too.
"""

import hashlib
import re

from django.apps import apps
from django.db import connection
from django.test import Client
from django.urls import reverse

from tests.authz.test_matrix import ENTRIES, MATRIX_MODULES
from tests.authz.world import build_world

__all__ = [
    "ENTRIES",
    "MATRIX_MODULES",
    "Snapshot",
    "canonical",
    "matrix_world",
    "same_page",
    "signed_in",
    "url_for",
]

# The table that only ever gains rows when someone reads: the access log (a row per view of case
# content, and per refusal). Reading must never change anything else...
APPEND_ONLY = frozenset({"cases.AccessLogEntry"})
# ...but the session itself: every request saves it again (SESSION_SAVE_EVERY_REQUEST restarts the
# idle timeout), and signing in writes one. Sessions hold who is signed in, never case data.
SESSIONS = frozenset({"sessions.Session"})

# Columns that differ between two runs of the very same request: random signatures and their hashes.
# A message's Notify id is a fresh UUID each send, whether Notify or the local outbox made it; a
# signed letter's size can differ by the signature's own length.
UNREPEATABLE = frozenset({"sha256", "notify_id", "pdf_bytes"})
# ...and the signed bytes themselves, kept in the database's document storage.
SIGNED_BYTES = {("cases.StoredFile", "content")}
# A notification's key spells out the ids of the records behind it ("decision:579:3608"); on
# PostgreSQL a rolled-back twin request does not give its new rows the same ids (sequences do not
# roll back), so only the key's shape is compared; so is its link, which names a record by id, and
# the id of the task it asks for (a plain number, as the task's record may be of any kind), and the
# id of the record an access-log entry names (the attempt an offline send saved and answers with).
IDS_SPELLED_OUT = {
    ("cases.Notification", "key"),
    ("cases.Notification", "url"),
    ("cases.Notification", "task_object_id"),
    ("cases.AccessLogEntry", "object_id"),
}
STORAGE_SUFFIX = re.compile(r"_[A-Za-z0-9]{7}(\.\w+)$")


def matrix_world(settings):
    """Practitioner A's case and everyone around it, with every object the matrix's URLs need."""
    # MFA enrolment is tested on its own; here it would hide what each role may reach.
    settings.MFA_REQUIRED_ROLES = []
    world = build_world()
    for module in MATRIX_MODULES:
        module.extend_world(world)
    # Each URL's objects, made now (some are made on first use) so no sweep sees them appear.
    world.kwargs = {name: entry.kwargs(world) for name, entry in ENTRIES.items()}
    world.urls = {name: reverse(name, kwargs=kwargs) for name, kwargs in world.kwargs.items()}
    return world


def url_for(name: str, kwargs: dict) -> str:
    return reverse(name, kwargs=kwargs)


def signed_in(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


_VARYING = [
    (re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"'), b'name="csrfmiddlewaretoken" value=""'),
    (re.compile(rb'nonce="[^"]*"'), b'nonce=""'),
]


def same_page(body: bytes) -> bytes:
    """A page's body without what differs on every request (CSRF tokens, CSP nonces)."""
    for pattern, replacement in _VARYING:
        body = pattern.sub(replacement, body)
    return body


def _models():
    return [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed and not m._meta.proxy and m._meta.label not in SESSIONS
    ]


class Snapshot:
    """Every row of every table, to compare before and after a request (read with plain SQL: fast)."""

    def __init__(self):
        self.rows: dict[str, dict] = {}
        self.fields: dict[str, list] = {}
        self.models: dict[str, type] = {}
        with connection.cursor() as cursor:
            for model in _models():
                label = model._meta.label
                fields = list(model._meta.concrete_fields)
                self.fields[label] = fields
                self.models[label] = model
                table = connection.ops.quote_name(model._meta.db_table)
                columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
                cursor.execute(f"SELECT {columns} FROM {table}")  # noqa: S608 - names from the models
                pk_index = fields.index(model._meta.pk)
                self.rows[label] = {
                    row[pk_index]: dict(zip((f.attname for f in fields), row, strict=True))
                    for row in cursor.fetchall()
                }

    def digest(self, label: str) -> str:
        return hashlib.sha256(
            repr(sorted(self.rows[label].items(), key=lambda kv: str(kv[0]))).encode()
        ).hexdigest()

    def changes(self, later: "Snapshot") -> dict:
        """What changed from this snapshot to a later one, new rows' ids replaced by their order.

        Comparing the changes two requests made tells whether they did the same thing, on any
        database: a row made by each gets the same placeholder id even where the ids differ.
        """
        new_ids = {
            label: {pk: f"new:{label}:{n}" for n, pk in enumerate(sorted(set(rows) - set(self.rows[label])))}
            for label, rows in later.rows.items()
        }

        def stable(label, row):
            # A history row names its record by the record's id, without a foreign key.
            original = getattr(later.models[label], "instance_type", None)
            files = {
                g.name
                for g in (original or later.models[label])._meta.concrete_fields
                if g.get_internal_type() == "FileField"
            }
            out = {}
            for f in later.fields[label]:
                value = row[f.attname]
                if f.name in UNREPEATABLE or f.attname in UNREPEATABLE or (label, f.name) in SIGNED_BYTES:
                    value = "(varies)"
                elif (label, f.name) in IDS_SPELLED_OUT:
                    value = value if value is None else re.sub(r"\d+", "#", str(value))
                elif f.primary_key:
                    value = new_ids[label].get(value, value)
                elif f.is_relation and f.related_model is not None:
                    target = f.related_model._meta.label
                    value = new_ids.get(target, {}).get(value, value)
                elif original is not None and f.attname == original._meta.pk.attname:
                    value = new_ids.get(original._meta.label, {}).get(value, value)
                elif f.name in files and value:
                    # Storage adds a random suffix when the name is taken (a rolled-back twin's file).
                    value = STORAGE_SUFFIX.sub(r"\1", value)
                out[f.attname] = value
            return out

        result = {}
        for label, rows in later.rows.items():
            before = self.rows[label]
            added = [stable(label, r) for pk, r in rows.items() if pk not in before]
            removed = [pk for pk in before if pk not in rows]
            changed = []
            for pk, row in rows.items():
                if pk in before:
                    old, new = stable(label, before[pk]), stable(label, row)
                    if old != new:
                        changed.append((pk, {k: (old[k], v) for k, v in new.items() if old[k] != v}))
            if added or removed or changed:
                result[label] = {"added": added, "removed": removed, "changed": changed}
        return result


def canonical(changes: dict) -> dict:
    """Changes in a form that compares equal when two requests did the same thing."""
    return {
        label: {kind: sorted(repr(item) for item in items) for kind, items in change.items()}
        for label, change in changes.items()
    }
