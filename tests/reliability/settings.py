"""Settings for the Celery worker the reliability test runs as a separate process.

The test settings, on the test's database (DATABASE_URL) and broker (CELERY_BROKER_URL), with
tasks sent through the broker rather than run in place, on the test's own queue, and mail
handed to the delivery log the test reads.
"""

import os

from config.settings.test import *  # noqa: F403

CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_DEFAULT_QUEUE = os.environ["RELIABILITY_QUEUE"]
MAILERS = {"default": {"BACKEND": "tests.reliability.mailbox.DeliveryLog"}}
