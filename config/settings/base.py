"""Settings shared by every environment. Values that differ come from the environment."""

from pathlib import Path

import dj_database_url
from django.utils.csp import CSP

from .env import env, env_bool, env_int, env_list

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env("VAR_DIR", str(BASE_DIR / "var")))

SECRET_KEY = env(
    "DJANGO_SECRET_KEY", "insecure-local-only-key-change-me-0123456789abcdefghijklmnopqrstuvwxyz"
)
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "crispy_forms",
    "crispy_forms_gds",
    "simple_history",
    "cases",
    "engagement",
    "riskassessment",
    "flowchart",
    "insight",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "cases.middleware.ActiveUserMiddleware",
    "cases.middleware.SessionLifetimeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "cases.middleware.RequireMfaMiddleware",
    "cases.middleware.PrivacyHeadersMiddleware",
    "cases.middleware.RefusalLogMiddleware",
    "cases.kept_posts.KeptPostMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, so it is the first to see a draft's save or discard raised from a form's view.
    "cases.drafts.DraftMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cases.context_processors.service",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"), conn_max_age=60
    )
}
# SQLite, the embedded default, is written by two gunicorn workers and Celery at once. WAL lets
# readers and a writer work together; IMMEDIATE takes the write lock when a transaction starts,
# so a second save waits its turn (up to `timeout` seconds) instead of failing "database is
# locked" after it has read.
SQLITE_OPTIONS = {
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {**SQLITE_OPTIONS, **DATABASES["default"].get("OPTIONS", {})}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "cases.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "cases.validators.BreachedPasswordValidator"},
]
# Passwords known from data breaches, in the format of the Have I Been Pwned download (one
# `SHA1:count` line per password, sorted). The list shipped is a seed; point this at the full
# download in production (docs/security.md, "Passwords").
BREACHED_PASSWORDS_FILE = env(
    "BREACHED_PASSWORDS_FILE", str(BASE_DIR / "cases" / "data" / "breached-passwords-sha1.txt")
)

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_ADAPTER = "cases.adapters.AccountAdapter"
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
# A reset request for an address with no account sends nothing: the form must not mail strangers.
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
# Five wrong passwords for one account lock it for fifteen minutes, whatever the source address:
# that is the main defence. The per-address limits only slow one client down, and count the
# client the trusted proxy saw (below), not the proxy.
# (Reset requests are named apart: a literal under a key naming passwords reads to bandit as one.)
_RESET_REQUESTS = "5/m/ip,3/m/key"
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "20/m/ip,5/15m/key",
    "reset_password": _RESET_REQUESTS,
}
# How many proxies of the council's own stand in front of the service. The client's address is
# the one the outermost of them added to X-Forwarded-For; anything left of it was written by the
# client. 0 (no proxy) ignores X-Forwarded-For entirely. Rate limits and the security log both
# read it (cases/audit.py).
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
# TOTP secrets and recovery-code seeds are encrypted with these Fernet keys, newest first (see
# docs/security.md for rotating them). Production must set them; the development key below is
# for local, test and benchmark settings only.
MFA_ADAPTER = "cases.adapters.MFAAdapter"
# The code forms with GOV.UK error messages; the pages are in templates/mfa/ and templates/account/.
MFA_FORMS = {
    "authenticate": "cases.mfa_forms.CodeAuthenticateForm",
    "reauthenticate": "cases.mfa_forms.CodeReauthenticateForm",
    "activate_totp": "cases.mfa_forms.CodeActivateTOTPForm",
}
MFA_ENCRYPTION_KEYS: list[str] = []
DEVELOPMENT_MFA_KEY = "bG9jYWwtZGV2ZWxvcG1lbnQtb25seS1rZXktMDAwMDA="
MFA_TOTP_ISSUER = env("SERVICE_NAME", "Engaging families")
# Roles that must set up an authenticator app before they can use the service.
MFA_REQUIRED_ROLES = env_list("MFA_REQUIRED_ROLES", "line_manager,admin")
MFA_REQUIRED_FOR_ALL = env_bool("MFA_REQUIRED_FOR_ALL", False)
MFA_EXEMPT_EMAILS: list[str] = []

SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", 30 * 60)
SESSION_SAVE_EVERY_REQUEST = True  # the age above is then an idle timeout
# Signed-in pages warn this long before the idle timeout, as GOV.UK's timeout pattern does
# (static/js/timeout-warning.js); "Stay signed in" restarts the idle clock.
SESSION_WARNING_SECONDS = env_int("SESSION_WARNING_SECONDS", 2 * 60)
# However busy, a session ends this long after sign-in (cases.middleware.SessionLifetimeMiddleware).
SESSION_ABSOLUTE_SECONDS = env_int("SESSION_ABSOLUTE_SECONDS", 10 * 60 * 60)
# Messages name people ("Priya Patel is now the lead practitioner"): keep them in the session on
# the server, not in a cookie that is signed but readable.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# A form posted after the session ended, or refused by the CSRF check, is kept this long for the
# person who typed it to sign in and find it again (cases/kept_posts.py).
KEPT_POST_SECONDS = env_int("KEPT_POST_SECONDS", 24 * 60 * 60)
CSRF_FAILURE_VIEW = "cases.views.csrf_failure"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
# Strings are marked for translation (docs/language.md). The staff interface is English; family-
# facing documents are printed in the person's language (Welsh from config/locale/cy). No
# LocaleMiddleware: a browser asking for Welsh would get Django's own words in Welsh and ours
# in English until the interface is translated.
USE_I18N = True
LANGUAGES = [("en-gb", "English"), ("cy", "Cymraeg")]
LOCALE_PATHS = [BASE_DIR / "config" / "locale"]
USE_TZ = True
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
# Signed documents are kept where every web server and worker reaches them: in the database by
# default (cases/storage.py), or in object storage when DOCUMENTS_STORAGE names django-storages'
# backend, e.g. "storages.backends.s3.S3Storage" with its AWS_* settings (docs/operations.md).
DOCUMENTS_STORAGE = env("DOCUMENTS_STORAGE", "cases.storage.DatabaseStorage")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "documents": {"BACKEND": DOCUMENTS_STORAGE},
    "staticfiles": {"BACKEND": "cases.static_files.CompressedManifestStaticStorage"},
}

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

# Sign-in limits are counted in the cache, so it must be one every process shares (gunicorn's
# workers each have their own memory): a table in the database by default (`migrate` creates it),
# Redis when configured.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "cache_entries",
    }
}
if env("REDIS_CACHE_URL", ""):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env("REDIS_CACHE_URL"),
        }
    }

# Background work. With no broker configured, kombu's filesystem transport runs a real worker
# and beat with no server at all.
CELERY_FILESYSTEM_DIR = VAR_DIR / "celery"
CELERY_BROKER_URL = env("CELERY_BROKER_URL", "filesystem://")
CELERY_BROKER_TRANSPORT_OPTIONS = (
    {
        "data_folder_in": str(CELERY_FILESYSTEM_DIR / "out"),
        "data_folder_out": str(CELERY_FILESYSTEM_DIR / "out"),
        "control_folder": str(CELERY_FILESYSTEM_DIR / "control"),
        "processed_folder": str(CELERY_FILESYSTEM_DIR / "processed"),
        "store_processed": False,
    }
    if CELERY_BROKER_URL.startswith("filesystem")
    else {"visibility_timeout": 3600}
)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

MAILERS = {
    "default": {
        "BACKEND": env("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"),
        "OPTIONS": {
            "host": env("EMAIL_HOST", "localhost"),
            "port": env_int("EMAIL_PORT", 25),
            "username": env("EMAIL_HOST_USER", ""),
            "password": env("EMAIL_HOST_PASSWORD", ""),
            "use_tls": env_bool("EMAIL_USE_TLS", False),
            "timeout": 20,
        },
    }
}
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "engaging-families@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# seed_demo makes logins whose password is published: allowed everywhere but production.
DEMO_DATA_ALLOWED = True

