"""The report keeps its hand-written prose and one figures section per database."""

import pytest

from bench import run


def _results(database: str, p50: float) -> dict:
    page = {
        "label": "My cases",
        "url": "/cases/",
        "rps": 50.0,
        "p50_ms": p50,
        "p99_ms": 30.0,
        "p50_ratio": 1.5,
        "p99_ratio": 2.0,
    }
    return {
        "ran_at": "2026-11-23T22:00:00+00:00",
        "machine": {"python": "3.13.0", "cpus": 2, "load_average_before": [1.0, 1.0, 1.0]},
        "database": database,
        "web": {
            "database": {"vendor": database, "version": "1", "name": "bench"},
            "server": "gunicorn",
            "load": "wrk",
            "seed": {"reused": True, "seed_seconds": 100.0, "seeded_on": "2026-11-23"},
            "data_set": {"cases": 100000},
            "floors": {
                "plain": [{"rps": 900.0, "p50_ms": 1.0, "p99_ms": 2.0}],
                "signed_in": [{"rps": 300.0, "p50_ms": 5.0, "p99_ms": 9.0}],
            },
            "pages": {
                "my_cases": page,
                "team_dashboard": {"label": "Team dashboard", "url": None, "note": "not built yet"},
            },
            "targets": {"my_cases": "met", "team_dashboard": "not measured"},
            "load_average": [1.0, 1.0, 1.0],
        },
        "sweep": {
            "open_episodes": 20000,
            "first_sweep_of_the_day": {"seconds": 0.5, "queries": 9, "recorded": 100},
            "later_sweep_same_day": {"seconds": 0.01, "queries": 5, "recorded": 0},
        },
        "pdf": {
            "pages": 3,
            "warm_median_s": 0.4,
            "warm_render_median_s": 0.35,
            "warm_sign_median_s": 0.05,
            "warm_p90_s": 0.5,
            "cold_s": 0.9,
        },
    }


@pytest.fixture
def report(tmp_path, monkeypatch):
    path = tmp_path / "performance.md"
    path.write_text("# Performance\n\nWhy the figures are what they are.\n")
    monkeypatch.setattr(run, "REPORT", path)
    return path


def _write(database: str, p50: float) -> None:
    results = _results(database, p50)
    results["targets"] = run.verdicts(results)
    run.write_report(results)


def test_each_database_keeps_its_own_section_and_the_prose_stays(report):
    _write("sqlite", 11.1)
    _write("postgresql", 22.2)
    _write("sqlite", 33.3)
    text = report.read_text()
    assert text.startswith("# Performance\n\nWhy the figures are what they are.\n")
    assert (
        text.count("<!-- bench:sqlite:start -->") == 1 and text.count("<!-- bench:postgresql:start -->") == 1
    )
    assert "| 33.3 |" in text and "| 22.2 |" in text and "| 11.1 |" not in text


def test_targets_are_judged_from_the_figures(report):
    results = _results("sqlite", 10)
    results["sweep"]["first_sweep_of_the_day"]["seconds"] = 1.2
    results["pdf"]["warm_median_s"] = 0.9
    assert run.verdicts(results) == {
        "my_cases": "met",
        "team_dashboard": "not measured",
        "sweep": "missed",
        "pdf": "met",
    }


def test_a_page_not_built_yet_is_a_marked_placeholder_row(report):
    _write("sqlite", 10)
    row = next(line for line in report.read_text().splitlines() if line.startswith("| Team dashboard"))
    assert "not built yet" in row and "| – |" in row


def test_the_same_targets_are_judged_on_cpu_time_too():
    results = _results("postgresql", 10)
    results["web"]["targets_on_cpu"] = {"my_cases": "missed"}
    results["pdf"]["warm_cpu_median_s"] = 0.4
    first = results["sweep"]["first_sweep_of_the_day"]
    first.update(cpu_seconds=0.6, database_cpu_seconds=0.5)
    results["sweep"]["later_sweep_same_day"]["cpu_seconds"] = 0.01
    # The sweep's CPU and the database server's together: 1.1 s.
    assert run.verdicts_on_cpu(results) == {"my_cases": "missed", "sweep": "missed", "pdf": "met"}
