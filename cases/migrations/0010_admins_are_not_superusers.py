"""Admins stop being superusers: they join the Admins group, which holds only the permissions of
what they configure (cases.services.ADMIN_PERMISSIONS). The account made by `createsuperuser` to
bootstrap a new installation is not an admin by role and keeps its flag (see docs/security.md)."""

from django.db import migrations

from cases.services import admin_group_sync


def admins_into_their_group(apps, schema_editor):
    group = admin_group_sync(apps=apps)
    User = apps.get_model("cases", "User")
    admins = User.objects.filter(role="admin")
    for user in admins:
        user.groups.add(group)
    admins.update(is_superuser=False, is_staff=True)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("cases", "0009_notification_kind_choices"),
        ("engagement", "0013_partner_reports"),
        ("riskassessment", "0003_sharing_settings"),
        ("flowchart", "0013_notification_moves_to_cases"),
        ("mfa", "0003_authenticator_type_uniq"),
        ("account", "0009_emailaddress_unique_primary_email"),
    ]

    operations = [migrations.RunPython(admins_into_their_group, migrations.RunPython.noop)]
