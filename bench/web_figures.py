"""Reading the web benchmark's figures: wrk's output, the ratios to the floor, the verdicts.

Plain Python with no Django, apart from bench/web.py which runs the benchmark, so that the tests
read it without setting up a benchmark.
"""

import re

UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3}

# The targets, as ratios to the signed-in floor (p50) and, for the two big pages, p99 in ms.
TARGETS = {
    "my_cases": {"p50_ratio": 2},
    "my_work_today": {"p50_ratio": 6},
    "case_page": {"p50_ratio": 2},
    "shared_list": {"p50_ratio": 2},
    "team_dashboard": {"p50_ratio": 8, "p99_ms": 100},
    "needs_you": {"p50_ratio": 6},
    "chronology": {"p50_ratio": 8, "p99_ms": 100},
}


def parse_wrk(output: str) -> dict:
    """Requests per second, latency percentiles (ms), and every way a response can go wrong."""

    def ms(text: str) -> float:
        number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
        return float(number) * UNITS[unit]

    percentiles = {
        f"p{int(p)}_ms": round(ms(value), 2)
        for p, value in re.findall(r"^\s+(50|75|90|99)%\s+(\S+)", output, flags=re.MULTILINE)
    }
    slowest = re.search(r"^\s+Latency\s+\S+\s+\S+\s+(\S+)", output, flags=re.MULTILINE)
    requests = re.search(r"(\d+) requests in", output)
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    if not (requests and rps and slowest and "p50_ms" in percentiles and "p99_ms" in percentiles):
        raise ValueError(f"Could not read wrk's output:\n{output}")
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    not_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    not_200 = re.search(r"Responses not 200: (\d+)", output)
    cpu = re.search(r"Worker CPU us: median (\d+) p99 (\d+)", output)
    return {
        "requests": int(requests.group(1)),
        "rps": round(float(rps.group(1)), 1),
        **percentiles,
        "max_ms": round(ms(slowest.group(1)), 2),
        "cpu_ms": round(int(cpu.group(1)) / 1000, 2) if cpu else None,
        "cpu_p99_ms": round(int(cpu.group(2)) / 1000, 2) if cpu else None,
        "non_2xx": int(not_2xx.group(1)) if not_2xx else 0,
        "not_200": int(not_200.group(1)) if not_200 else 0,
        "timeouts": int(errors.group(4)) if errors else 0,
        "connect_errors": int(errors.group(1)) if errors else 0,
    }


def ratios(runs: list[dict]) -> dict[str, dict]:
    """Each page's figures with its ratio to the signed-in floor runs either side of it."""
    pages = {}
    for index, run in enumerate(runs):
        if run["kind"] != "page":
            continue
        before = next(r for r in reversed(runs[:index]) if r["kind"] == "floor")
        after = next(r for r in runs[index + 1 :] if r["kind"] == "floor")
        floor_p50 = (before["p50_ms"] + after["p50_ms"]) / 2
        floor_p99 = (before["p99_ms"] + after["p99_ms"]) / 2
        pages[run["name"]] = {
            **{k: v for k, v in run.items() if k not in ("kind", "name")},
            "floor_p50_ms": round(floor_p50, 2),
            "p50_ratio": round(run["p50_ms"] / floor_p50, 2),
            "p99_ratio": round(run["p99_ms"] / floor_p99, 2),
        }
        if run.get("cpu_ms") and before.get("cpu_ms") and after.get("cpu_ms"):
            floor_cpu = (before["cpu_ms"] + after["cpu_ms"]) / 2
            pages[run["name"]]["floor_cpu_ms"] = round(floor_cpu, 2)
            pages[run["name"]]["cpu_ratio"] = round(run["cpu_ms"] / floor_cpu, 2)
    return pages


def verdicts(pages: dict[str, dict], *, cpu: bool = False) -> dict[str, str]:
    """Met or missed, per page with a target: on wall-clock latency, or (cpu) on worker CPU.

    The CPU reading asks the same question of the time the worker spent on each request, which
    the machine's other load hardly moves: the page's CPU against the floor's, and its p99.
    """
    ratio, p99 = ("cpu_ratio", "cpu_p99_ms") if cpu else ("p50_ratio", "p99_ms")
    out = {}
    for name, target in TARGETS.items():
        page = pages.get(name)
        if page is None or page.get(ratio) is None:
            out[name] = "not measured"
            continue
        met = page[ratio] <= target["p50_ratio"]
        if "p99_ms" in target:
            met = met and page[p99] < target["p99_ms"]
        out[name] = "met" if met else "missed"
    return out
