"""Where signed documents' bytes are kept: in the database, unless an authority configures object
storage.

Web servers and workers may run on different machines, so a letter signed by one must be readable
by all: files on one server's disk are not. `DatabaseStorage` keeps each file's bytes in a
`StoredFile` row, which every process reaches and the database backup includes. An authority that
prefers object storage sets `DOCUMENTS_STORAGE` to django-storages' S3 backend (docs/operations.md).

A stored file is a case record: a name is never written twice and a file is never deleted, except
while a retention disposal removes its case (`disposal_deletes_files`).

The model is looked up by label, not imported: cases/models.py names this module's
`documents_storage` on its file fields, so importing the models from here would be circular.
"""

import contextlib
import contextvars
import os
from collections.abc import Iterable
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.db import IntegrityError, models, transaction
from django.utils.deconstruct import deconstructible

_disposing = contextvars.ContextVar("disposing_files", default=False)


class StoredFileDeletionRefused(Exception):
    """Someone tried to delete a stored document outside a retention disposal."""


@contextlib.contextmanager
def disposal_deletes_files():
    """Let `DatabaseStorage.delete` remove files: only the retention disposal enters this."""
    token = _disposing.set(True)
    try:
        yield
    finally:
        _disposing.reset(token)


def documents_storage() -> Storage:
    """The storage signed documents are kept in (`STORAGES["documents"]`)."""
    return storages["documents"]


@deconstructible(path="cases.storage.DatabaseStorage")
class DatabaseStorage(Storage):
    """File bytes in the `cases.StoredFile` table: shared by every process that shares the database."""

    @staticmethod
    def _model():
        return apps.get_model("cases", "StoredFile")

    def _open(self, name, mode="rb"):
        if "w" in mode or "a" in mode or "+" in mode:
            raise ValueError("Stored documents are never changed: open them for reading only")
        try:
            stored = self._model().objects.only("content").get(name=name)
        except self._model().DoesNotExist as exc:
            raise FileNotFoundError(f"No stored file named {name}") from exc
        return ContentFile(bytes(stored.content), name=name)

    def _save(self, name, content):
        data = b"".join(content.chunks())
        if isinstance(data, str):
            data = data.encode()
        # `create`, never update: the unique name refuses a second write of one name. Two processes
        # that chose the same free name at once: the later one takes another name, as
        # `get_available_name` would have given it, and the first file keeps its bytes.
        while True:
            try:
                with transaction.atomic():
                    self._model().objects.create(name=name, content=data, size=len(data))
                return name
            except IntegrityError:
                if not self.exists(name):
                    raise  # not a clash of names
                root, ext = os.path.splitext(name)
                name = self.get_available_name(self.get_alternative_name(root, ext))

    def exists(self, name):
        return self._model().objects.filter(name=name).exists()

    def size(self, name):
        try:
            return self._model().objects.values_list("size", flat=True).get(name=name)
        except self._model().DoesNotExist as exc:
            raise FileNotFoundError(f"No stored file named {name}") from exc

    def get_created_time(self, name):
        try:
            return self._model().objects.values_list("created_at", flat=True).get(name=name)
        except self._model().DoesNotExist as exc:
            raise FileNotFoundError(f"No stored file named {name}") from exc

    get_modified_time = get_created_time  # a stored file is never modified

    def listdir(self, path):
        prefix = f"{path.rstrip('/')}/" if path else ""
        directories, files = set(), []
        for name in self._model().objects.filter(name__startswith=prefix).values_list("name", flat=True):
            head, _, tail = name[len(prefix) :].partition("/")
            if tail:
                directories.add(head)
            else:
                files.append(head)
        return sorted(directories), sorted(files)

    def url(self, name):
        # Documents are served by their case's view, which checks access and logs the read.
        raise NotImplementedError("Stored documents have no public address: serve them through their view")

    def delete(self, name):
        if not _disposing.get():
            raise StoredFileDeletionRefused(
                "Signed documents are case records and are never deleted: only a retention disposal "
                "of their case removes them"
            )
        self._model().objects.filter(name=name).delete()


def copy_files_from_disk(*, stored_file_model, names: Iterable[str], root) -> tuple[list[str], list[str]]:
    """Copy each named file under `root` into `stored_file_model`, keeping its name so existing
    links still find it. Returns the names copied and the names whose file is not on the disk (to
    be reported: the record that names it is kept as it is). Names already stored are left alone.
    """
    root = Path(root)
    copied, missing = [], []
    for name in sorted(set(names)):
        if not name or stored_file_model.objects.filter(name=name).exists():
            continue
        path = root / name
        if not path.is_file():
            missing.append(name)
            continue
        data = path.read_bytes()
        stored_file_model.objects.create(name=name, content=data, size=len(data))
        copied.append(name)
    return copied, missing


def document_file_fields(app_registry=apps) -> list[tuple[type[models.Model], str]]:
    """Every (model, field name) whose files are kept in the documents storage."""
    return [
        (model, field.name)
        for model in app_registry.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, models.FileField)
        and getattr(field, "_storage_callable", None) is documents_storage
    ]


def copy_field_files_from_media_root(app_registry, label: str, field: str, *, report) -> None:
    """Copy the files one document field names from MEDIA_ROOT into the database storage (for a
    migration, with its `apps`); each missing file is reported through `report`, its row kept."""
    if settings.STORAGES.get("documents", {}).get("BACKEND") != "cases.storage.DatabaseStorage":
        return  # object storage: the authority copies the files there (docs/operations.md)
    model = app_registry.get_model(label)
    names = model.objects.exclude(**{field: ""}).values_list(field, flat=True)
    _, missing = copy_files_from_disk(
        stored_file_model=app_registry.get_model("cases", "StoredFile"),
        names=list(names),
        root=settings.MEDIA_ROOT,
    )
    for name in missing:
        report(f"{label}.{field}: {name} is not in MEDIA_ROOT ({settings.MEDIA_ROOT}); its record is kept")
