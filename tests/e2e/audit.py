"""What the browser journeys check on every page they visit, and the figures they add up.

- axe-core (pinned in package-lock.json, installed by .ci/ensure-axe) with the WCAG 2.0, 2.1
  and 2.2 A and AA rules: no serious or critical violation may remain. Lesser ones are counted.
- Reflow (WCAG 1.4.10): at 320 CSS pixels wide the page must not scroll sideways.
- With SCREENSHOTS_DIR set, the pages named for the docs are photographed at phone and desktop
  widths (viewport only, quantised to keep the files small).
- With AXE_REVIEW_FILE set, what axe could not decide on each page is written there as JSON
  lines, for a person to review.

axe is injected with page.evaluate, which runs through the DevTools protocol and so is not
subject to the site's nonce-based Content-Security-Policy: the policy the tests run under is the
one users get, with no bypass_csp context.
"""

import json
import os
import subprocess
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
AXE_FILE = HERE / "node_modules" / "axe-core" / "axe.min.js"
ENSURE_AXE = HERE.parent.parent / ".ci" / "ensure-axe"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING = ("critical", "serious")
IMPACTS = ("critical", "serious", "moderate", "minor")
NARROWEST = 320
SHOT_SIZES = {"phone": {"width": 375, "height": 812}, "desktop": {"width": 1280, "height": 800}}


@dataclass
class Tally:
    """The run's figures, printed by the terminal summary hook in conftest.py."""

    pages_checked: int = 0
    distinct_pages: set = field(default_factory=set)
    violations: Counter = field(default_factory=Counter)  # (rule, page) pairs by impact
    nodes: Counter = field(default_factory=Counter)  # elements affected, by impact
    rules: dict = field(default_factory=dict)  # rule id -> (impact, pages it failed on)
    reflow_checks: int = 0
    needs_review: Counter = field(default_factory=Counter)  # rules axe could not decide, by page
    keyboard_journeys: list = field(default_factory=list)
    screenshots: list = field(default_factory=list)
    seconds: float = 0.0

    def lines(self) -> list[str]:
        by_impact = ", ".join(f"{impact} {self.violations[impact]}" for impact in IMPACTS)
        nodes = ", ".join(f"{impact} {self.nodes[impact]}" for impact in IMPACTS)
        lines = [
            f"pages checked with axe-core {axe_version()} (WCAG 2.0/2.1/2.2 A and AA): "
            f"{self.pages_checked} visits, {len(self.distinct_pages)} distinct pages",
            f"violations by impact (rule x page): {by_impact}",
            f"elements affected by impact: {nodes}",
            f"checks axe could not decide (left for a person to review, rule x page): "
            f"{sum(self.needs_review.values())}"
            + (
                f" ({', '.join(f'{r} {n}' for r, n in self.needs_review.most_common())})"
                if self.needs_review
                else ""
            ),
            f"pages checked at {NARROWEST}px for sideways scrolling: {self.reflow_checks}",
            f"time spent checking: {self.seconds:.0f}s",
            f"keyboard-only journeys completed: {len(self.keyboard_journeys)}",
        ]
        lines += [f"  - {name}" for name in self.keyboard_journeys]
        for rule, (impact, pages) in sorted(self.rules.items()):
            lines.append(f"  {impact} {rule}: {', '.join(sorted(pages))}")
        if self.screenshots:
            lines.append(f"screenshots written at phone and desktop widths: {', '.join(self.screenshots)}")
        return lines


TALLY = Tally()


def axe_version() -> str:
    package = AXE_FILE.parent / "package.json"
    if not package.exists():
        return "(not installed)"
    return json.loads(package.read_text())["version"]


def axe_source() -> str:
    """axe-core's source; installed on first use when `make test` has not done it already."""
    if not AXE_FILE.exists():
        subprocess.run([str(ENSURE_AXE)], check=True)
    return AXE_FILE.read_text()


RUN_AXE = """async (tags) => {
  const results = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  return {
    violations: results.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({target: n.target.join(" "), summary: n.failureSummary})),
    })),
    incomplete: results.incomplete.map((v) => ({
      id: v.id,
      help: v.help,
      nodes: v.nodes.map((n) => ({
        target: n.target.join(" "),
        why: [...n.any, ...n.all, ...n.none].map((c) => c.message).join("; "),
      })),
    })),
  };
}"""

