from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "Cases and the people in them"

    def ready(self):
        # Security events go to the `security` log; case records refuse deletion outside a
        # retention disposal. Both need every app's models loaded, hence here.
        from . import audit, retention, services

        audit.connect()
        retention.guard_deletions()
        # The Admins group holds exactly the configuration permissions after every migrate (and
        # after a test database is flushed), a model added since included.
        post_migrate.connect(
            services.admin_group_after_migrate, sender=self, dispatch_uid="cases-admin-group"
        )
