#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys

if sys.version_info < (3, 12):  # noqa: UP036 - a clear line beats a syntax error deep in Django
    sys.exit(
        f"Python 3.12 or newer is needed (this is {sys.version.split()[0]}). "
        "Run the project through 'make run' or 'make test', which find one."
    )


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    from django.core.management import execute_from_command_line
    from django.db.utils import OperationalError

    try:
        execute_from_command_line(sys.argv)
    except OperationalError as error:
        # An unreachable database is an operator's problem to fix, not a traceback to read.
        from django.conf import settings

        db = settings.DATABASES["default"]
        where = db.get("HOST") or db.get("NAME")
        sys.exit(
            f"Cannot use the database at {where} ({str(error).strip().splitlines()[0]}). "
            "Start it, or fix DATABASE_URL; unset DATABASE_URL to use the built-in SQLite."
        )


if __name__ == "__main__":
    main()
