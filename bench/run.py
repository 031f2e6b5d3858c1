"""`make bench`: run each benchmark in its own process and collect the figures.

    .venv/bin/python bench/run.py            # SQLite (.cache/bench/bench.sqlite3)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python bench/run.py

- web (bench/web.py): gunicorn on the seeded data set (bench/seed.py, made once and reused),
  each page loaded with wrk between two signed-in floor runs;
- pdf (bench/pdf.py): render and sign the demo's signed three-page assessment, and a floor;
- sweep (bench/sweep.py): the reminder sweep over 20,000 open episodes, in its own database.

Writes bench/results.json (this run) and this database's figures section of docs/performance.md
(the other database's section and the prose around them are kept). Figures are for the machine they ran on; read them as ratios and trends, never as
thresholds in tests.
"""

import datetime as dt
import json
import os
import platform
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "docs" / "performance.md"
# Each database's figures sit between their own markers, so a SQLite run and a PostgreSQL run
# both stay in the report; the prose around them is written by hand and kept.
START, END = "<!-- bench:{database}:start -->", "<!-- bench:{database}:end -->"
SWEEP_DATABASE = "bench_sweep"

PAGE_TARGETS = {
    "my_cases": "p50 ≤ 2× floor",
    "my_work_today": "p50 ≤ 6× floor",
    "case_page": "p50 ≤ 2× floor",
    "shared_list": "p50 ≤ 2× floor",
    "team_dashboard": "p50 ≤ 8× floor, p99 < 100 ms",
    "needs_you": "p50 ≤ 6× floor",
    "chronology": "p50 ≤ 8× floor, p99 < 100 ms",
}
WHO = {
    "my_cases": "practitioner",
    "my_work_today": "practitioner",
    "case_page": "practitioner",
    "chronology": "practitioner",
    "team_dashboard": "manager",
    "needs_you": "manager",
    "shared_list": "agency member",
}


def is_postgres() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


def sweep_environment() -> dict:
    """The sweep seeds and empties its own tables: never let it near the web benchmark's data."""
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    if is_postgres():
        import dj_database_url
        import psycopg

        database = dj_database_url.parse(os.environ["DATABASE_URL"])
        options = {
            "user": database.get("USER") or None,
            "password": database.get("PASSWORD") or None,
            "host": database.get("HOST") or None,
            "port": database.get("PORT") or None,
        }
        with psycopg.connect(dbname="postgres", autocommit=True, **options) as admin:
            if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [SWEEP_DATABASE]).fetchone():
                admin.execute(f'CREATE DATABASE "{SWEEP_DATABASE}"')
        url = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
        env["DATABASE_URL"] = f"{url}/{SWEEP_DATABASE}"
    return env


