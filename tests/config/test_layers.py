"""The layers contract in pyproject.toml fails the build when a lower app imports a higher one.

The project's own apps and contract are copied to a temporary folder and linted there as they
are, then with one upward import added: the kernel reaching into the flow chart from inside a
function, the way the old cycles were hidden.
"""

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = ("config", "insight", "cases", "engagement", "riskassessment", "flowchart")
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def _lint(folder: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(folder / "pyproject.toml"), "--no-cache"],
        cwd=folder,
        env={"PYTHONPATH": str(folder), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def copy(tmp_path):
    for app in APPS:
        shutil.copytree(ROOT / app, tmp_path / app, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_an_upward_import_fails_the_layers_contract(copy):
    kept = _lint(copy)
    assert kept.returncode == 0, kept.stdout + kept.stderr

    with (copy / "cases" / "calendar.py").open("a") as module:
        module.write(
            "\n\ndef _reaches_up():\n    from flowchart.selectors import settings_in_force\n\n    return settings_in_force()\n"
        )
    broken = _lint(copy)
    assert broken.returncode != 0
    assert "cases is not allowed to import flowchart" in broken.stdout
    assert "cases.calendar -> flowchart.selectors" in broken.stdout


# No import of our apps hides inside a function or a class, where import-linter still sees it but
# a reader does not, and nothing catches ImportError: a broken import must fail loudly.

OURS = ("cases", "engagement", "flowchart", "riskassessment", "insight")
SCANNED = (*OURS, "config", "bench")


def _python_files(root: Path):
    for folder in SCANNED:
        for path in sorted((root / folder).rglob("*.py")):
            if "migrations" not in path.relative_to(root).parts:
                yield path


def _names_ours(node: ast.Import | ast.ImportFrom) -> bool:
    if isinstance(node, ast.ImportFrom):
        # A relative import names a module of the same app, so it cannot cross a layer.
        return node.level == 0 and (node.module or "").split(".")[0] in OURS
    return any(alias.name.split(".")[0] in OURS for alias in node.names)


def function_local_imports(root: Path) -> list[str]:
    """`path:line` of every import of our apps inside a function or a class body."""
    found = []
    for path in _python_files(root):
        tree = ast.parse(path.read_text(), filename=str(path))
        for scope in ast.walk(tree):
            if not isinstance(scope, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                continue
            for node in ast.walk(scope):
                if isinstance(node, ast.Import | ast.ImportFrom) and _names_ours(node):
                    found.append(f"{path.relative_to(root)}:{node.lineno}")
    return sorted(set(found))


def import_errors_caught(root: Path) -> list[str]:
    """`path:line` of every `except` that catches ImportError (or its ModuleNotFoundError)."""
    caught = []
    for path in _python_files(root):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if not isinstance(node, ast.ExceptHandler) or node.type is None:
                continue
            types = node.type.elts if isinstance(node.type, ast.Tuple) else [node.type]
            if any(isinstance(t, ast.Name) and t.id in ("ImportError", "ModuleNotFoundError") for t in types):
                caught.append(f"{path.relative_to(root)}:{node.lineno}")
    return caught


def test_no_app_is_imported_inside_a_function_or_a_class():
    found = function_local_imports(ROOT)
    assert found == []


def test_nothing_catches_import_error():
    assert import_errors_caught(ROOT) == []


def test_the_checks_find_a_planted_import_and_a_caught_import_error(tmp_path):
    for folder in SCANNED:
        (tmp_path / folder / "migrations").mkdir(parents=True)
    (tmp_path / "cases" / "retention.py").write_text(
        "import datetime\n\nfrom cases.models import Case\n\n\n"
        "def record_type(case):\n    if case:\n        from flowchart.models import Episode\n\n"
        "        return Episode\n    return Case\n\n\n"
        "class Policy:\n    import insight.selectors\n\n\n"
        "def relative():\n    from . import models\n\n    return models\n"
    )
    (tmp_path / "bench" / "sweep.py").write_text(
        "def run():\n    import riskassessment\n\n    try:\n        import weasyprint\n"
        "    except (OSError, ImportError):\n        weasyprint = None\n    return riskassessment, weasyprint\n"
    )
    (tmp_path / "cases" / "migrations" / "0002.py").write_text(
        "def forwards():\n    from cases.models import Case\n"
    )

    assert function_local_imports(tmp_path) == [
        "bench/sweep.py:2",
        "cases/retention.py:15",
        "cases/retention.py:8",
    ]
    assert import_errors_caught(tmp_path) == ["bench/sweep.py:6"]
