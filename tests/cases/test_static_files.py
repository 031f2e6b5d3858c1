"""Static files' addresses are worked out once a process (cases/static_files.py)."""

import json

import pytest
from django.contrib.staticfiles.storage import ManifestStaticFilesStorage

from cases.static_files import CompressedManifestStaticStorage, ManifestStaticStorage

MANIFEST = {"paths": {"css/app.css": "css/app.0123456789ab.css"}, "version": "1.1", "hash": "f00"}


@pytest.fixture
def static_root(tmp_path):
    (tmp_path / "staticfiles.json").write_text(json.dumps(MANIFEST))
    return tmp_path


@pytest.mark.parametrize("storage_class", [ManifestStaticStorage, CompressedManifestStaticStorage])
def test_an_address_is_the_hashed_one_the_manifest_gives_and_is_kept(static_root, storage_class):
    storage = storage_class(location=static_root, base_url="/static/")
    plain = ManifestStaticFilesStorage(location=static_root, base_url="/static/")

    assert storage.url("css/app.css") == plain.url("css/app.css") == "/static/css/app.0123456789ab.css"
    # Kept: the manifest is not read again (it cannot change while the process runs).
    storage.hashed_files["css/app.css"] = "css/app.fedcba987654.css"
    assert storage.url("css/app.css") == "/static/css/app.0123456789ab.css"


def test_a_name_missing_from_the_manifest_fails_every_time_and_is_not_kept(static_root):
    storage = ManifestStaticStorage(location=static_root, base_url="/static/")

    for _ in range(2):
        with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
            storage.url("css/missing.css")
    assert "css/missing.css" not in storage._urls


def test_forced_lookups_read_the_manifest_each_time(static_root):
    """`url(name, force=True)` (collectstatic's own lookups) is never answered from what was kept."""
    storage = ManifestStaticStorage(location=static_root, base_url="/static/")
    storage.url("css/app.css")
    storage.hashed_files["css/app.css"] = "css/app.fedcba987654.css"

    assert storage.url("css/app.css", force=True) == "/static/css/app.fedcba987654.css"
