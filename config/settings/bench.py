"""The web benchmark's server (`make bench`): production settings, except where a loopback run needs.

It runs on its own database, never the one DATABASE_URL names: with DATABASE_URL on PostgreSQL
it is the database `bench` (BENCH_DATABASE_NAME) on the same server; otherwise the SQLite file
.cache/bench/bench.sqlite3. What differs from production, and why:

- plain HTTP on 127.0.0.1: no HTTPS redirect, no Secure or __Host- cookies (wrk sends the cookie);
- the signing key and certificate default to the development pair under var/ (no PDF is signed
  by the pages measured);
- mail goes nowhere (nothing is sent by the pages measured);
- static files keep their hashed names but are not compressed (see STORAGES below);
- the cache is Redis when REDIS_CACHE_URL is set, as in production, else local memory: none of
  the pages measured reads it;
- the benchmark's two floor views live in bench/urls.py, never in the product's urlconf;
- each response carries the worker CPU time it took (bench/middleware.py), read by wrk's script.

MFA stays on: the benchmark signs the manager in the way allauth does after an authenticator code
(see bench/web.py), so every request still pays the MFA middleware's check.
"""

import dj_database_url

from .base import *  # noqa: F403
from .base import (
    BASE_DIR,
    DEVELOPMENT_MFA_KEY,
    DOCUMENTS_STORAGE,
    MIDDLEWARE,
    SQLITE_OPTIONS,
    TEMPLATES,
    env,
    env_list,
)

BENCH_DIR = BASE_DIR / ".cache" / "bench"
BENCH_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "bench.urls"
# Outermost, so the CPU it reports covers every middleware too.
MIDDLEWARE = ["bench.middleware.CpuTimeMiddleware", *MIDDLEWARE]

_url = env("DATABASE_URL", "")
if _url.startswith(("postgres://", "postgresql://")):
    DATABASES = {"default": dj_database_url.parse(_url, conn_max_age=60, conn_health_checks=True)}
    DATABASES["default"]["NAME"] = env("BENCH_DATABASE_NAME", "bench")
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(BENCH_DIR / "bench.sqlite3"),
            "CONN_MAX_AGE": 60,
            # As the product runs on SQLite (WAL, synchronous=NORMAL, a writer waits its turn):
            # without them every access-log entry a page writes waits for the disk.
            "OPTIONS": SQLITE_OPTIONS,
        }
    }

STATIC_ROOT = BENCH_DIR / "static"
MEDIA_ROOT = BENCH_DIR / "media"
TEMPLATES = [{**TEMPLATES[0], "DIRS": [*TEMPLATES[0]["DIRS"], BASE_DIR / "bench" / "templates"]}]

MAILERS = {"default": {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"}}
CELERY_BROKER_URL = "memory://"
CELERY_BROKER_TRANSPORT_OPTIONS = {}
CELERY_TASK_ALWAYS_EAGER = False

# Hashed names as in production, but not compressed: compressing takes a minute each run and
# changes nothing the pages measured do (they name static files; they do not serve them).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "documents": {"BACKEND": DOCUMENTS_STORAGE},
    "staticfiles": {"BACKEND": "cases.static_files.ManifestStaticStorage"},
}
MFA_ENCRYPTION_KEYS = env_list("MFA_ENCRYPTION_KEYS", DEVELOPMENT_MFA_KEY)
