from django.db import migrations, models


class Migration(migrations.Migration):
    """Every attempt counts as a kind: added once 0008 has filled `counts_as` on every row, in a
    transaction of its own (PostgreSQL will not alter a table with pending trigger events)."""

    dependencies = [("engagement", "0009_hostile_incidents_and_lone_working")]

    operations = [
        migrations.AddConstraint(
            model_name="contactattempt",
            constraint=models.CheckConstraint(condition=~models.Q(counts_as=""), name="attempt_counts_as_a_kind"),
        ),
    ]
