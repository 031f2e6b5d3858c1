"""`make bench`: run each benchmark in its own process and collect the figures.

Writes bench/results.json and docs/performance.md. Figures are for the machine they ran on; read
them as ratios and trends, never as thresholds in tests.
"""

import datetime as dt
import json
import os
import platform
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCHES = {
    "pdf": [sys.executable, "bench/pdf.py"],
    "sweep": [sys.executable, "bench/sweep.py"],
}


def run(name: str, command: list[str]) -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"The {name} benchmark failed:\n{result.stderr[-2000:]}")
    return json.loads(result.stdout[result.stdout.index("{") :])


def _flatten(figures: dict, prefix: str = "") -> dict:
    flat = {}
    for key, value in figures.items():
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{prefix}{key} "))
        elif not isinstance(value, list):
            flat[f"{prefix}{key}"] = value
    return flat


def write_report(results: dict) -> None:
    """docs/performance.md from the figures of one run."""
    lines = [
        "# Performance",
        "",
        f"Measured by `make bench` on {results['ran_at']} ({results['machine']['cpus']} CPUs, "
        f"{results['database']}). Raw figures: `bench/results.json`.",
        "",
        "| benchmark | figures |",
        "| --- | --- |",
    ]
    for name in BENCHES:
        figures = ", ".join(f"{k}: {v}" for k, v in _flatten(results[name]).items())
        lines.append(f"| {name} | {figures} |")
    (ROOT / "docs" / "performance.md").write_text("\n".join(lines) + "\n")


def main() -> None:
    results = {
        "ran_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        "database": "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite",
    }
    for name, command in BENCHES.items():
        print(f"Running the {name} benchmark...", flush=True)
        results[name] = run(name, command)
    (ROOT / "bench" / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    write_report(results)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
