"""Write the seed list of breached passwords shipped in cases/data/ (see docs/security.md).

The seed is Django's own list of 20,000 common passwords (compiled from breach corpora) plus a
few well-known breached passwords that list misses because they look strong. Counts are not
known offline, so each line says 1. In production, point BREACHED_PASSWORDS_FILE at the full
Have I Been Pwned download instead.
"""

import gzip
from pathlib import Path

from django.contrib.auth.password_validation import CommonPasswordValidator
from django.core.management.base import BaseCommand

from cases.validators import _sha1

SEED = Path(__file__).resolve().parents[2] / "data" / "breached-passwords-sha1.txt"

# Breached passwords that pass a length and "complexity" rule and are not in Django's list.
WELL_KNOWN_BREACHED = [
    "correcthorsebatterystaple",
    "passwordpassword",
    "Password123!",
    "Password1234!",
    "P@ssw0rd1234",
    "iloveyou1234",
    "letmeinletmein",
    "abcdefghijklmnop",
    "Welcome12345",
    "trustno1trustno1",
    "monkeymonkey",
]


def seed_lines() -> list[str]:
    with gzip.open(CommonPasswordValidator().DEFAULT_PASSWORD_LIST_PATH, "rt", encoding="utf-8") as f:
        common = [line.strip() for line in f if line.strip()]
    digests = {_sha1(p).decode() for p in [*common, *WELL_KNOWN_BREACHED]}
    return [f"{digest}:1" for digest in sorted(digests)]


class Command(BaseCommand):
    help = __doc__.splitlines()[0]
    requires_system_checks = []  # it makes the file the checks look for

    def handle(self, *args, **options):
        lines = seed_lines()
        SEED.parent.mkdir(parents=True, exist_ok=True)
        SEED.write_text("\n".join(lines) + "\n", encoding="ascii")
        self.stdout.write(f"Wrote {len(lines)} hashes to {SEED}")
