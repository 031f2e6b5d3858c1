"""No GET changes data (issue 9): every URL of the matrix, read by everyone, leaves the database as it was.

Reading may only add rows to the append-only access log (and save the reader's session). Every
row of every other table (history included) must be the same after the GET as before, and each
table must hash the same.
"""

import pytest

from tests.authz.world import ROLES

from .figures import count, record
from .matrix import APPEND_ONLY, ENTRIES, Snapshot, matrix_world, signed_in


def _unexpected(changes: dict, allowed: dict) -> list[str]:
    problems = []
    for label, change in changes.items():
        if label in APPEND_ONLY:
            if change["removed"] or change["changed"]:
                problems.append(f"{label}: an append-only log lost or changed rows: {change}")
            continue
        if label in allowed:
            columns = allowed[label]
            for pk, diff in change["changed"]:
                if set(diff) - set(columns):
                    problems.append(f"{label} row {pk}: changed {sorted(set(diff) - set(columns))}")
            if change["removed"]:
                problems.append(f"{label}: rows removed")
            if change["added"] and columns:
                problems.append(f"{label}: rows added {change['added']}")
            continue
        problems.append(f"{label}: {change}")
    return problems


# One test a role, so that the parallel runners share the work (each GET is followed by a read of
# every row of every table).
@pytest.mark.sweep
@pytest.mark.parametrize("role", ROLES)
def test_no_get_changes_anything_but_the_logs(db, settings, role):
    world = matrix_world(settings)
    client = signed_in(world.users.get(role))
    problems = []
    before = Snapshot()
    for name in sorted(ENTRIES):
        url = world.urls[name]
        response = client.get(url)
        assert response.status_code < 500, f"{role} GET {url}: {response.status_code}"
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
        after = Snapshot()
        problems += [f"{role} GET {url}: {p}" for p in _unexpected(before.changes(after), {})]
        # Hashes too, so nothing a row comparison could miss (a table without a key) goes by.
        for label in after.rows:
            if label not in APPEND_ONLY and before.digest(label) != after.digest(label):
                problems.append(f"{role} GET {url}: {label} changed")
        before = after
        record("GET is safe", "URLs", url)
        record("GET is safe", "URLs x roles", (url, role))
        count("GET is safe", "requests")
    assert not problems, "GETs that changed data:\n" + "\n".join(sorted(set(problems)))


def test_opening_a_shared_assessment_changes_nothing_but_the_access_log(db, settings):
    """A member reading what was shared with them leaves the share as it was, even the first time."""
    world = matrix_world(settings)
    client = signed_in(world.users["agency"])
    before = Snapshot()
    assert client.get(world.urls["riskassessment:shared_detail"]).status_code == 200
    changes = before.changes(Snapshot())
    assert set(changes) <= APPEND_ONLY, changes
    assert len(changes["cases.AccessLogEntry"]["added"]) == 1


@pytest.mark.parametrize("role", ["lead", "manager"])
def test_reading_a_case_adds_one_access_log_row_and_nothing_else(db, settings, role):
    world = matrix_world(settings)
    client = signed_in(world.users[role])
    before = Snapshot()
    assert client.get(world.urls["cases:case_detail"]).status_code == 200
    changes = before.changes(Snapshot())
    assert set(changes) <= APPEND_ONLY
    assert len(changes["cases.AccessLogEntry"]["added"]) == 1
