"""TOTP secrets and recovery-code seeds stored before they were encrypted are encrypted now, with
MFA_ENCRYPTION_KEYS (see docs/security.md); values already encrypted are left as they are."""

from django.db import migrations, transaction

from cases.adapters import authenticators_rewrite, decrypt_if_encrypted, encrypt_if_plain


def encrypt(apps, schema_editor):
    with transaction.atomic():
        authenticators_rewrite(apps.get_model("mfa", "Authenticator"), encrypt_if_plain)


def decrypt(apps, schema_editor):
    with transaction.atomic():
        authenticators_rewrite(apps.get_model("mfa", "Authenticator"), decrypt_if_encrypted)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0010_admins_are_not_superusers"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [migrations.RunPython(encrypt, decrypt)]