# The service and the organisation it belongs to.
SERVICE_NAME = env("SERVICE_NAME", "Engaging families")
ORGANISATION_NAME = env("ORGANISATION_NAME", "Demo Metropolitan Borough Council")
ORGANISATION_LOGO = env("ORGANISATION_LOGO", "")
# The address in links inside emails. `make run` sets it from the port it serves on; production
# requires it.
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000")
# GDS Transport may only be used on gov.uk domains; councils choose their own stack.
FONT_FAMILY = env("FONT_FAMILY", "")
SIGNING_KEY_FILE = env("SIGNING_KEY_FILE", str(VAR_DIR / "signing" / "key.pem"))
SIGNING_CERT_FILE = env("SIGNING_CERT_FILE", str(VAR_DIR / "signing" / "cert.pem"))
SIGNING_KEY_PASSPHRASE = env("SIGNING_KEY_PASSPHRASE", "")
# Certificates that signed earlier documents, so they still verify after the certificate is renewed.
SIGNING_PREVIOUS_CERT_FILES = env_list("SIGNING_PREVIOUS_CERT_FILES", "")
# Signatures that last (docs/documents.md): with a time-stamping authority (RFC 3161) named, every
# signature is timestamped and carries the validation data to check it after the certificate
# expires (PAdES B-LT); with none, signing stays offline and the signature is PAdES B-B.
SIGNING_TSA_URL = env("SIGNING_TSA_URL", "")
SIGNING_TSA_TIMEOUT = env_int("SIGNING_TSA_TIMEOUT", 10)
# The TSA's certificate authority (and intermediates): timestamps from it are trusted.
SIGNING_TSA_CERT_FILES = env_list("SIGNING_TSA_CERT_FILES", "")
# The signing certificate's issuing authority up to its root, and revocation lists to embed as
# well as those fetched from the certificates' own addresses. `make_dev_certificate` writes both.
SIGNING_CHAIN_FILES = env_list("SIGNING_CHAIN_FILES", str(VAR_DIR / "signing" / "ca.pem"))
SIGNING_CRL_FILES = env_list("SIGNING_CRL_FILES", str(VAR_DIR / "signing" / "crl.pem"))

# GOV.UK Notify (docs/notify.md). With no API key every text, email and letter to a family is kept
# in the local outbox instead of being sent. The two template ids name Notify templates that pass
# the product's wording through: ((body)) for texts, ((subject)) and ((body)) for emails.
NOTIFY_API_KEY = env("NOTIFY_API_KEY", "")
NOTIFY_BASE_URL = env("NOTIFY_BASE_URL", "https://api.notifications.service.gov.uk")
NOTIFY_SMS_TEMPLATE_ID = env("NOTIFY_SMS_TEMPLATE_ID", "")
NOTIFY_EMAIL_TEMPLATE_ID = env("NOTIFY_EMAIL_TEMPLATE_ID", "")
# The bearer tokens given to Notify with the callback addresses, one per callback as Notify keeps
# them: delivery receipts and returned letters; received text messages. With none, that kind of
# callback is refused.
NOTIFY_CALLBACK_TOKEN = env("NOTIFY_CALLBACK_TOKEN", "")
NOTIFY_INBOUND_CALLBACK_TOKEN = env("NOTIFY_INBOUND_CALLBACK_TOKEN", "")
# Notify's yearly free text allowance for the council and the price of each text beyond it, in
# pence before VAT: the figures of the council's Notify service, for the manager's panel.
NOTIFY_FREE_TEXTS_A_YEAR = env_int("NOTIFY_FREE_TEXTS_A_YEAR", 5000)
NOTIFY_TEXT_PRICE_PENCE = float(env("NOTIFY_TEXT_PRICE_PENCE", "2.27"))

# Retention of case records (cases/retention.py). The defaults are assumptions for a council's
# records manager to confirm against its own schedule: an early help case is kept 6 years after
# it closes; a case that reached child protection (stepped up, level 4, an escalation to the
# MASH, or an assessment recording elevated risk) at least until its youngest child is 25.
RETENTION_YEARS = {
    "case": env_int("RETENTION_CASE_YEARS", 6),
    "child_protection": env_int("RETENTION_CHILD_PROTECTION_YEARS", 6),
}
RETENTION_UNTIL_YOUNGEST_CHILD_AGE = {
    "child_protection": env_int("RETENTION_CHILD_PROTECTION_UNTIL_AGE", 25),
}

# Every handler passes records through the redacting filter: no password, token, session or
# reset key reaches a log, whoever logged it. Security events go to the `security` logger.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "cases.audit.RedactingFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["redact"]}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "security": {"level": "INFO"},
    },
}
