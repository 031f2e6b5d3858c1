"""What the data migrations seed: the pathways, the factor catalogue, the agreement and letter
wording, the text and email templates and the sharing settings row.

A transactional test (the browser tests) ends with a flush that empties every table, seeds
included; the tests after it expect them. Each seed is idempotent.
"""

import importlib

SEEDS = (
    ("flowchart.migrations.0003_seed_pathways", "seed"),
    ("flowchart.migrations.0008_pathways_oversight_day_13", "publish"),
    ("flowchart.migrations.0012_camden_decision_outcomes", "seed"),
    ("riskassessment.migrations.0002_seed_factor_catalogue", "seed"),
    ("engagement.migrations.0005_seed_agreement_and_letter_wording", "seed"),
    ("engagement.migrations.0012_letter_wording_third_party_safe", "reword"),
    ("engagement.migrations.0017_welsh_wording", "seed"),
    ("engagement.migrations.0017_notify_messages", "seed_templates"),
    ("engagement.migrations.0020_welsh_message_templates", "seed"),
    ("riskassessment.migrations.0003_sharing_settings", "create_settings_row"),
)


def seed_what_the_migrations_seed() -> None:
    from django.apps import apps

    for module, function in SEEDS:
        getattr(importlib.import_module(module), function)(apps, None)
