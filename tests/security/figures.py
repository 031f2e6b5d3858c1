"""What the security tests tried, gathered as they run and printed at the end of the run.

Each test adds to these counters; `conftest.pytest_terminal_summary` prints them, so the figures
appear in the test output (CI logs included) without `-s`.
"""

from collections import defaultdict

FIGURES: dict[str, dict] = defaultdict(lambda: defaultdict(set))


def record(section: str, name: str, *items) -> None:
    """Add items (anything hashable) to a named set of a section; the summary prints their count."""
    FIGURES[section][name].update(items)


def count(section: str, name: str, n: int = 1) -> None:
    """Add n to a named tally of a section."""
    tallies = FIGURES[section].setdefault("_tallies", {})
    tallies[name] = tallies.get(name, 0) + n


def lines() -> list[str]:
    out = []
    for section in sorted(FIGURES):
        parts = []
        for name, items in sorted(FIGURES[section].items()):
            if name == "_tallies":
                parts += [f"{tally}: {n}" for tally, n in sorted(items.items())]
            else:
                parts.append(f"{name}: {len(items)}")
        out.append(f"{section}: " + ", ".join(parts))
    return out
