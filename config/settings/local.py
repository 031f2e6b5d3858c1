"""Running on a developer's machine: SQLite, the filesystem broker, mail written to files."""

from .base import *  # noqa: F403
from .base import DEVELOPMENT_MFA_KEY, DOCUMENTS_STORAGE, VAR_DIR, env, env_list

# SQLite, the filesystem broker and file mail all live under var/.
for folder in ("", "celery/out", "celery/control", "celery/processed", "mail"):
    (VAR_DIR / folder).mkdir(parents=True, exist_ok=True)

DEBUG = env("DJANGO_DEBUG", "false").lower() in {"1", "true", "yes"}
if not env("EMAIL_HOST", ""):
    # With no mail server, each email is written to var/mail/ so a newcomer can read it.
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(VAR_DIR / "mail")},
        }
    }
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "documents": {"BACKEND": DOCUMENTS_STORAGE},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The demo logins skip the authenticator app so a newcomer can look round; real accounts do not.
MFA_EXEMPT_EMAILS = [
    "practitioner@demo.local",
    "practitioner2@demo.local",
    "manager@demo.local",
    "agency@demo.local",
    "admin@demo.local",
]
MFA_ENCRYPTION_KEYS = env_list("MFA_ENCRYPTION_KEYS", DEVELOPMENT_MFA_KEY)
