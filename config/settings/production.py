"""Production: every secret from the environment, no defaults, HTTPS throughout."""

from .base import *  # noqa: F403
from .base import MAILERS, NOTIFY_API_KEY, env, env_int, env_list

DEBUG = False
# The demo logins' password is published in the README: they must never exist here.
DEMO_DATA_ALLOWED = False
SECRET_KEY = env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", None)
DATABASES = {
    "default": __import__("dj_database_url").parse(
        env("DATABASE_URL"), conn_max_age=60, conn_health_checks=True
    )
}
CELERY_BROKER_URL = env("CELERY_BROKER_URL")
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env("REDIS_CACHE_URL", CELERY_BROKER_URL),
    }
}
MAILERS["default"]["OPTIONS"]["host"] = env("EMAIL_HOST")
SIGNING_KEY_FILE = env("SIGNING_KEY_FILE")
SIGNING_CERT_FILE = env("SIGNING_CERT_FILE")
# The organisation's own authority and any revocation lists, never the development ones.
SIGNING_CHAIN_FILES = env_list("SIGNING_CHAIN_FILES", "")
SIGNING_CRL_FILES = env_list("SIGNING_CRL_FILES", "")
# Records outlast their signing certificates: every signature is timestamped by the configured
# authority and carries its validation data (PAdES B-LT), so production will not start without it.
SIGNING_TSA_URL = env("SIGNING_TSA_URL")
# ...and its root certificate: a timestamp from an authority nothing trusts does not verify.
SIGNING_TSA_CERT_FILES = env_list("SIGNING_TSA_CERT_FILES", None)
MFA_ENCRYPTION_KEYS = env_list("MFA_ENCRYPTION_KEYS", None)
# Links in emails must reach the service, not a developer's 127.0.0.1.
SITE_URL = env("SITE_URL")
# GOV.UK Notify is optional (without it, family messages stay in the local outbox); with a key,
# the pass-through templates and both callbacks' tokens must be set too (docs/notify.md).
if NOTIFY_API_KEY:
    NOTIFY_SMS_TEMPLATE_ID = env("NOTIFY_SMS_TEMPLATE_ID")
    NOTIFY_EMAIL_TEMPLATE_ID = env("NOTIFY_EMAIL_TEMPLATE_ID")
    NOTIFY_CALLBACK_TOKEN = env("NOTIFY_CALLBACK_TOKEN")
    NOTIFY_INBOUND_CALLBACK_TOKEN = env("NOTIFY_INBOUND_CALLBACK_TOKEN")
    if NOTIFY_INBOUND_CALLBACK_TOKEN == NOTIFY_CALLBACK_TOKEN:
        raise SystemExit(
            "Set NOTIFY_INBOUND_CALLBACK_TOKEN to a token of its own, not NOTIFY_CALLBACK_TOKEN: "
            "Notify gives each callback its own bearer token (see docs/notify.md)."
        )
# The TLS proxy in front of the service (docs/deployment in docs/operations.md): one unless told.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1)

SECURE_SSL_REDIRECT = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
CSRF_TRUSTED_ORIGINS = [f"https://{host}" for host in ALLOWED_HOSTS]
