"""The Celery app and its one beat schedule.

The schedule is a few fixed sweeps; the thresholds they read (reminder times, deadlines) live in
the database, where admins change them.
"""

import os

from celery import Celery
from celery.schedules import crontab

# As WSGI and ASGI: a worker started bare runs on production's settings, never a developer's
# (`make run` and manage.py choose local settings themselves).
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

app = Celery("engaging_families")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    "Flow chart: due and overdue steps, escalations, review dates and decisions not yet told to the multi-agency meeting (every 5 minutes)": {
        "task": "flowchart.tasks.sweep",
        "schedule": crontab(minute="*/5"),
    },
    "Notifications: send again the mail that never went, the broker or a worker having been down (every 5 minutes)": {
        "task": "cases.notifications.tasks.requeue_undelivered",
        "schedule": crontab(minute="*/5"),
    },
    "Kept forms: delete those kept after a session ended that nobody came back for in KEPT_POST_SECONDS (every hour)": {
        "task": "cases.tasks.kept_posts_expire",
        "schedule": crontab(minute=7),
    },
    "Drafts: delete the unsaved drafts of forms nobody has typed in for the days the admin set (every hour)": {
        "task": "cases.tasks.drafts_expire",
        "schedule": crontab(minute=17),
    },
    "Risk assessments: remind and escalate shares not yet acknowledged (every 15 minutes)": {
        "task": "riskassessment.tasks.chase_shares",
        "schedule": crontab(minute="*/15"),
    },
    "Supporting Families: remind the lead practitioner six months after closure to record whether the outcomes were sustained (daily, 07:10)": {
        "task": "engagement.tasks.supporting_families_sustained_reminders",
        "schedule": crontab(hour=7, minute=10),
    },
}
