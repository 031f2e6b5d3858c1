"""The test suite: fast hashing, in-memory mail, Celery run in-process with errors raised."""

import os

from .base import *  # noqa: F403
from .base import CACHES, DATABASES, DEVELOPMENT_MFA_KEY, DOCUMENTS_STORAGE, env, env_list

if not os.environ.get("DATABASE_URL"):
    DATABASES["default"] = {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}
DATABASES["default"]["CONN_MAX_AGE"] = 0
DATABASES["default"].setdefault("TEST", {})
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"]["TEST"]["NAME"] = env("TEST_DATABASE_NAME", "engaging_families_test")

# The suite is one process, and clears the cache around tests that need no database: the
# database cache of the embedded default would need one. (With REDIS_CACHE_URL, CI uses Redis.)
# tests/accounts/test_sign_in_limits.py checks that the default is shared between processes.
if CACHES["default"]["BACKEND"].endswith("DatabaseCache"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
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
