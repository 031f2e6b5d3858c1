"""Each share keeps its case's team (a case never changes team), so that a manager's "Needs you"
reads only their teams' outstanding shares through an index. Existing shares, and their history,
take the team of their assessment's case."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_teams(apps, schema_editor):
    Assessment = apps.get_model("riskassessment", "Assessment")
    for name in ("Share", "HistoricalShare"):
        model = apps.get_model("riskassessment", name)
        team = Assessment.objects.filter(pk=OuterRef("assessment_id")).values("case__team_id")[:1]
        model.objects.filter(team__isnull=True).update(team_id=Subquery(team))


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0022_person_identifier_answers'),
        ('riskassessment', '0007_assessment_awaiting_signature_index'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalshare',
            name='team',
            field=models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='cases.team'),
        ),
        migrations.AddField(
            model_name='share',
            name='team',
            field=models.ForeignKey(editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='cases.team'),
        ),
        migrations.RunPython(fill_teams, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='share',
            name='team',
            field=models.ForeignKey(editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='cases.team'),
        ),
        migrations.AddIndex(
            model_name='share',
            index=models.Index(condition=models.Q(('acknowledged_at__isnull', True)), fields=['team', 'due_on'], name='share_team_outstanding_due'),
        ),
    ]
