"""The Celery worker the reliability test starts, kills and starts again.

    python -m tests.reliability.worker

A real `celery worker` (prefork, two processes) on the test's database and broker, whose clock
is the test's: each task runs at the time written in the file RELIABILITY_CLOCK, as the
flow-chart tests freeze time, so the sweep sees the working day and morning the test is at.
RELIABILITY_LOGLEVEL=INFO logs every task received and done (worker.log in the test's folder).
"""

import datetime as dt
import os
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.reliability.settings")

import django  # noqa: E402

django.setup()

import time_machine  # noqa: E402
from celery.signals import task_postrun, task_prerun, worker_ready  # noqa: E402

from config.celery import app  # noqa: E402

CLOCK = Path(os.environ["RELIABILITY_CLOCK"])
READY = Path(os.environ["RELIABILITY_READY"])
_travel: list = []


@worker_ready.connect
def _ready(**kwargs):
    (READY / str(os.getpid())).touch()  # the test waits for this before the next beat


@task_prerun.connect
def _at_the_tests_time(**kwargs):
    _back_to_now()
    travel = time_machine.travel(dt.datetime.fromisoformat(CLOCK.read_text().strip()), tick=False)
    travel.start()
    _travel.append(travel)


@task_postrun.connect
def _back_to_now(**kwargs):
    while _travel:
        _travel.pop().stop()


if __name__ == "__main__":
    app.worker_main(
        [
            "worker",
            "--pool=prefork",
            "--concurrency=2",
            f"--loglevel={os.environ.get('RELIABILITY_LOGLEVEL', 'WARNING')}",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            f"--queues={os.environ['RELIABILITY_QUEUE']}",
            f"--hostname=reliability-{os.getpid()}@%h",
        ]
    )
