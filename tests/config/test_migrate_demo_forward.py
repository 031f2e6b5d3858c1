"""The migrations carry a database holding the demo data forward with every row kept.

`tests/data/demo-before-the-layers.sqlite3.gz` is the demo as `make run` seeded it at 59d24ee, the
schema before the apps were put in layers (issue 18): `manage.py migrate`, `make_dev_certificate`,
`seed_demo` against `DATABASE_URL=sqlite:///...`. Since then notifications moved from the flow chart
into the kernel (a model moved between apps, its table kept) and new tables and choices came.
The test migrates a copy forward with today's code, in a process of its own, and compares every
row of every table that existed before, column by column: case records are evidence, and no
migration may drop, rename or change one.
"""

import gzip
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "data" / "demo-before-the-layers.sqlite3.gz"
# Django's own bookkeeping grows as migrations apply and models arrive; every earlier row is still
# compared below, only new rows are allowed in these.
GROWS = {
    "django_migrations",
    "django_content_type",
    "auth_permission",
    "auth_group",
    "auth_group_permissions",
    "cases_user_groups",
    # engagement 0017 seeds the Welsh wording beside the English rows, which are kept as they were.
    "engagement_agreementtemplate",
    "engagement_lettertemplate",
}
# Columns meant to change, each checked on its own below: admins stop being superusers (they get
# the Admins group's configuration permissions instead), and authenticator secrets are encrypted.
CHANGES = {"cases_user": {"is_superuser"}, "mfa_authenticator": {"data"}}
# The one row meant to change: the notification's content type follows the model into the kernel,
# keeping its id, so its permissions (and anything else pointing at it) are kept too.
MOVED_CONTENT_TYPES = {("flowchart", "notification"): ("cases", "notification")}


def _moved(table: str, rows: list[tuple]) -> list[tuple]:
    if table != "django_content_type":
        return rows
    return [(pk, *MOVED_CONTENT_TYPES.get((app, model), (app, model))) for pk, app, model in rows]


def _tables(db: sqlite3.Connection) -> dict[str, list[str]]:
    names = [
        row[0]
        for row in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    return {name: [col[1] for col in db.execute(f'PRAGMA table_info("{name}")')] for name in names}


def _rows(db: sqlite3.Connection, table: str, columns: list[str]) -> list[tuple]:
    quoted = ", ".join(f'"{c}"' for c in columns)
    return sorted(db.execute(f'SELECT {quoted} FROM "{table}"').fetchall(), key=repr)


@pytest.fixture
def demo_database(tmp_path) -> Path:
    path = tmp_path / "demo.sqlite3"
    with gzip.open(FIXTURE) as packed, path.open("wb") as unpacked:
        shutil.copyfileobj(packed, unpacked)
    return path


def test_migrating_the_demo_forward_keeps_every_row(demo_database):
    with sqlite3.connect(demo_database) as db:
        before = {table: (cols, _rows(db, table, cols)) for table, cols in _tables(db).items()}
    assert sum(len(rows) for _, rows in before.values()) > 1000, "the fixture holds the demo data"
    assert [cols for cols, _ in [before["django_content_type"]]] == [["id", "app_label", "model"]]
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{demo_database}",
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
    }

    migrated = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )

    assert migrated.returncode == 0, migrated.stderr
    assert "Applying cases.0008_notification... OK" in migrated.stdout
    with sqlite3.connect(demo_database) as db:
        after_tables = _tables(db)
        for table, (columns, rows) in before.items():
            assert table in after_tables, f"table {table} was dropped"
            assert set(columns) <= set(after_tables[table]), f"a column of {table} was dropped"
            if table in CHANGES:
                kept_columns = [i for i, c in enumerate(columns) if c not in CHANGES[table]]
                columns = [columns[i] for i in kept_columns]
                rows = sorted((tuple(row[i] for i in kept_columns) for row in rows), key=repr)
            kept = _rows(db, table, columns)
            if table in GROWS:
                assert set(_moved(table, rows)) <= set(kept), f"rows of {table} were lost"
            else:
                assert kept == rows, f"rows of {table} changed"
        superusers = db.execute("SELECT email FROM cases_user WHERE is_superuser").fetchall()
        admins_in_group = db.execute(
            "SELECT u.email FROM cases_user u JOIN cases_user_groups ug ON ug.user_id = u.id "
            "JOIN auth_group g ON g.id = ug.group_id WHERE u.role = 'admin'"
        ).fetchall()
        assert superusers == [] and admins_in_group, "admins configure through the Admins group"
        # A signed assessment now points at its Document as agreements and letters do; the name
        # and hash signing copied onto it before stay as they were (compared above).
        linked = db.execute(
            "SELECT a.id, d.sha256 = a.signed_document_sha256 FROM riskassessment_assessment a "
            "JOIN cases_document d ON d.id = a.document_id"
        ).fetchall()
        signed = db.execute("SELECT id FROM riskassessment_assessment WHERE signed_document != ''").fetchall()
        assert signed, "the fixture holds a signed assessment"
        assert linked == [(pk, 1) for (pk,) in signed]
    unapplied = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--check"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert unapplied.returncode == 0, unapplied.stdout
