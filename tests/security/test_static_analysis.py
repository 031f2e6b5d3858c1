"""Static analysis in the test run: bandit finds nothing, every `# nosec` says why, and the
dependency audit's verdicts are the ones .ci/run relies on."""

import json
import re
import subprocess  # nosec B404
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
TARGETS = ["cases", "engagement", "riskassessment", "flowchart", "insight", "config"]
BANDIT = [str(ROOT / ".venv" / "bin" / "bandit"), "-c", "pyproject.toml", "-r", *TARGETS]
AUDIT = ROOT / ".ci" / "audit-dependencies"


def run(command, **kwargs):
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False, **kwargs)  # nosec B603


def test_bandit_finds_nothing_in_the_projects_code():
    done = run([*BANDIT, "-f", "json", "-q"])
    report = json.loads(done.stdout)
    findings = [
        f"{r['filename']}:{r['line_number']} {r['test_id']} {r['issue_severity']}: {r['issue_text']}"
        for r in report["results"]
    ]
    assert not findings, "\n".join(findings)
    assert done.returncode == 0, done.stderr[-2000:]
    assert report["metrics"]["_totals"]["loc"] > 5000  # it really read the code


def test_bandit_is_live(tmp_path):
    """The same command fails on a planted finding, so a pass above means something."""
    planted = tmp_path / "planted.py"
    planted.write_text("import subprocess\nsubprocess.call('ls ' + input(), shell=True)\n")
    done = run([str(ROOT / ".venv" / "bin" / "bandit"), "-q", "-f", "json", str(planted)])
    assert done.returncode == 1
    assert {r["test_id"] for r in json.loads(done.stdout)["results"]} >= {"B602"}


def _nosec_lines():
    for target in TARGETS:
        for path in sorted((ROOT / target).rglob("*.py")):
            lines = path.read_text().splitlines()
            for index, line in enumerate(lines):
                if re.search(r"#\s*nosec\b", line):
                    yield path.relative_to(ROOT), index, lines


def test_every_nosec_names_its_check_gives_a_reason_and_is_listed_in_the_docs():
    documented = (ROOT / "docs" / "security.md").read_text()
    wrong = []
    for path, index, lines in _nosec_lines():
        line = lines[index]
        if not re.search(r"#\s*nosec\s+B\d{3}", line):
            wrong.append(f"{path}:{index + 1} a bare nosec: name the check (B105, B608...)")
        # The reason is the comment on the line above (bandit reads words after nosec as check ids).
        above = [lines[i].strip() for i in range(max(0, index - 3), index)]
        if not any(text.startswith("#") for text in above):
            wrong.append(f"{path}:{index + 1} nosec without a reason comment above it")
        if str(path) not in documented:
            wrong.append(f"{path}:{index + 1} nosec not listed in docs/security.md")
    assert not wrong, "\n".join(wrong)


# The dependency audit's verdicts (.ci/audit-dependencies), on pip-audit JSON reports.


def judge(tmp_path, report, **env):
    import os

    path = tmp_path / "report.json"
    path.write_text(json.dumps(report))
    return run([sys.executable, str(AUDIT), "--from-json", str(path)], env={**os.environ, **env})


def test_a_known_vulnerability_fails_the_audit(tmp_path):
    done = judge(
        tmp_path,
        {
            "dependencies": [
                {
                    "name": "django",
                    "version": "6.1.0",
                    "vulns": [{"id": "PYSEC-2099-1", "fix_versions": ["6.1.1"]}],
                },
                {"name": "celery", "version": "5.7.0", "vulns": []},
            ]
        },
    )
    assert done.returncode == 1
    assert "KNOWN VULNERABILITIES" in done.stdout and "PYSEC-2099-1" in done.stdout and "6.1.1" in done.stdout


def test_a_clean_audit_passes(tmp_path):
    done = judge(tmp_path, {"dependencies": [{"name": "django", "version": "6.1.3", "vulns": []}]})
    assert done.returncode == 0 and "1 packages audited, no known vulnerabilities" in done.stdout


def test_an_audit_that_reached_no_data_says_so_and_fails_only_where_required(tmp_path):
    report = {"dependencies": [{"name": n, "skip_reason": "Dependency not found on PyPI"} for n in "abc"]}
    done = judge(tmp_path, report)
    assert done.returncode == 0 and "NOT AUDITED" in done.stdout
    assert judge(tmp_path, report, PIP_AUDIT_REQUIRED="1").returncode == 3


def test_an_audit_that_missed_some_packages_fails(tmp_path):
    done = judge(
        tmp_path,
        {
            "dependencies": [
                {"name": "django", "version": "6.1.3", "vulns": []},
                {"name": "private-lib", "skip_reason": "Dependency not found on PyPI"},
            ]
        },
    )
    assert done.returncode == 1 and "private-lib" in done.stdout


@pytest.mark.parametrize("step", ["bandit -c pyproject.toml -r", ".ci/audit-dependencies"])
def test_ci_runs_both_after_make_test(step):
    script = (ROOT / ".ci" / "run").read_text()
    assert step in script
    assert script.index("make test") < script.index(step)
