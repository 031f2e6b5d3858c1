"""Rules written once (issue 18, "one place each"): who made a change is set only by
`cases.history`, every notification names its kind through `NotificationKind`, never a bare
string another app could misspell, and "each app keeps its own message wording in a
`notify.py`": no services module words a notification's subject or body itself. The source of
every app is walked; a planted example shows each check finds what it looks for.
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


# The kernel's own sending module records what it is given; it words nothing.
NOTIFICATIONS_SERVICES = Path("cases/notifications/services.py")


def _is_services_module(path: Path) -> bool:
    return path != NOTIFICATIONS_SERVICES and (path.name == "services.py" or "services" in path.parts[:-1])


def _has_words(node: ast.AST) -> bool:
    """Whether an expression holds text of its own: a string or an f-string anywhere in it."""
    return any(
        isinstance(part, ast.JoinedStr) or (isinstance(part, ast.Constant) and isinstance(part.value, str))
        for part in ast.walk(node)
    )


def notifications_worded_in_services(root: Path) -> list[str]:
    """`path:line` of every subject or body of a notification written in a services module, and of
    every `Message(...)` built there: the wording belongs in the app's notify.py."""
    found = []
    for path, tree in _sources(root):
        if not _is_services_module(path):
            continue
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            called = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            worded = called == "Message" or any(
                keyword.arg in ("subject", "body") and _has_words(keyword.value) for keyword in node.keywords
            )
            if worded and called in ("Message", "notification_send", "Outgoing", "ChaseMessage", "_tell"):
                found.append(f"{path}:{node.lineno}")
    return found


def test_who_made_a_change_is_set_only_by_the_history_helper():
    assert history_user_set_by_hand(ROOT) == []


def test_notifications_name_their_kind_by_the_choices():
    assert notification_kinds_as_strings(ROOT) == []


def test_no_services_module_words_a_notification():
    assert notifications_worded_in_services(ROOT) == []


def test_the_checks_find_a_planted_example(tmp_path):
    planted = tmp_path / "flowchart" / "services.py"
    planted.parent.mkdir()
    kind = NotificationKind.values[0]
    planted.write_text(
        "def step_due(case, by):\n"
        "    case._history_user = by\n"
        f"    notification_send(recipient=by, kind={kind!r}, key='k', subject='s', body='b')\n"
        "    Outgoing(recipient_id=1, key='k', subject=m.subject, body=f'{case.reference} due', kind=k)\n"
        "    return Message(subject=case.reference, body=case.family_name)\n"
    )
    for app in APPS:
        (tmp_path / app).mkdir(exist_ok=True)

    assert history_user_set_by_hand(tmp_path) == ["flowchart/services.py:2"]
    assert notification_kinds_as_strings(tmp_path) == ["flowchart/services.py:3"]
    assert notifications_worded_in_services(tmp_path) == [
        "flowchart/services.py:3",
        "flowchart/services.py:4",
        "flowchart/services.py:5",
    ]
