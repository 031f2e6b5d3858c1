"""Dispose of one closed case whose retention period is over: the explicit, logged step.

Refused on legal hold, for an open case, before the retention date, or by anyone but an admin.
Leaves a DisposalRecord and a line in the security log.
"""

from django.core.management.base import BaseCommand, CommandError

from cases.models import Case, User
from cases.retention import RetentionError, case_dispose


class Command(BaseCommand):
    help = __doc__.splitlines()[0]

    def add_arguments(self, parser):
        parser.add_argument("reference", help="The case reference, for example EF2020-00042.")
        parser.add_argument("--by", required=True, help="Email address of the admin disposing of it.")
        parser.add_argument(
            "--authority", required=True, help="Who authorised it, under which retention schedule."
        )
        parser.add_argument("--confirm", action="store_true", help="Required: disposal cannot be undone.")

    def handle(self, *args, reference, by, authority, confirm, **options):
        if not confirm:
            raise CommandError("Disposal cannot be undone: run again with --confirm to go ahead")
        try:
            case = Case.objects.get(reference=reference)
        except Case.DoesNotExist:
            raise CommandError(f"No case with reference {reference}") from None
        try:
            admin = User.objects.get(email=by.lower())
        except User.DoesNotExist:
            raise CommandError(f"No user with email address {by}") from None
        try:
            record = case_dispose(case=case, by=admin, authority=authority)
        except RetentionError as error:
            raise CommandError(str(error)) from None
        total = sum(record.counts.values())
        self.stdout.write(
            f"Disposed of {record.case_reference}: {total} records. Disposal record {record.pk}."
        )
