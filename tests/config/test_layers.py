"""The layers contract in pyproject.toml fails the build when a lower app imports a higher one.

The project's own apps and contract are copied to a temporary folder and linted there as they
are, then with one upward import added: the kernel reaching into the flow chart from inside a
function, the way the old cycles were hidden.
"""

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
