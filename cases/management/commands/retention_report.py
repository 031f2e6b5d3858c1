"""List the closed cases whose retention period is over. Lists only: nothing is deleted.

Disposal is a separate, deliberate step by an admin (`dispose_case`), refused on legal hold.
"""

import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from cases.retention import cases_due_for_disposal, cases_held_past_retention


class Command(BaseCommand):
    help = __doc__.splitlines()[0]

    def add_arguments(self, parser):
        parser.add_argument("--today", help="Report as at this date (YYYY-MM-DD); default today.")

    def handle(self, *args, today=None, **options):
        try:
            day = dt.date.fromisoformat(today) if today else timezone.localdate()
        except ValueError as error:
            raise CommandError(f"--today must be a date like 2032-04-30: {error}") from None
        due = cases_due_for_disposal(day)
        held = cases_held_past_retention(day)
        years = ", ".join(f"{kind} {n} years" for kind, n in settings.RETENTION_YEARS.items())
        self.stdout.write(f"Retention report for {day:%-d %B %Y} (after closure: {years}).")
        self.stdout.write(f"Due for disposal: {len(due)}")
        # References only: a report is printed and filed, and must not carry the family's name.
        for item in due:
            self.stdout.write(
                f"  {item.case.reference}  {item.record_type:<17} closed {item.case.closed_on:%Y-%m-%d}"
                f"  due {item.due_on:%Y-%m-%d}"
            )
        self.stdout.write(f"Kept on legal hold although past retention: {len(held)}")
        for item in held:
            self.stdout.write(
                f"  {item.case.reference}  {item.record_type:<17} due {item.due_on:%Y-%m-%d}"
                f"  hold set {item.case.legal_hold_set_at:%Y-%m-%d}"
            )
        self.stdout.write("Nothing has been deleted. Disposal is `manage.py dispose_case` by an admin.")
