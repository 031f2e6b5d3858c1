"""The page checks the journeys rely on catch what they are there to catch."""

import pytest
from playwright.sync_api import expect

from .audit import Tally, check_page

pytestmark = pytest.mark.e2e

BREAK_THE_PAGE = """() => {
  const main = document.querySelector("main");
  const input = document.createElement("input");
  input.id = "unlabelled";
  main.append(input);
  const wide = document.createElement("div");
  wide.id = "too-wide";
  wide.textContent = "A table that does not fit";
  wide.style.width = "600px";  // through the CSSOM, which the site's CSP allows
  main.append(wide);
}"""


def test_a_missing_label_and_sideways_scrolling_fail_the_check(phone):
    phone.goto("/accounts/login/")
    expect(phone.get_by_role("heading", name="Sign in")).to_be_visible()
    tally = Tally()
    check_page(phone, "sign in", tally=tally)  # the real page passes
    phone.evaluate(BREAK_THE_PAGE)

    with pytest.raises(AssertionError) as failure:
        check_page(phone, "sign in, broken", tally=tally)

    message = str(failure.value)
    assert "critical label" in message and "#unlabelled" in message
    assert "scrolls sideways at 320px" in message and "div#too-wide" in message
    assert tally.pages_checked == 2 and tally.violations["critical"] == 1
