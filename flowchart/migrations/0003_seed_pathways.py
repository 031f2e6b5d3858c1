from django.db import migrations


def seed(apps, schema_editor):
    from flowchart.pathways import seed_pathways

    seed_pathways(
        apps.get_model("flowchart", "Pathway"),
        apps.get_model("flowchart", "PathwayVersion"),
        apps.get_model("flowchart", "Step"),
        apps.get_model("flowchart", "FlowchartSettings"),
    )


class Migration(migrations.Migration):
    dependencies = [("flowchart", "0002_pathways_episodes_oversight")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
