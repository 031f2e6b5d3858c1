"""Load the demo logins and realistic cases, once."""

import importlib.util
from types import SimpleNamespace

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from cases.demo import DEMO_LOGINS, DEMO_PASSWORD

# Each app seeds after the ones it builds on.
APP_ORDER = ["cases", "engagement", "flowchart", "riskassessment"]


class Command(BaseCommand):
    help = "Create the demo logins and cases. Safe to run again: nothing is duplicated."

    @transaction.atomic
    def handle(self, *args, **options):
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError(
                "Demo data is not allowed here (DEMO_DATA_ALLOWED is off under production settings): "
                "its logins share a published password"
            )
        demo = SimpleNamespace()
        for label in APP_ORDER:
            module_name = f"{apps.get_app_config(label).name}.demo"
            if importlib.util.find_spec(module_name) is None:
                continue  # an app with no demo data
            importlib.import_module(module_name).seed(demo)
            if label == "engagement":
                importlib.import_module("engagement.practice.demo").seed(demo)
                importlib.import_module("engagement.documents.demo").seed(demo)
        verb = "Demo data was already loaded" if demo.already_seeded else "Demo data loaded"
        self.stdout.write(f"{verb}. Demo logins (password {DEMO_PASSWORD}):")
        for email, role in DEMO_LOGINS:
            self.stdout.write(f"  {email:28} {role}")