def commands() -> dict[str, tuple[list[str], dict]]:
    test = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    return {
        "web": ([sys.executable, "bench/web.py"], {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.bench"}),
        "pdf": ([sys.executable, "bench/pdf.py"], test),
        "sweep": ([sys.executable, "bench/sweep.py"], {**sweep_environment(), "DJANGO_SETTINGS_MODULE": "config.settings.test"}),
    }  # fmt: skip


def run(name: str, command: list[str], env: dict) -> dict:
    """Run one benchmark; its progress shows as it goes (stderr), its figures come back (stdout)."""
    result = subprocess.run(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    if result.returncode != 0:
        sys.exit(f"The {name} benchmark failed (exit {result.returncode}); its output is above.")
    return json.loads(result.stdout[result.stdout.index("{") :])


def _flatten(figures: dict, prefix: str = "") -> dict:
    flat = {}
    for key, value in figures.items():
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{prefix}{key} "))
        elif not isinstance(value, list):
            flat[f"{prefix}{key}"] = value
    return flat


def _met(value) -> str:
    return "not measured" if value is None else ("met" if value else "missed")


def verdicts(results: dict) -> dict[str, str]:
    """Each target, met or missed, from this run's wall-clock figures."""
    out = dict(results["web"]["targets"])
    sweep = results["sweep"]
    seconds = [
        sweep.get(run, {}).get("seconds") for run in ("first_sweep_of_the_day", "later_sweep_same_day")
    ]
    out["sweep"] = "met" if all(s is not None and s < 1 for s in seconds) else "missed"
    out["pdf"] = "met" if results["pdf"]["warm_median_s"] < 1 else "missed"
    return out


def verdicts_on_cpu(results: dict) -> dict[str, str]:
    """The same targets judged on CPU time, which the machine's other load hardly moves.

    For the sweep on PostgreSQL, the database server's CPU is added to the sweep's own.
    """
    out = dict(results["web"].get("targets_on_cpu", {}))
    sweep, pdf = results["sweep"], results["pdf"]
    runs = [sweep.get(run, {}) for run in ("first_sweep_of_the_day", "later_sweep_same_day")]
    cpu = [r.get("cpu_seconds") for r in runs]
    if all(c is not None for c in cpu):
        total = [c + (r.get("database_cpu_seconds") or 0) for c, r in zip(cpu, runs, strict=True)]
        out["sweep"] = _met(all(t < 1 for t in total))
    else:
        out["sweep"] = "not measured"
    out["pdf"] = _met(pdf["warm_cpu_median_s"] < 1 if "warm_cpu_median_s" in pdf else None)
    return out


def _count(value) -> str:
    """A count with thousands separators; "?" where a run did not report it (an older results file)."""
    return f"{value:,}" if isinstance(value, int) else "?"


def figures_section(results: dict) -> str:
    """The generated part of docs/performance.md."""
    web, machine = results["web"], results["machine"]
    database = web["database"]
    seed = web["seed"]
    made = (
        f"reused (seeded on {seed['seeded_on']} in {seed['seed_seconds']} s)"
        if seed.get("reused")
        else f"seeded in this run in {seed['seed_seconds']} s"
    )
    lines = [
        START.format(database=results["database"]),
        "",
        f"### {'PostgreSQL' if results['database'] == 'postgresql' else 'SQLite'}",
        "",
        f"Measured by `make bench` on {results['ran_at']}: {machine['cpus']} CPUs, Python "
        f"{machine['python']}, {database['vendor']} {database['version']}"
        + "".join(f" ({name} {value})" for name, value in database.get("settings", {}).items())
        + "; load average "
        f"{', '.join(str(x) for x in machine['load_average_before'])} before the run and "
        f"{', '.join(str(x) for x in web['load_average'])} after the web benchmark (other work "
        "shares the machine: compare ratios within one run, not absolute times across runs). "
        "Raw figures: `bench/results.json`.",
        "",
        f"Data set ({made}): "
        + ", ".join(f"{value:,} {key.replace('_', ' ')}" for key, value in web["data_set"].items())
        + ".",
        "",
        f"Server: {web['server']}. Load: {web['load']}.",
        "",
        "| page | signed in as | requests/s | p50 ms | p99 ms | p50 × floor | p99 × floor | target | "
        "| worker CPU ms | CPU × floor |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- | --- | ---: | ---: |",
    ]
    targets = {
        name: f"{verdict} (CPU: {results.get('targets_on_cpu', {}).get(name, 'not measured')})"
        for name, verdict in results["targets"].items()
    }
    for name, page in web["pages"].items():
        target = PAGE_TARGETS.get(name, "none set")
        if page.get("url") is None:
            lines.append(
                f"| {page['label']} | {WHO[name]} | – | – | – | – | – | {target} | {page['note']} | – | – |"
            )
            continue
        lines.append(
            f"| {page['label']} | {WHO[name]} | {page['rps']} | {page['p50_ms']} | {page['p99_ms']} | "
            f"{page['p50_ratio']} | {page['p99_ratio']} | {target} | {targets.get(name, '')} | "
            f"{page.get('cpu_ms', '–')} | {page.get('cpu_ratio', '–')} |"
        )
    floors = web["floors"]
    signed = floors["signed_in"]
    lines += [
        "",
        "Floors (each run, in order): signed-in floor p50 "
        + ", ".join(f"{f['p50_ms']}" for f in signed)
        + " ms ("
        + ", ".join(f"{f['rps']}" for f in signed)
        + " requests/s; worker CPU "
        + ", ".join(f"{f.get('cpu_ms')}" for f in signed)
        + " ms); plain floor p50 "
        + ", ".join(f"{f['p50_ms']}" for f in floors["plain"])
        + " ms ("
        + ", ".join(f"{f['rps']}" for f in floors["plain"])
        + " requests/s).",
        "",
    ]
    sweep, pdf = results["sweep"], results["pdf"]
    first, later = sweep.get("first_sweep_of_the_day", {}), sweep.get("later_sweep_same_day", {})
    ever = sweep.get("first_sweep_ever", {})
    lines += [
        "| benchmark | figures | target | |",
        "| --- | --- | --- | --- |",
        f"| sweep over {_count(sweep.get('open_episodes'))} open episodes ({sweep.get('data')}: "
        f"{_count(sweep.get('distinct_schedules'))} distinct schedules) | a morning's first "
        f"{first.get('seconds')} s ({first.get('x_floor')}× floor), {first.get('queries')} queries, "
        f"{first.get('recorded')} recorded; later the same day {later.get('seconds')} s, "
        f"{later.get('queries')} queries; the first sweep ever {ever.get('seconds')} s "
        f"({ever.get('x_floor')}× floor), {ever.get('queries')} queries, {ever.get('recorded')} recorded "
        f"| < 1 s, constant queries | {targets['sweep']} |",
        f"| PDF: the signed {pdf['pages']}-page assessment, render and sign | warm median "
        f"{pdf['warm_median_s']} s ({pdf.get('x_floor')}× floor; render {pdf['warm_render_median_s']} s, "
        f"sign {pdf['warm_sign_median_s']} s), p90 {pdf['warm_p90_s']} s | < 1 s warm | {targets['pdf']} |",
        "",
        "All figures: "
        + "; ".join(
            f"{name}: " + ", ".join(f"{k} {v}" for k, v in _flatten(results[name]).items())
            for name in ("sweep", "pdf")
        ),
        "",
        END.format(database=results["database"]),
    ]
    return "\n".join(lines)


def write_report(results: dict) -> None:
    """Replace the figures section of docs/performance.md, keeping the prose around it."""
    section = figures_section(results)
    start, end = (marker.format(database=results["database"]) for marker in (START, END))
    text = REPORT.read_text() if REPORT.exists() else "# Performance\n"
    if start in text and end in text:
        before, rest = text.split(start, 1)
        text = before + section + rest.split(end, 1)[1]
    else:
        text = f"{text.rstrip()}\n\n{section}\n"
    REPORT.write_text(text)


def main() -> None:
    results = {
        "ran_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "load_average_before": [round(x, 2) for x in os.getloadavg()],
        },
        "database": "postgresql" if is_postgres() else "sqlite",
    }
    for name, (command, env) in commands().items():
        print(f"Running the {name} benchmark...", file=sys.stderr, flush=True)
        results[name] = run(name, command, env)
    results["targets"] = verdicts(results)
    results["targets_on_cpu"] = verdicts_on_cpu(results)
    (ROOT / "bench" / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    write_report(results)
    summary = {key: results[key] for key in ("database", "targets", "targets_on_cpu")}
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
