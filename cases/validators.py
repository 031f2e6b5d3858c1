"""Refusing passwords that are known from data breaches (ASVS 5.0 V6.2).

The list is a file in the format of the Have I Been Pwned "Pwned Passwords" download: one
`SHA1:count` line per password, upper-case hex, sorted by hash. The lookup is a binary search
over the file as it lies on disk, so the full download (tens of gigabytes) works as well as the
seed shipped in `cases/data/`, with nothing loaded into memory and nothing sent over the network.
"""

import hashlib
import mmap
from pathlib import Path

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

BREACHED_MESSAGE = gettext_lazy(
    "This password has appeared in a data breach, so criminals try it first. "
    "Choose a different password: a few unrelated words together are easy to remember and hard to guess"
)


def _sha1(password: str) -> bytes:
    # SHA-1 is what the breach corpus is published as; it is a look-up key here, not storage.
    return hashlib.sha1(password.encode("utf-8"), usedforsecurity=False).hexdigest().upper().encode()


def breached_list_contains(path: str | Path, digest: bytes) -> bool:
    """Binary search of a sorted `SHA1:count` file for the 40-character upper-case digest."""
    with open(path, "rb") as handle:
        size = Path(path).stat().st_size
        if size == 0:
            return False
        with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
            low, high = 0, size
            while low < high:
                middle = (low + high) // 2
                start = data.rfind(b"\n", 0, middle) + 1
                end = data.find(b"\n", middle)
                end = size if end == -1 else end
                key = data[start : start + 40].upper()
                if key == digest:
                    return True
                if key < digest:
                    low = end + 1
                else:
                    high = start
    return False


class BreachedPasswordValidator:
    """Refuse a password whose SHA-1 is in the breached-passwords file."""

    def __init__(self, path: str | None = None):
        self._path = path

    @property
    def path(self) -> Path:
        return Path(self._path or settings.BREACHED_PASSWORDS_FILE)

    def validate(self, password, user=None):
        if not self.path.is_file():
            # Fail closed and loudly: a missing list must not quietly let every password through.
            raise ImproperlyConfigured(
                f"The breached-passwords file {self.path} is missing: set BREACHED_PASSWORDS_FILE"
            )
        if breached_list_contains(self.path, _sha1(password)):
            raise ValidationError(BREACHED_MESSAGE, code="password_breached")

    def get_help_text(self):
        return _("Your password cannot be one that has appeared in a known data breach.")


@checks.register(checks.Tags.security)
def breached_passwords_file_check(app_configs=None, **kwargs):
    """The service does not start quietly without its breached-password list."""
    uses = any(
        v["NAME"].endswith("BreachedPasswordValidator")
        for v in getattr(settings, "AUTH_PASSWORD_VALIDATORS", [])
    )
    path = Path(getattr(settings, "BREACHED_PASSWORDS_FILE", ""))
    if uses and not path.is_file():
        return [
            checks.Error(
                _("The breached-passwords file %(path)s does not exist.") % {"path": path},
                hint=_("Set BREACHED_PASSWORDS_FILE to the Have I Been Pwned download (docs/security.md)."),
                id="cases.E001",
            )
        ]
    return []
