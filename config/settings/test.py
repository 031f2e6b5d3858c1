"""The test suite: fast hashing, in-memory mail, Celery run in-process with errors raised."""

import os

from .base import *  # noqa: F403
from .base import (
    CACHES,
    CELERY_BROKER_URL,
    DATABASES,
    DEVELOPMENT_MFA_KEY,
    DOCUMENTS_STORAGE,
    env,
    env_list,
)

if not os.environ.get("DATABASE_URL"):
    DATABASES["default"] = {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}
DATABASES["default"]["CONN_MAX_AGE"] = 0
DATABASES["default"].setdefault("TEST", {})
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"]["TEST"]["NAME"] = env("TEST_DATABASE_NAME", "engaging_families_test")

# Each worker of the suite is one process, and clears the cache around tests that need no
# database: the database cache of the embedded default would need one. (With REDIS_CACHE_URL, CI uses Redis.)
# tests/accounts/test_sign_in_limits.py checks that the default is shared between processes.
if CACHES["default"]["BACKEND"].endswith("DatabaseCache"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def _redis_for_worker(url: str, worker: str) -> str:
    """The Redis database of one worker of a parallel run: the configured one, counted down by two
    a worker (CI's cache 14 and broker 15 are 12 and 13 for the second worker, and so on).

    pytest-xdist's workers (gw0, gw1, ...) each get their own test database from pytest-django;
    without their own Redis databases too, one worker's `cache.clear()` would wipe another's
    sign-in counts in the middle of a test.
    """
    head, _, database = url.rpartition("/")
    if not url.startswith("redis://") or not database.isdigit() or not worker.startswith("gw"):
        return url
    number = int(database) - 2 * int(worker[2:])
    if number < 0:
        raise ValueError(f"{url} leaves no Redis database for worker {worker}: run fewer workers")
    return f"{head}/{number}"


_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if CACHES["default"]["BACKEND"].endswith("RedisCache"):
    CACHES["default"]["LOCATION"] = _redis_for_worker(CACHES["default"]["LOCATION"], _WORKER)
CELERY_BROKER_URL = _redis_for_worker(CELERY_BROKER_URL, _WORKER)
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "documents": {"BACKEND": DOCUMENTS_STORAGE},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
STATIC_ROOT = None  # served by the finders; nothing is collected in tests
WHITENOISE_AUTOREFRESH = True
MEDIA_ROOT = "/nonexistent-media"  # nothing in tests may touch the real disk
ACCOUNT_RATE_LIMITS = {"login_failed": "1000/m/ip,5/15m/key"}
LOGGING = {"version": 1, "disable_existing_loggers": False}

# Every request in the suite fails on an N+1 query pattern.
INSTALLED_APPS = [*INSTALLED_APPS, "zeal"]  # noqa: F405
MIDDLEWARE = [*MIDDLEWARE, "tests.n_plus_one.NPlusOneMiddleware"]  # noqa: F405
ZEAL_RAISE = True
# Two look-ups of one kind (a form with two people fields) are not a pattern; three are.
ZEAL_NPLUSONE_THRESHOLD = 3
MFA_ENCRYPTION_KEYS = env_list("MFA_ENCRYPTION_KEYS", DEVELOPMENT_MFA_KEY)

# Family messages go to the local outbox unless a test points the client at its own server; the
# callbacks' bearer token is fixed so tests can send it.
NOTIFY_API_KEY = ""
# The callbacks' bearer tokens the tests send: not secrets of any real service.
NOTIFY_CALLBACK_TOKEN = "test-callback-token-0123456789"  # nosec B105
NOTIFY_INBOUND_CALLBACK_TOKEN = "test-inbound-token-9876543210"  # nosec B105
