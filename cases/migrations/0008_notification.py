# Notifications move here from the flow chart (flowchart 0013 lets go of them). The table keeps
# its name, flowchart_notification, and every row: nothing is done to the database.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def content_type_follows(apps, schema_editor):
    """Keep the content type (and any permission or admin log pointing at it) with the model."""
    ContentType = apps.get_model('contenttypes', 'ContentType')
    if not ContentType.objects.filter(app_label='cases', model='notification').exists():
        ContentType.objects.filter(app_label='flowchart', model='notification').update(app_label='cases')


def content_type_goes_back(apps, schema_editor):
    ContentType = apps.get_model('contenttypes', 'ContentType')
    if not ContentType.objects.filter(app_label='flowchart', model='notification').exists():
        ContentType.objects.filter(app_label='cases', model='notification').update(app_label='flowchart')


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0007_social_worker_role'),
        ('flowchart', '0013_notification_moves_to_cases'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Notification',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(max_length=50)),
                        ('key', models.CharField(max_length=200, unique=True)),
                        ('subject', models.CharField(max_length=200)),
                        ('body', models.TextField()),
                        ('url', models.CharField(blank=True, max_length=500)),
                        ('is_escalation', models.BooleanField(default=False)),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('emailed_at', models.DateTimeField(blank=True, null=True)),
                        ('read_at', models.DateTimeField(blank=True, null=True)),
                        ('case', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='notifications', to='cases.case')),
                        ('recipient', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='notifications', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'flowchart_notification',
                        'ordering': ['-created_at', '-id'],
                        'indexes': [models.Index(fields=['recipient', 'read_at'], name='flowchart_n_recipie_ea9c55_idx'), models.Index(condition=models.Q(('emailed_at__isnull', True)), fields=['emailed_at'], name='notification_unsent')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_type_follows, content_type_goes_back),
    ]
