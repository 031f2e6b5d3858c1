"""Re-encrypt every authenticator secret with the newest MFA key.

Put the new key first in MFA_ENCRYPTION_KEYS, keeping the old one after it
(MFA_ENCRYPTION_KEYS=new,old), restart the service, run this command, then remove the old key.
"""

from allauth.mfa.models import Authenticator
from django.core.management.base import BaseCommand
from django.db import transaction

from cases.adapters import authenticators_rewrite, rotate


class Command(BaseCommand):
    help = "Re-encrypt every TOTP secret and recovery-code seed with the first of MFA_ENCRYPTION_KEYS."

    def handle(self, *args, **options):
        with transaction.atomic():
            count = authenticators_rewrite(Authenticator, rotate)
        self.stdout.write(
            f"{count} authenticator{'s' if count != 1 else ''} re-encrypted with the newest key: the older "
            "keys can now be removed from MFA_ENCRYPTION_KEYS."
        )
