"""docker-compose.yml cannot run here (no Docker engine), so keep it valid and in step with `make run`."""

import subprocess
import sys
from pathlib import Path

import yaml

from cases.management.commands.serve import process_commands

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"


def test_compose_file_is_valid_against_the_compose_specification():
    checker = Path(sys.executable).parent / "check-jsonschema"
    result = subprocess.run(
        [str(checker), "--builtin-schema", "vendor.compose-spec", str(COMPOSE)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_compose_runs_the_same_processes_as_make_run():
    services = yaml.safe_load(COMPOSE.read_text())["services"]
    expected = process_commands(bind="0.0.0.0:8000", beat_schedule="/tmp/celerybeat-schedule")
    for name in ("web", "worker", "beat"):
        assert services[name]["command"] == expected[name]
    assert {"db", "redis", "mail"} <= set(services)
    assert services["web"]["environment"]["DJANGO_SETTINGS_MODULE"] == "config.settings.production"
