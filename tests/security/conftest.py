import os

import pytest

from .figures import lines

# Browser tests drive Playwright's sync API from the test thread; the ORM calls around it are
# synchronous and safe (as in tests/e2e).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_terminal_summary(terminalreporter):
    summary = lines()
    if summary:
        terminalreporter.section("security figures")
        for line in summary:
            terminalreporter.write_line(line)


@pytest.fixture(scope="session")
def browser_type_launch_args():
    """Debian's chromium, launched as tests/e2e launches it (never a downloaded browser)."""
    return {
        "executable_path": "/usr/bin/chromium",
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture
def _plain_static_files(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
