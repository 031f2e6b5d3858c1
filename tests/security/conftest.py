import os

import pytest

from tests import browser_setup
from tests.factories import (
    AgencyMemberFactory,
    ManagerFactory,
    PractitionerFactory,
    SocialWorkerFactory,
    TeamFactory,
)

from .figures import lines

# Debian's chromium and plain static files, as every browser test has them (tests/browser_setup.py).
browser_type_launch_args = browser_setup.browser_type_launch_args
_plain_static_files = browser_setup._plain_static_files

# Browser tests drive Playwright's sync API from the test thread; the ORM calls around it are
# synchronous and safe (as in tests/e2e).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def people(db):
    """The staff of the scenario's case (tests/security/scenario.py): lead practitioner, line
    manager, multi-agency member, allocated social worker."""
    manager = ManagerFactory(full_name="Morgan Manager")
    team = TeamFactory(name="Team North", manager=manager)
    manager.team = team
    manager.save()
    lead = PractitionerFactory(full_name="Lee Practitioner", team=team)
    agency = AgencyMemberFactory(full_name="Ash Agency")
    social_worker = SocialWorkerFactory(full_name="Sol Worker")
    return lead, manager, agency, social_worker


def pytest_terminal_summary(terminalreporter):
    summary = lines()
    if summary:
        terminalreporter.section("security figures")
        for line in summary:
            terminalreporter.write_line(line)
