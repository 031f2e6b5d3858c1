"""Version 2 of the seeded pathways, where the latest published version is still the seed.

Knowsley: the manager's oversight is due by day 13 (Appendix 4: "Day 13 Inform Manager of
non-engagement ... - Manager to record the discussion as Manager Oversight on child's record"),
and the day-8 and day-12 steps, which the guidance qualifies with "if possible", can be recorded
as not possible. Camden: its day numbers are this service's choice, as its guidance sets none.

Episodes already running keep the version they started on. A pathway an admin has changed is
left alone. Reversing leaves version 2 in place: published versions are never removed.
"""

from django.db import migrations


def publish(apps, schema_editor):
    from flowchart.pathways import publish_guidance_revision

    publish_guidance_revision(
        apps.get_model("flowchart", "Pathway"),
        apps.get_model("flowchart", "PathwayVersion"),
        apps.get_model("flowchart", "Step"),
    )


class Migration(migrations.Migration):
    dependencies = [("flowchart", "0007_step_if_possible")]

    operations = [migrations.RunPython(publish, migrations.RunPython.noop)]
