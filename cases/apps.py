from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "Cases and the people in them"

    def ready(self):
        # Security events go to the `security` log; case records refuse deletion outside a
        # retention disposal. Both need every app's models loaded, hence here.
        from . import audit, retention

        audit.connect()
        retention.guard_deletions()
