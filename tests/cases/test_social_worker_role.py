"""The allocated social worker's role: added without touching anyone's data."""

import importlib

from django.db import migrations

from cases.models import Role, User


def test_the_role_migration_only_adds_a_choice():
    """Additive: the column keeps its type, length and default; every existing value stays valid."""
    migration = importlib.import_module("cases.migrations.0007_social_worker_role").Migration
    assert {type(op) for op in migration.operations} == {migrations.AlterField}
    field = User._meta.get_field("role")
    for op in migration.operations:
        assert op.name == "role"
        assert (op.field.max_length, op.field.default) == (field.max_length, field.default)
        values = [value for value, _ in op.field.choices]
        # Later roles are added after these, never between them: a stored value keeps its meaning.
        assert values == [r.value for r in Role][: len(values)]
        assert "social_worker" in values
        assert {"lead_practitioner", "line_manager", "agency_member", "admin"} < set(values)
    assert Role.SOCIAL_WORKER.label == "Allocated social worker"


def test_the_later_role_migration_only_adds_choices_too():
    """The performance and information governance roles (cases/0018) add choices after the others."""
    migration = importlib.import_module(
        "cases.migrations.0018_new_roles_performance_information_governance"
    ).Migration
    assert {type(op) for op in migration.operations} == {migrations.AlterField}
    field = User._meta.get_field("role")
    for op in migration.operations:
        assert (op.field.max_length, op.field.default) == (field.max_length, field.default)
        values = [value for value, _ in op.field.choices]
        assert values == [r.value for r in Role][: len(values)]
        assert values[-2:] == ["performance", "information_governance"]
