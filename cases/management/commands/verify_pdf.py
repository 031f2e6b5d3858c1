"""Check a signed PDF: is it exactly as signed, and signed with the organisation's certificate?"""

import json
import logging
import sys
from contextlib import contextmanager

from django.core.management.base import BaseCommand, CommandError

from cases.documents.pdf import SigningUnavailable, verify_pdf

NOISY_LOGGERS = ("pyhanko", "pyhanko_certvalidator")


@contextmanager
def quiet(loggers):
    """Silence the named loggers for the duration of the block."""
    previous = {name: logging.getLogger(name).level for name in loggers}
    for name in loggers:
        logging.getLogger(name).setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for name, level in previous.items():
            logging.getLogger(name).setLevel(level)


class Command(BaseCommand):
    help = (
        "Verify a signed PDF. Prints the result as JSON; exits 0 only when the file is intact and "
        "signed with the organisation's certificate, 1 otherwise, 2 if the file cannot be read."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path of the PDF to verify.")

    def handle(self, *args, file, verbosity=1, **options):
        try:
            with open(file, "rb") as fh:
                data = fh.read()
        except OSError as exc:
            self.stderr.write(f"Cannot read {file}: {exc.strerror or exc}")
            sys.exit(2)
        # pyHanko logs a traceback for every signature it cannot trust; the JSON already says why.
        try:
            with quiet(NOISY_LOGGERS if verbosity < 2 else ()):
                result = verify_pdf(data)
        except SigningUnavailable as exc:
            raise CommandError(f"Cannot verify: {exc}") from exc
        self.stdout.write(json.dumps(result.as_dict(), indent=2))
        sys.exit(0 if result.ok else 1)
