"""The Celery app and its one beat schedule.

The schedule is a few fixed sweeps; the thresholds they read (reminder times, deadlines) live in
the database, where admins change them.
"""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("engaging_families")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    "Flow chart: find due and overdue steps, queue reminders (every 5 minutes)": {
        "task": "flowchart.tasks.sweep",
        "schedule": crontab(minute="*/5"),
    },
}
