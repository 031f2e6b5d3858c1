"""docker-compose.yml cannot run here (no Docker engine), so keep it valid and in step with `make run`.

"In step" is checked against what `make run` executes, not against a list kept here: the recipe
as `make -n run` prints it, and the processes its last step (`manage.py serve`) starts, caught
as it hands them to subprocess.Popen.
"""

import os
import shlex
import signal
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
import yaml
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / ".ci" / "Dockerfile"

# Steps of `make run` that only a developer's machine needs, and why the compose file has none.
DEVELOPMENT_ONLY = {
    "make_dev_certificate": "production signs with the certificate given as a secret",
    "seed_demo": "production holds real cases, never the demo families",
}


def make_run_steps() -> list[list[str]]:
    """The manage.py commands `make run` executes, in order, as argument lists after manage.py."""
    result = subprocess.run(
        ["make", "-n", "run", "PORT=8000"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    steps = []
    for line in result.stdout.splitlines():
        words = shlex.split(line)
        if "manage.py" in words:
            steps.append(words[words.index("manage.py") + 1 :])
    return steps


def without_verbosity(arguments: list[str]) -> list[str]:
    return [a for a in arguments if not a.startswith("-v")]


def processes_started_by(serve: list[str], settings) -> dict[str, list[str]]:
    """What `manage.py serve` hands to Popen, each program by name rather than its path in .venv."""
    assert serve[0] == "serve", serve
    started = []

    def popen(command, **kwargs):
        started.append(command)
        process = mock.Mock(returncode=0, pid=os.getpid())
        process.poll.return_value = 0  # ended at once: serve stops the rest and exits
        return process

    with (
        mock.patch("subprocess.Popen", side_effect=popen),
        mock.patch.object(signal, "signal"),
        mock.patch("time.sleep"),
        pytest.raises(SystemExit),
    ):
        # The container listens on every address; the compose file keeps beat's schedule in /tmp.
        settings.CELERY_BEAT_SCHEDULE_FILENAME = "/tmp/celerybeat-schedule"  # nosec B108
        call_command(*serve, "--host", "0.0.0.0")  # nosec B104
    names = ["web", "worker", "beat"]
    assert len(started) == len(names)
    return {name: [Path(command[0]).name, *command[1:]] for name, command in zip(names, started, strict=True)}


def test_compose_file_is_valid_against_the_compose_specification():
    checker = Path(sys.executable).parent / "check-jsonschema"
    result = subprocess.run(
        [str(checker), "--builtin-schema", "vendor.compose-spec", str(COMPOSE)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_compose_runs_the_processes_make_run_starts(settings):
    services = yaml.safe_load(COMPOSE.read_text())["services"]
    steps = make_run_steps()
    started = processes_started_by(steps[-1], settings)
    assert started["web"][:2] == ["gunicorn", "config.wsgi"]  # what was caught is the real thing
    for name in ("web", "worker", "beat"):
        assert services[name]["command"] == started[name], name
    assert {"db", "redis", "mail"} <= set(services)
    assert services["web"]["environment"]["DJANGO_SETTINGS_MODULE"] == "config.settings.production"


def test_the_app_services_share_no_volume():
    """Signed documents are in the database (docs/operations.md): the issue says "web servers and
    workers on different machines read the same letters and PDFs", so no process may depend on a
    disk another one writes to."""
    services = yaml.safe_load(COMPOSE.read_text())["services"]
    for name in ("web", "worker", "beat", "migrate"):
        assert not services[name].get("volumes"), name
    assert "MEDIA_ROOT" not in services["web"]["environment"]


def test_every_other_step_of_make_run_is_in_the_compose_file_or_the_image_or_is_for_development():
    services = yaml.safe_load(COMPOSE.read_text())["services"]
    in_compose = [
        without_verbosity(command[command.index("manage.py") + 1 :])
        for command in (s.get("command") for s in services.values())
        if command and "manage.py" in command
    ]
    in_image = [
        without_verbosity(shlex.split(line)[shlex.split(line).index("manage.py") + 1 :])
        for line in DOCKERFILE.read_text().splitlines()
        if line.startswith("RUN") and "manage.py" in line
    ]
    steps = make_run_steps()
    assert steps[-1][0] == "serve" and len(steps) > 1
    for step in steps[:-1]:
        if step[0] in DEVELOPMENT_ONLY:
            continue
        assert without_verbosity(step) in in_compose + in_image, step