# Elements that stick out past the right edge, outside any box that scrolls on its own.
OVERFLOWING = """(limit) => {
  const scrolls = (el) => {
    // The root and body pass their overflow to the viewport: only boxes inside them count.
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const style = getComputedStyle(p);
      if (["auto", "scroll", "hidden", "clip"].includes(style.overflowX)) return true;
    }
    return false;
  };
  return [...document.querySelectorAll("body *")]
    .filter((el) => el.getBoundingClientRect().right > limit + 0.5 && !scrolls(el))
    .slice(0, 8)
    .map((el) => `${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}.${[...el.classList].join(".")}`);
}"""

SETTLED_SCROLL_WIDTH = """() => new Promise((resolve) =>
  requestAnimationFrame(() => requestAnimationFrame(() => resolve(document.documentElement.scrollWidth))))"""


def run_axe(page) -> list[dict]:
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source())
    return page.evaluate(RUN_AXE, WCAG_TAGS)


def scroll_width_at(page, width: int) -> tuple[int, list[str]]:
    size = page.viewport_size
    page.set_viewport_size({"width": width, "height": size["height"]})
    try:
        scroll_width = page.evaluate(SETTLED_SCROLL_WIDTH)
        offenders = page.evaluate(OVERFLOWING, width) if scroll_width > width else []
    finally:
        page.set_viewport_size(size)
        page.evaluate(SETTLED_SCROLL_WIDTH)
    return scroll_width, offenders


def screenshot(page, name: str, *, at: str | None = None) -> None:
    """Photograph the viewport at phone and desktop widths, scrolled to the top or to `at` (a selector)."""
    folder = os.environ.get("SCREENSHOTS_DIR")
    if not folder or name in TALLY.screenshots:
        return  # one photograph of each page a run
    TALLY.screenshots.append(name)
    from PIL import Image

    Path(folder).mkdir(parents=True, exist_ok=True)
    size = page.viewport_size
    scroll = page.evaluate("() => [window.scrollX, window.scrollY]")
    try:
        for label, viewport in SHOT_SIZES.items():
            page.set_viewport_size(viewport)
            page.evaluate(SETTLED_SCROLL_WIDTH)
            page.evaluate(
                "(at) => at ? window.scrollTo(0, document.querySelector(at).getBoundingClientRect().top"
                " + window.scrollY - 16) : window.scrollTo(0, 0)",
                at,
            )
            page.evaluate(SETTLED_SCROLL_WIDTH)
            path = Path(folder) / f"{name}-{label}.png"
            page.screenshot(path=str(path), animations="disabled", caret="hide")
            # 256 colours are plenty for GOV.UK's flat palette and cut the files by two thirds.
            Image.open(path).convert("RGB").quantize(colors=256, dither=Image.Dither.NONE).save(
                path, optimize=True
            )
    finally:
        page.set_viewport_size(size)
        page.evaluate("([x, y]) => window.scrollTo(x, y)", scroll)


def check_page(
    page, name: str, *, shot: str | None = None, shot_at: str | None = None, tally: Tally = TALLY
) -> None:
    """Check the page now showing; fail on serious or critical violations or sideways scrolling."""
    started = time.perf_counter()
    results = run_axe(page)
    tally.pages_checked += 1
    tally.distinct_pages.add(name)
    tally.needs_review.update(item["id"] for item in results["incomplete"])
    if os.environ.get("AXE_REVIEW_FILE") and results["incomplete"]:
        # What axe left undecided, one JSON line a page, for a person to go through.
        with open(os.environ["AXE_REVIEW_FILE"], "a") as review:
            review.write(
                json.dumps({"page": name, "url": page.url, "undecided": results["incomplete"]}) + "\n"
            )
    blocking = []
    for violation in results["violations"]:
        impact = violation["impact"] or "minor"
        tally.violations[impact] += 1
        tally.nodes[impact] += len(violation["nodes"])
        tally.rules.setdefault(violation["id"], (impact, set()))[1].add(name)
        if impact in BLOCKING:
            blocking.append(violation)
    scroll_width, offenders = scroll_width_at(page, NARROWEST)
    tally.reflow_checks += 1
    tally.seconds += time.perf_counter() - started
    problems = [
        f"{v['impact']} {v['id']} ({v['help']}): "
        + "; ".join(f"{n['target']}: {n['summary']}" for n in v["nodes"][:5])
        for v in blocking
    ]
    if scroll_width > NARROWEST:
        problems.append(
            f"scrolls sideways at {NARROWEST}px (scrollWidth {scroll_width}); overflowing: {offenders}"
        )
    assert not problems, f"{name} ({page.url}):\n" + "\n".join(problems)
    if shot:
        screenshot(page, shot, at=shot_at)
