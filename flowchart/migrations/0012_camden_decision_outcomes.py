from django.db import migrations


def seed(apps, schema_editor):
    """Camden's pathway offers its own decisions (Camden 004): the allocated social worker reviews the
    plan, a network meeting, or the complexity panel. Idempotent: a list an admin set is kept."""
    from flowchart.outcomes import seed_decision_outcomes

    seed_decision_outcomes(apps.get_model("flowchart", "Pathway"))


class Migration(migrations.Migration):
    dependencies = [("flowchart", "0011_closure_requests_and_decision_sharing")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
