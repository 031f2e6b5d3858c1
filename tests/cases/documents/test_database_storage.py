"""Signed documents are kept in the database every process shares, never overwritten, never deleted.

The issue: "Signed documents live where every process reaches them (the database, or
django-storages when an authority configures object storage)"; case records are evidence, so a
stored file is not silently replaced or removed.
"""

import hashlib
from io import StringIO

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from cases.documents import document_store
from cases.models import Document, DocumentKind, StoredFile
from cases.storage import (
    DatabaseStorage,
    StoredFileDeletionRefused,
    copy_field_files_from_media_root,
    disposal_deletes_files,
    documents_storage,
)
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


def _document(case, name: str, data: bytes) -> Document:
    """A document row as an older release left it: its file named, the bytes on the disk."""
    return Document.objects.create(
        case=case,
        kind=DocumentKind.LETTER,
        title="Letter",
        file=name,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        source_type="engagement.letter",
        source_id=name,
        created_by=case.lead_practitioner,
    )


def test_a_signed_document_is_kept_in_the_database_and_reads_back_to_its_hash(org_certificate, sample_pdf):
    case = CaseFactory()
    document = document_store(
        case=case,
        kind=DocumentKind.LETTER,
        title="Letter",
        pdf_bytes=sample_pdf,
        by=case.lead_practitioner,
        source=case,
        reason="Sent to the family",
    )

    stored = StoredFile.objects.get(name=document.file.name)
    assert stored.size == document.size
    assert not default_storage.exists(document.file.name)  # not on this server's disk
    with Document.objects.get(pk=document.pk).file.open("rb") as f:
        assert hashlib.sha256(f.read()).hexdigest() == document.sha256


def test_documents_use_the_database_storage_by_default():
    assert isinstance(documents_storage(), DatabaseStorage)
    for field in (
        Document._meta.get_field("file"),
        apps.get_model("riskassessment", "Assessment")._meta.get_field("copied_signed_document"),
    ):
        assert isinstance(field.storage, DatabaseStorage)


def test_a_name_is_never_written_twice():
    storage = DatabaseStorage()
    first = storage.save("documents/2026/letter.pdf", ContentFile(b"first"))
    second = storage.save("documents/2026/letter.pdf", ContentFile(b"second"))

    assert first == "documents/2026/letter.pdf" and second != first
    assert storage.open(first).read() == b"first"
    assert storage.open(second).read() == b"second"


def test_a_name_taken_by_another_process_meanwhile_gets_another_name():
    """Two processes may both find a name free; the second to write takes another one."""
    storage = DatabaseStorage()
    first = storage.save("documents/2026/letter.pdf", ContentFile(b"first"))

    second = storage._save(first, ContentFile(b"second"))  # as if its exists() ran before the first

    assert second != first and second.startswith("documents/2026/letter_")
    assert storage.open(first).read() == b"first"
    assert storage.open(second).read() == b"second"


def test_a_stored_file_cannot_be_opened_for_writing():
    storage = DatabaseStorage()
    name = storage.save("documents/2026/letter.pdf", ContentFile(b"kept"))
    with pytest.raises(ValueError, match="never changed"):
        storage.open(name, "wb")


def test_a_missing_file_is_reported_as_missing():
    with pytest.raises(FileNotFoundError):
        DatabaseStorage().open("documents/2026/none.pdf")


def test_a_stored_file_is_never_deleted_outside_a_disposal():
    storage = DatabaseStorage()
    name = storage.save("documents/2026/letter.pdf", ContentFile(b"kept"))

    with pytest.raises(StoredFileDeletionRefused, match="never deleted"):
        storage.delete(name)
    assert storage.exists(name)

    with disposal_deletes_files():
        storage.delete(name)
    assert not storage.exists(name)


def test_the_copy_command_keeps_names_and_reports_missing_files(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    case = CaseFactory()
    on_disk = b"%PDF-1.7 signed before the database storage"
    (tmp_path / "documents" / "2025").mkdir(parents=True)
    (tmp_path / "documents" / "2025" / "old.pdf").write_bytes(on_disk)
    old = _document(case, "documents/2025/old.pdf", on_disk)
    lost = _document(case, "documents/2025/lost.pdf", b"gone")
    out, err = StringIO(), StringIO()

    call_command("copy_documents_to_database", stdout=out, stderr=err)

    with Document.objects.get(pk=old.pk).file.open("rb") as f:
        assert hashlib.sha256(f.read()).hexdigest() == old.sha256
    assert "documents/2025/lost.pdf" in err.getvalue()
    assert "Copied 1 document files into the database; 1 missing." in out.getvalue()
    assert Document.objects.filter(pk=lost.pk, file="documents/2025/lost.pdf").exists()  # kept

    call_command("copy_documents_to_database", stdout=StringIO(), stderr=StringIO())  # twice is harmless
    assert StoredFile.objects.filter(name="documents/2025/old.pdf").count() == 1


def test_the_migration_copies_what_is_on_the_disk_and_reports_the_rest(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    case = CaseFactory()
    (tmp_path / "documents").mkdir()
    (tmp_path / "documents" / "old.pdf").write_bytes(b"old bytes")
    _document(case, "documents/old.pdf", b"old bytes")
    _document(case, "documents/lost.pdf", b"gone")
    reported = []

    copy_field_files_from_media_root(apps, "cases.Document", "file", report=reported.append)

    assert DatabaseStorage().open("documents/old.pdf").read() == b"old bytes"
    assert len(reported) == 1 and "documents/lost.pdf" in reported[0]


def test_the_copy_command_refuses_when_documents_are_in_object_storage(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    with pytest.raises(CommandError, match="object storage"):
        call_command("copy_documents_to_database")
