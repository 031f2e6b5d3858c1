# Notifications move to the kernel (cases.Notification). The table stays where it is, rows and
# all: only the migration state changes here; cases 0007 takes the model over.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('flowchart', '0012_camden_decision_outcomes'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='Notification')],
            database_operations=[],
        ),
    ]
