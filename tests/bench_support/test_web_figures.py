"""How the web benchmark reads wrk's report and turns runs into ratios (no server, no wrk here)."""

import pytest

from bench.web_figures import parse_wrk, ratios, verdicts

WRK_OUTPUT = """Running 5s test @ http://127.0.0.1:8000/cases/
  1 threads and 2 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    12.03ms    2.48ms   1.02s    84.62%
    Req/Sec   166.10     18.85   210.00     78.00%
  Latency Distribution
     50%   11.50ms
     75%   12.90ms
     90%  900.00us
     99%    1.02s
  830 requests in 5.00s, 1.04MB read
  Socket errors: connect 0, read 0, write 0, timeout 2
  Non-2xx or 3xx responses: 3
Requests/sec:    165.91
Transfer/sec:    212.93KB
Responses not 200: 7 (last status 302)
Worker CPU us: median 7512 p99 12000
"""


def test_wrk_figures_are_read_in_milliseconds_whatever_the_unit():
    figures = parse_wrk(WRK_OUTPUT)
    assert figures["p50_ms"] == 11.5
    assert figures["p90_ms"] == 0.9
    assert figures["p99_ms"] == 1020.0
    assert figures["max_ms"] == 1020.0
    assert figures["requests"] == 830 and figures["rps"] == 165.9
    assert figures["cpu_ms"] == 7.51 and figures["cpu_p99_ms"] == 12.0


def test_every_kind_of_failed_response_is_counted():
    figures = parse_wrk(WRK_OUTPUT)
    # Redirects are not errors to wrk: only the script's own count catches a lost session.
    assert figures["not_200"] == 7
    assert figures["non_2xx"] == 3
    assert figures["timeouts"] == 2


def test_a_clean_run_has_no_failures():
    clean = "\n".join(
        line
        for line in WRK_OUTPUT.splitlines()
        if not line.startswith(("  Socket", "  Non-2xx", "Responses"))
    )
    figures = parse_wrk(clean + "\nResponses not 200: 0 (last status 0)\n")
    assert (figures["not_200"], figures["non_2xx"], figures["timeouts"]) == (0, 0, 0)


def test_output_without_a_latency_distribution_is_refused():
    with pytest.raises(ValueError):
        parse_wrk("Running 5s test @ http://127.0.0.1:8000/\n0 requests in 5.00s\n")


def _run(kind, name, p50, p99, cpu=None):
    return {"kind": kind, "name": name, "rps": 1.0, "p50_ms": p50, "p99_ms": p99, "cpu_ms": cpu}


def test_each_page_is_compared_with_the_floor_runs_either_side_of_it():
    runs = [
        _run("plain", "plain floor", 1, 2),
        _run("floor", "signed-in floor", 4, 8, cpu=2),
        _run("page", "my_cases", 12, 30, cpu=9),
        _run("floor", "signed-in floor", 8, 12, cpu=4),
        _run("page", "chronology", 30, 50),
        _run("floor", "signed-in floor", 2, 8),
    ]
    pages = ratios(runs)
    assert pages["my_cases"]["floor_p50_ms"] == 6
    assert pages["my_cases"]["p50_ratio"] == 2 and pages["my_cases"]["p99_ratio"] == 3
    assert pages["chronology"]["p50_ratio"] == 6 and pages["chronology"]["p99_ratio"] == 5
    # The CPU each request took in its worker, compared the same way, where the floors have it.
    assert pages["my_cases"]["cpu_ratio"] == 3
    assert "cpu_ratio" not in pages["chronology"]


def test_targets_need_the_ratio_and_for_the_big_pages_the_p99_too():
    pages = {
        "my_cases": {"p50_ratio": 2.0, "p99_ms": 500},
        "case_page": {"p50_ratio": 2.1, "p99_ms": 5},
        "chronology": {"p50_ratio": 3, "p99_ms": 100},
        "team_dashboard": {"p50_ratio": 7.9, "p99_ms": 99},
        "my_work_today": {"p50_ratio": 6.1, "p99_ms": 50},
        "needs_you": {"p50_ratio": 5.9, "p99_ms": 500},
    }
    assert verdicts(pages) == {
        "my_cases": "met",
        "my_work_today": "missed",
        "case_page": "missed",
        "shared_list": "not measured",
        "team_dashboard": "met",
        "needs_you": "met",
        "chronology": "missed",
    }


def test_targets_on_cpu_use_the_worker_cpu_ratio_and_its_p99():
    pages = {
        "my_cases": {"cpu_ratio": 1.9, "cpu_p99_ms": 500},
        "chronology": {"cpu_ratio": 7, "cpu_p99_ms": 120},
        "team_dashboard": {"p50_ratio": 3, "p99_ms": 50},
        "my_work_today": {"cpu_ratio": 6, "cpu_p99_ms": 900},
        "needs_you": {"cpu_ratio": 19, "cpu_p99_ms": 40},
    }
    assert verdicts(pages, cpu=True) == {
        "my_cases": "met",
        "my_work_today": "met",
        "case_page": "not measured",
        "shared_list": "not measured",
        "team_dashboard": "not measured",
        "needs_you": "missed",
        "chronology": "missed",
    }
