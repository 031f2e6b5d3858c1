"""What every browser test shares: Debian's chromium (never a downloaded browser) and static files
served as they are (the hashed manifest is not built in tests)."""

import pytest
from django.core.servers.basehttp import WSGIServer
from django.test.testcases import LiveServerThread

# The live server hands the test's in-memory SQLite connection to every thread it answers from
# (so the server sees the test's data). The offline app's service worker fetches in the background
# while the page navigates, and two requests at once on that one connection broke each other's
# transactions ("cannot start a transaction within a transaction"), losing the session mid-request
# (a 400). One request at a time: a single-threaded server closes each connection after its answer,
# so the browser's parallel requests simply wait their turn.


class OneRequestAtATime(WSGIServer):
    """Answers in the live server's own thread, which already holds the test's connections."""

    def __init__(self, *args, connections_override=None, **kwargs):
        super().__init__(*args, **kwargs)


LiveServerThread.server_class = OneRequestAtATime

# The offline app's service worker fetches in the background, and the live server's one in-memory
# SQLite connection is the test's own: a test's queries while the worker installs would share it.
# Only tests/e2e/test_offline_outbox.py, which tests the worker, lets it run.
NO_SERVICE_WORKER = "block"


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "service_workers": NO_SERVICE_WORKER}


@pytest.fixture(scope="session")
def browser_type_launch_args():
    return {
        "executable_path": "/usr/bin/chromium",
        # Without the network flags chromium keeps calling out, and this closed network refuses.
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
