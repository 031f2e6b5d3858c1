"""In the browser: an admin changes a step's day number, previews its effect and publishes, with
the keyboard alone (issue 20, "Admins configure without reading the docs").

Sam, the council's admin, moves the 15-day flow chart's first unannounced visit from day 5 to
day 6. A family already in the flow chart keeps the version it started on; the preview says so
and counts it without naming it. Every page is checked with axe-core and at 320px.
"""

import pytest
from django.utils.html import escape
from playwright.sync_api import expect

from flowchart import selectors
from flowchart.pathways import KNOWSLEY
from tests.factories import AdminFactory, EpisodeFactory

from .conftest import DESKTOP

pytestmark = pytest.mark.e2e


def heading(page, text: str):
    return page.get_by_role("heading", level=1, name=text)


def test_the_admin_moves_a_step_previews_and_publishes_by_keyboard(journeys, _seeded):
    """Knowsley 000, Appendix 4: "15 DAY Non-Engagement Flow Chart/Process (these are the minimum
    attempts that should be made)": the council may ask for more, in a new version; families
    already on the chart keep the version they started on."""
    admin = AdminFactory(email="sam.okoro@northshire.example", full_name="Sam Okoro")
    published = selectors.current_version(KNOWSLEY)
    running = EpisodeFactory(version=published)
    pathway = published.pathway

    sam = journeys("Admin", viewport=DESKTOP)
    page = sam.page
    sam.sign_in(admin.email)
    expect(page.get_by_role("heading", name="Configuration")).to_be_visible()
    sam.check("configuration")
    sam.press(page.get_by_role("link", name="Change a pathway step by step"))
    expect(heading(page, "Pathways")).to_be_visible()
    sam.check("pathways")
    sam.press(page.get_by_role("link", name=pathway.name))
    expect(heading(page, f"Version {published.number} (published)")).to_be_visible()
    sam.check("a published version's steps")
    sam.press(page.get_by_role("button", name="Create a draft"))
    draft_number = published.number + 1
    expect(heading(page, f"Draft version {draft_number}")).to_be_visible()
    sam.check("the draft's steps", shot="pathway-steps")

    sam.press(page.get_by_role("link", name="Change step 5"))
    expect(heading(page, "Step 5: First unannounced home visit")).to_be_visible()
    sam.check("step 5", shot="pathway-step")
    sam.type_into(page.get_by_label("Day number"), "16")
    sam.press(page.get_by_role("button", name="Save as draft"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a day number from 1 to 15")
    sam.check("step 5, an error", shot="pathway-step-error")
    sam.type_into(page.get_by_label("Day number"), "6")
    sam.press(page.get_by_role("button", name="Save as draft"))
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Step 5 saved in draft")
    sam.check("the draft's steps, step 5 saved")
    expect(page.get_by_role("row").filter(has_text="5. First unannounced")).to_contain_text("On day 6")

    sam.press(page.get_by_role("link", name="Preview and publish"))
    # The preview replays the sample family twice through the real services: on a busy machine
    # that takes longer than an expectation's usual wait.
    expect(heading(page, f"Preview draft version {draft_number}, then publish")).to_be_visible(
        timeout=180_000
    )
    expect(page.get_by_text("Your change makes a difference on")).to_be_visible()
    expect(page.locator(".govuk-summary-list")).to_contain_text("1 running")
    sam.check("preview", shot="pathway-preview")
    content = page.content()
    assert escape(running.case.family_name) not in content and running.case.reference not in content
    sam.press(page.get_by_role("button", name="Publish"))
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        f"Version {draft_number} of {pathway.name} is published"
    )
    expect(heading(page, f"Version {draft_number} (published)")).to_be_visible()
    sam.check("published")
    sam.finished_by_keyboard("Admin: change a step's day number, preview its effect, publish")
    sam.all_checked()

    assert selectors.current_version(KNOWSLEY).number == draft_number
    running.refresh_from_db()
    assert running.version == published
