import os

from tests import browser_setup

from .figures import lines

# Debian's chromium and plain static files, as every browser test has them (tests/browser_setup.py).
browser_type_launch_args = browser_setup.browser_type_launch_args
_plain_static_files = browser_setup._plain_static_files

# Browser tests drive Playwright's sync API from the test thread; the ORM calls around it are
# synchronous and safe (as in tests/e2e).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_terminal_summary(terminalreporter):
    summary = lines()
    if summary:
        terminalreporter.section("security figures")
        for line in summary:
            terminalreporter.write_line(line)
