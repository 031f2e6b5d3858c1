"""Rules written once (issue 18, "one place each"): who made a change is set only by
`cases.history`, and every notification names its kind through `NotificationKind`, never a bare
string another app could misspell. The source of every app is walked; a planted example shows
each check finds what it looks for.
"""

import ast
from pathlib import Path

from cases.notifications import NotificationKind

ROOT = Path(__file__).resolve().parents[2]
APPS = ("cases", "engagement", "flowchart", "riskassessment", "insight", "config")
HISTORY_HELPER = Path("cases/history.py")


def _sources(root: Path):
    for app in APPS:
        for path in sorted((root / app).rglob("*.py")):
            if "migrations" not in path.relative_to(root).parts:
                yield path.relative_to(root), ast.parse(path.read_text(), filename=str(path))


def history_user_set_by_hand(root: Path) -> list[str]:
    """`path:line` of every `x._history_user = ...` outside the kernel's history helper."""
    found = []
    for path, tree in _sources(root):
        if path == HISTORY_HELPER:
            continue
        for node in ast.walk(tree):
            targets = node.targets if isinstance(node, ast.Assign) else []
            for target in targets:
                if isinstance(target, ast.Attribute) and target.attr == "_history_user":
                    found.append(f"{path}:{node.lineno}")
    return found


def notification_kinds_as_strings(root: Path) -> list[str]:
    """`path:line` of every `kind="..."` naming a notification kind by its bare value."""
    kinds = set(NotificationKind.values)
    found = []
    for path, tree in _sources(root):
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            for keyword in node.keywords:
                value = keyword.value
                if keyword.arg == "kind" and isinstance(value, ast.Constant) and value.value in kinds:
                    found.append(f"{path}:{node.lineno}")
    return found


def test_who_made_a_change_is_set_only_by_the_history_helper():
    assert history_user_set_by_hand(ROOT) == []


def test_notifications_name_their_kind_by_the_choices():
    assert notification_kinds_as_strings(ROOT) == []


def test_the_checks_find_a_planted_example(tmp_path):
    planted = tmp_path / "flowchart" / "services.py"
    planted.parent.mkdir()
    kind = NotificationKind.values[0]
    planted.write_text(
        "def step_due(case, by):\n"
        "    case._history_user = by\n"
        f"    notification_send(recipient=by, kind={kind!r}, key='k', subject='s', body='b')\n"
    )
    for app in APPS:
        (tmp_path / app).mkdir(exist_ok=True)

    assert history_user_set_by_hand(tmp_path) == ["flowchart/services.py:2"]
    assert notification_kinds_as_strings(tmp_path) == ["flowchart/services.py:3"]
