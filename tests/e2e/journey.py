"""A person's session in the browser: every page they load is checked, and the keyboard can drive.

The keyboard helpers move focus only with Tab and Shift+Tab and act only with Enter and Space,
as someone who cannot use a mouse would. Inside a control they type, as that person would: text
into boxes, the first letters of an option into a select (the browser's type-ahead), and the
arrow keys within a radio group, which is how a radio group is operated from the keyboard.
"""

import datetime as dt

from playwright.sync_api import expect

from tests.factories.cases import PASSWORD

from .audit import TALLY, check_page, screenshot

FOCUS_IS_IN = "(els) => els.includes(document.activeElement)"
# Which way to Tab from the focused element to reach the first of the target elements.
DIRECTION = """(els) => {
  const here = document.activeElement;
  if (!here || here === document.body) return "forward";
  return here.compareDocumentPosition(els[0]) & Node.DOCUMENT_POSITION_PRECEDING ? "back" : "forward";
}"""
SELECTED = "(el) => el.options[el.selectedIndex].text.trim()"
DESCRIBE_FOCUS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return "nothing";
  const name = el.getAttribute("aria-label") || (el.labels && el.labels[0] && el.labels[0].textContent)
    || el.textContent || el.name || "";
  return `${el.tagName.toLowerCase()} "${name.trim().replace(/\\s+/g, " ").slice(0, 60)}"`;
}"""


class Journey:
    def __init__(self, page, who: str):
        self.page = page
        self.who = who
        self.loads: list[str] = []
        self.checked = 0
        page.on("load", lambda p: self.loads.append(p.url))

    # Every page loaded must be checked before the journey moves on.

    def check(self, name: str, *, shot: str | None = None, shot_at: str | None = None) -> None:
        # A checked document is marked: wait for the next one to replace it (same URL or not).
        self.page.wait_for_function("() => !window.__journeyChecked")
        self.page.wait_for_load_state()
        unchecked = self.loads[self.checked :]
        assert unchecked, f"{name}: no new page has loaded since the last check"
        assert len(unchecked) == 1, f"pages loaded without being checked: {unchecked[:-1]}"
        check_page(self.page, f"{self.who}: {name}", shot=shot, shot_at=shot_at)
        self.page.evaluate("() => { window.__journeyChecked = true; }")
        self.checked = len(self.loads)

    def shot(self, name: str, *, at: str | None = None) -> None:
        """A screenshot for the docs of the page as it is now (with SCREENSHOTS_DIR set)."""
        screenshot(self.page, name, at=at)

    def all_checked(self) -> None:
        assert len(self.loads) == self.checked, f"pages never checked: {self.loads[self.checked :]}"

    # The keyboard alone.

    def sign_in(self, email: str) -> None:
        """From the start page: type the email address and the test password, press Sign in."""
        self.page.goto("/")
        expect(self.page.get_by_role("heading", name="Sign in")).to_be_visible()
        self.check("sign in")
        self.type_into(self.page.get_by_label("Email address"), email)
        self.type_into(self.page.get_by_label("Password"), PASSWORD)
        self.press(self.page.get_by_role("button", name="Sign in"))

    def go(self, target, heading: str, name: str | None = None) -> None:
        """Press a link or button, wait for the page with this main heading and check it."""
        self.press(target)
        expect(self.page.get_by_role("heading", level=1, name=heading)).to_be_visible()
        self.check(name or heading.lower())

    def tab_to(self, target, *, limit: int = 250) -> None:
        """Press Tab (or Shift+Tab, when the target is above) until focus is on the target."""
        expect(target.first).to_be_attached()
        if target.evaluate_all(FOCUS_IS_IN):
            return
        key = "Shift+Tab" if target.evaluate_all(DIRECTION) == "back" else "Tab"
        trail = []
        for _ in range(limit):
            self.page.keyboard.press(key)
            if target.evaluate_all(FOCUS_IS_IN):
                return
            if len(trail) < 12:
                trail.append(self.page.evaluate(DESCRIBE_FOCUS))
        raise AssertionError(f"{key} never reached {target}; focus went through {trail}")

    def press(self, target, key: str = "Enter") -> None:
        """Move focus to a link or button and activate it (Enter for links, Enter or Space for buttons)."""
        self.tab_to(target)
        self.page.keyboard.press(key)

    def type_into(self, target, text: str) -> None:
        self.tab_to(target)
        self.page.keyboard.press("ControlOrMeta+a")  # replace whatever the box already holds
        if text:
            self.page.keyboard.type(text)
        else:
            self.page.keyboard.press("Delete")
        expect(target).to_have_value(text)

    def type_date(self, label: str, day: dt.date, *, within=None) -> None:
        """A GOV.UK date input: the day, month and year boxes of the fieldset with this legend."""
        scope = within or self.page
        group = scope.get_by_role("group", name=label)
        for part, value in (("Day", day.day), ("Month", day.month), ("Year", day.year)):
            self.type_into(group.get_by_label(part, exact=True), str(value))

    def choose(self, select, option: str) -> None:
        """Pick an option of a closed select by typing the start of its label."""
        self.tab_to(select)
        self.page.keyboard.type(option[:12], delay=20)
        selected = select.evaluate(SELECTED)
        if selected != option:
            # Type-ahead stops at the first match (or gives up when typing is slow): go to the
            # top and step down with the arrow keys.
            self.page.keyboard.press("Home")
            for _ in range(select.evaluate("(el) => el.options.length")):
                selected = select.evaluate(SELECTED)
                if selected == option:
                    break
                self.page.keyboard.press("ArrowDown")
        assert selected == option, f"could not choose {option!r}: {selected!r} is selected"

    def radio(self, group_name: str, option: str, *, within=None) -> None:
        """Tab into a radio group, then move to the option with the arrow keys and select it."""
        scope = within or self.page
        group = scope.get_by_role("group", name=group_name)
        target = group.get_by_role("radio", name=option, exact=True)
        self.tab_to(group.get_by_role("radio"))
        for _ in range(12):
            if target.evaluate("(el) => el === document.activeElement"):
                break
            self.page.keyboard.press("ArrowDown")
        if not target.is_checked():
            self.page.keyboard.press("Space")
        expect(target).to_be_checked()

    def tick(self, checkbox, *, ticked: bool = True) -> None:
        """Tab to a checkbox and press Space if it is not already as wanted."""
        self.tab_to(checkbox)
        if checkbox.is_checked() != ticked:
            self.page.keyboard.press("Space")
        expect(checkbox).to_be_checked(checked=ticked)

    def open_details(self, summary_text: str, *, within=None) -> None:
        """Open the <details> whose summary reads this, with Enter (a summary is in the tab order)."""
        summary = (within or self.page).locator("summary", has_text=summary_text)
        self.tab_to(summary)
        if not summary.evaluate("(el) => el.parentElement.open"):
            self.page.keyboard.press("Enter")
        expect(summary.locator("xpath=..")).to_have_attribute("open", "")

    def finished_by_keyboard(self, what: str) -> None:
        TALLY.keyboard_journeys.append(what)
