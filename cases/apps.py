from django.apps import AppConfig
from django.core.management import call_command
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def create_cache_table(sender, using, **kwargs):
    """The database cache's table, made wherever `migrate` runs (make run, compose, deploys):
    sign-in limits are counted there. Nothing is made when the cache is Redis."""
    call_command("createcachetable", database=using, verbosity=0)


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Cases and the people in them")

    def ready(self):
        # Security events go to the `security` log; case records refuse deletion outside a
        # retention disposal. Both need every app's models loaded, hence here.
        from . import audit, catalogues, retention, services
        from .subject_access import collect, registry

        # The kernel's own records for a subject access request; the apps above add theirs.
        registry.register("cases", collect.collect)

        audit.connect()
        post_migrate.connect(create_cache_table, sender=self, dispatch_uid="cases-cache-table")
        retention.guard_deletions()
        # The Admins group holds exactly the configuration permissions after every migrate (and
        # after a test database is flushed), a model added since included.
        post_migrate.connect(
            services.admin_group_after_migrate, sender=self, dispatch_uid="cases-admin-group"
        )
        # Every app's catalogue is loaded by now (each is merged into the language's one).
        catalogues.drop_empty_fallbacks_everywhere()
