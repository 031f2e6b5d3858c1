"""Place or lift a legal hold on a case. A held case is never disposed of."""

from django.core.management.base import BaseCommand, CommandError

from cases.models import Case, User
from cases.retention import RetentionError, legal_hold_place, legal_hold_release


class Command(BaseCommand):
    help = __doc__.splitlines()[0]

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["place", "lift"])
        parser.add_argument("reference", help="The case reference, for example EF2020-00042.")
        parser.add_argument("--by", required=True, help="Email address of the admin or line manager.")
        parser.add_argument("--reason", required=True, help="The claim, inquiry or request; or why it ends.")

    def handle(self, *args, action, reference, by, reason, **options):
        try:
            case = Case.objects.get(reference=reference)
            user = User.objects.get(email=by.lower())
        except (Case.DoesNotExist, User.DoesNotExist):
            raise CommandError("No such case reference or user email address") from None
        service = legal_hold_place if action == "place" else legal_hold_release
        try:
            service(case=case, by=user, reason=reason)
        except RetentionError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Legal hold {'placed on' if action == 'place' else 'lifted from'} {reference}.")
