"""Issue 9: reminders under failure. Over several working days of sweep ticks sent through the
broker, with the worker killed at random (SIGKILL) and Redis restarted once, every reminder due
is recorded exactly once and delivered exactly once: none sent twice, none lost.

The worker is a real `celery worker` process on the test's PostgreSQL database, so the test
needs CELERY_BROKER_URL=redis://... and DATABASE_URL=postgres://...; CI's second pass sets both
(.ci/run). Without them it is skipped: a worker process cannot share SQLite's in-memory test
database. Figures are printed at the end ("reliability: ...") and written to
reliability.json in the test's temporary folder.
"""

import contextlib
import datetime as dt
import json
import os
import random
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from pathlib import Path
from urllib.parse import quote, urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from cases.calendar import Calendar
from cases.models import OPEN_STATUSES
from cases.notifications import Notification, notification_message_id
from cases.notifications import tasks as notification_tasks
from flowchart import selectors, tasks
from flowchart.models import Episode, SweepDay
from flowchart.schedule import Status
from tests.factories import CaseFactory, ContactAttemptFactory, EpisodeFactory, ManagerFactory, TeamFactory
from tests.factories.cases import PractitionerFactory
from tests.factories.flowchart import ensure_pathways

ROOT = Path(__file__).resolve().parents[2]
LONDON = ZoneInfo("Europe/London")
WORKING = Calendar()
SEED = 9
FIRST_DAY = dt.date(2026, 12, 7)  # a Monday
DAYS = 4
TICKS_PER_DAY = 16  # 07:50 to 09:05 every 5 minutes: the first two come before the 08:00 reminders
KILLS = 8  # at random ticks: the whole worker, or (more often) one of its pool processes
CASES = 40
# What a practitioner does on each day of the chart when nothing is missed.
PLAN = {1: ["phone_call"], 2: ["phone_call", "liaison"], 3: ["phone_call"], 4: ["phone_call"],
        5: ["unannounced_visit"], 6: ["phone_call"], 7: ["announced_visit"], 8: ["liaison"],
        10: ["unannounced_visit", "letter"], 12: ["liaison"]}  # fmt: skip


def at(day: dt.date, minutes_from_0750: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(7, 50), tzinfo=LONDON) + dt.timedelta(minutes=minutes_from_0750)


class Clock:
    """The time the worker's tasks run at, and the test's own frozen time."""

    def __init__(self, path: Path, time_machine):
        self.path, self.time_machine, self.now = path, time_machine, None

    def set(self, when: dt.datetime) -> None:
        self.now = when
        self.time_machine.move_to(when, tick=False)
        draft = self.path.with_suffix(".new")
        draft.write_text(when.isoformat())
        os.replace(draft, self.path)  # the worker never reads half a time


class Worker:
    """`python -m tests.reliability.worker` in its own process group, killed with SIGKILL: the
    whole worker (the main process and its pool), or one pool process that the main process
    then replaces, as an out-of-memory kill would."""

    def __init__(self, env: dict, log: Path, ready: Path):
        self.env, self.log, self.ready_marks, self.process = env, log, ready, None
        self.kills = Counter()
        self.starts = 0

    def start(self) -> None:
        with self.log.open("a") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "tests.reliability.worker"],
                cwd=ROOT,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.starts += 1

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def pool(self) -> list[int]:
        """The pool processes the worker has forked (none while it is starting)."""
        children = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # gone meanwhile
            if int(fields[1]) == self.process.pid:
                children.append(int(stat.parent.name))
        return children

    def kill(self, rng: random.Random) -> None:
        pool = self.pool() if self.alive else []
        if pool and rng.random() < 0.6:
            os.kill(rng.choice(pool), signal.SIGKILL)
            self.kills["pool process"] += 1
        elif self.alive:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
            self.kills["whole worker"] += 1

    @property
    def ready(self) -> bool:
        return self.alive and (self.ready_marks / str(self.process.pid)).exists()

    def ensure(self) -> None:
        """Running and consuming: started again if it is down, waited for if it is starting."""
        if not self.alive:
            self.start()
        assert _wait(lambda: self.ready, 120), f"the worker did not start: see {self.log}"

    def stop(self) -> None:
        if self.alive:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


class RedisServer:
    """The broker's Redis, restarted with the options it runs with (CI's: .ci/run)."""

    def __init__(self, url: str):
        import redis

        parts = urlsplit(url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 6379
        self.client = redis.Redis(host=self.host, port=self.port, socket_timeout=5)
        config = {
            name: self.client.config_get(name)[name] for name in ("bind", "dir", "logfile", "appendonly")
        }
        self.command = [
            "redis-server",
            "--daemonize",
            "yes",
            "--bind",
            *config["bind"].split(),
            "--port",
            str(self.port),
            "--save",
            "",
            "--appendonly",
            config["appendonly"] or "no",
            "--dir",
            config["dir"],
            "--logfile",
            config["logfile"],
        ]
        self.down = False

    def ping(self) -> bool:
        try:
            return bool(self.client.ping())
        except Exception:
            return False

    def shutdown(self) -> None:
        subprocess.run(
            ["redis-cli", "-h", self.host, "-p", str(self.port), "SHUTDOWN", "NOSAVE"], check=False
        )
        deadline = time.monotonic() + 20
        while self.ping():
            assert time.monotonic() < deadline, "Redis did not shut down"
            time.sleep(0.1)
        self.down = True

    def start(self) -> None:
        subprocess.run(self.command, check=True)
        deadline = time.monotonic() + 20
        while not self.ping():
            assert time.monotonic() < deadline, "Redis did not come back"
            time.sleep(0.1)
        self.down = False


def _families(rng: random.Random) -> list[Episode]:
    """Families at every day of the chart when the run starts, one in four steps missed."""
    ensure_pathways()
    teams = []
    for number in range(2):
        manager = ManagerFactory(email=f"manager{number}@example.test")
        team = TeamFactory(name=f"Reliability team {number}", manager=manager)
        teams.append(
            (team, [PractitionerFactory(email=f"lead{number}-{n}@example.test", team=team) for n in range(2)])
        )
    episodes = []
    for number in range(CASES):
        team, leads = teams[number % 2]
        day1 = WORKING.add(FIRST_DAY, -rng.randint(0, 12))
        case = CaseFactory(lead_practitioner=rng.choice(leads), referral_date=day1)
        for day in range(1, WORKING.day_number(day1, FIRST_DAY)):
            for kind in PLAN.get(day, []):
                if rng.random() < 0.75:
                    when = dt.datetime.combine(WORKING.date_of_day(day1, day), dt.time(10), tzinfo=LONDON)
                    ContactAttemptFactory(case=case, kind=kind, occurred_at=when)
        episodes.append(EpisodeFactory(case=case))
    return episodes


def _expected_keys(days: list[dt.date]) -> set[str]:
    """What the sweep must record on each day, read from the schedule episode by episode."""
    expected = set()
    for day in days:
        episodes = list(
            Episode.objects.filter(
                ended_on__isnull=True, next_due_on__lte=day, case__status__in=OPEN_STATUSES
            ).select_related("case__team")
        )
        progress = selectors.episodes_progress(episodes, day)
        for episode in episodes:
            lead, manager = episode.case.lead_practitioner_id, episode.case.team.manager_id
            for step in progress[episode.pk].due_today + progress[episode.pk].overdue:
                overdue = step.status == Status.OVERDUE
                if overdue or step.step.responsible == "lead_practitioner":
                    expected.add(f"digest:{day}:{lead}")
                if step.step.responsible == "line_manager" and not overdue:
                    expected.add(f"step:{episode.pk}:{step.step.id}:{step.due_on}:{manager}")
                if overdue:
                    expected.add(f"escalate:{episode.pk}:{step.step.id}:{manager}")
    return expected


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else ""
    return f"postgres://{quote(db['USER'])}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _lines(path: Path) -> int:
    return len(path.read_text().splitlines()) if path.exists() else 0


def _queued(redis_server: "RedisServer", queue: str) -> int:
    try:
        return redis_server.client.llen(queue)
    except Exception:
        return 0


def _wait(condition, seconds: float, on_wait=None) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        if on_wait:
            on_wait()
        time.sleep(0.5)
    return True


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_no_reminder_is_sent_twice_or_lost_when_workers_die_and_redis_restarts(
    settings, time_machine, tmp_path, capsys
):
    broker = os.environ.get("CELERY_BROKER_URL", "")
    if not broker.startswith("redis://") or connection.vendor != "postgresql":
        pytest.skip("needs CELERY_BROKER_URL=redis://... and DATABASE_URL=postgres://... (CI's second pass)")
    from kombu.exceptions import OperationalError
    from redis.exceptions import RedisError

    from config.celery import app

    rng = random.Random(SEED)
    queue = f"reliability-{uuid.uuid4().hex[:8]}"
    clock = Clock(tmp_path / "clock", time_machine)
    clock.set(at(WORKING.add(FIRST_DAY, -1), 600))  # the Friday before, after work
    episodes = _families(rng)
    assert Episode.objects.filter(next_due_on__lte=FIRST_DAY).count() >= CASES // 2

    deliveries = tmp_path / "deliveries.jsonl"
    ready = tmp_path / "ready"
    ready.mkdir()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.reliability.settings",
        "DATABASE_URL": _database_url(),
        "RELIABILITY_CLOCK": str(clock.path),
        "RELIABILITY_LOG": str(deliveries),
        "RELIABILITY_QUEUE": queue,
        "RELIABILITY_READY": str(ready),
        "PYTHONPATH": str(ROOT),
    }
    worker = Worker(env, tmp_path / "worker.log", ready)
    redis_server = RedisServer(broker)
    days = [WORKING.add(FIRST_DAY, n) for n in range(DAYS)]
    ticks = TICKS_PER_DAY * DAYS
    kill_at = set(rng.sample(range(2, ticks - 2), KILLS))
    redis_restart_at = TICKS_PER_DAY + rng.randrange(4, TICKS_PER_DAY - 4)  # on the second day
    # The first full sweep of the first and third days: a pool process dies right after handing
    # a mail over, before the database records it (see mailbox.py).
    die_in_the_gap_at = {2, 2 * TICKS_PER_DAY + 2}
    die_marker = tmp_path / "die-after-next-send"
    sent_ticks = lost_ticks = 0

    def tick(when: dt.datetime) -> None:
        nonlocal sent_ticks, lost_ticks
        clock.set(when)
        if redis_server.down:
            lost_ticks += 1  # the beat cannot reach the broker: this one is lost, the next catches up
            return
        try:
            tasks.sweep.apply_async(queue=queue, retry=False)  # what the beat sends every 5 minutes
            notification_tasks.requeue_undelivered.apply_async(queue=queue, retry=False)
            sent_ticks += 1
        except (OperationalError, RedisError, OSError):
            lost_ticks += 1  # a connection from before the restart: the next beat reconnects

    def settle(seconds: float = 30) -> None:
        """Let a running worker take what is queued before the next beat, as five minutes would."""
        if worker.ready and not redis_server.down:
            _wait(lambda: _queued(redis_server, queue) == 0, seconds)
            time.sleep(0.2)

    app.conf.task_always_eager = False
    settings.CELERY_TASK_ALWAYS_EAGER = False
    try:
        worker.ensure()
        number, down_since = 0, None
        for day in days:
            for n in range(TICKS_PER_DAY):
                if number in die_in_the_gap_at:
                    die_marker.touch()
                tick(at(day, 5 * n))
                if number == redis_restart_at:
                    time.sleep(rng.uniform(0.05, 0.5))
                    redis_server.shutdown()  # what Redis held is gone: queued sweeps and deliveries
                elif redis_server.down:
                    redis_server.start()  # one beat later
                if number in kill_at:
                    time.sleep(rng.uniform(0.05, 0.8))  # somewhere in the sweep or the deliveries
                    worker.kill(rng)
                    down_since = number
                if not worker.alive and (number != down_since or rng.random() < 0.5):
                    worker.ensure()  # at once, or at the next beat
                settle()
                number += 1
            # The day's first full pass must have happened on the day: keep the beat going.
            extra = 0

            def another_beat(day=day):
                nonlocal extra
                extra += 1
                if redis_server.down:
                    redis_server.start()
                worker.ensure()
                tick(at(day, 5 * (TICKS_PER_DAY + extra)))
                settle()

            assert _wait(lambda day=day: SweepDay.objects.filter(day=day).exists(), 180, another_beat), (
                f"No complete sweep on {day}: see {worker.log}"
            )
            ticks += extra

        # Mail that never went is re-queued by the next beats: run them until all has gone.
        last, extra = days[-1], 0

        def next_beat():
            nonlocal extra
            extra += 1
            worker.ensure()
            tick(at(last, 5 * (TICKS_PER_DAY + 30 + extra)))
            settle()

        assert _wait(
            lambda: not Notification.objects.filter(emailed_at__isnull=True).exists(), 180, next_beat
        ), f"Notifications never delivered: see {worker.log}"
        ticks += extra
    finally:
        worker.stop()
        if redis_server.down:
            redis_server.start()
        app.conf.task_always_eager = True
        with contextlib.suppress(RedisError):
            redis_server.client.delete(queue)  # what a killed worker left unprocessed

    keys = list(Notification.objects.values_list("key", flat=True))
    expected = _expected_keys(days)
    lost = expected - set(keys)
    unexpected = set(keys) - expected
    handed_over = [
        json.loads(line)["message_id"] for line in deliveries.read_text().splitlines() if line.endswith("}")
    ]
    times = Counter(handed_over)
    message_ids = {notification_message_id(n) for n in Notification.objects.all()}
    duplicates = sum(count - 1 for count in times.values())
    undelivered = message_ids - set(times)
    figures = {
        "ticks": ticks,
        "beats_lost_while_redis_was_down": lost_ticks,
        "worker_kills": {
            **worker.kills,
            "pool process between hand-over and record": _lines(tmp_path / "died-after-send.log"),
        },
        "redis_restarts": 1,
        "reminders": len(keys),
        "episodes": len(episodes),
        "mails_handed_over": len(handed_over),
        "repeats_caught_by_the_delivery_log_check": _lines(tmp_path / "repeats-caught.log"),
        "duplicates": duplicates,
        "lost": len(lost) + len(undelivered),
    }
    (tmp_path / "reliability.json").write_text(json.dumps(figures, indent=2))
    kills = sum(figures["worker_kills"].values())
    with capsys.disabled():  # shown in CI's output, passing or not
        print(
            f"\nreliability: {ticks} ticks, {kills} worker kills, 1 redis restart, {len(keys)} reminders, "
            f"{duplicates} duplicates, {figures['lost']} lost ({json.dumps(figures)})"
        )

    assert len(keys) == len(set(keys)) and keys, "each reminder is recorded once"
    assert not lost, f"reminders due but never recorded: {sorted(lost)[:10]}"
    assert not unexpected, f"reminders recorded that were not due: {sorted(unexpected)[:10]}"
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()
    assert not undelivered, (
        f"recorded as emailed but never handed to the mail server: {sorted(undelivered)[:5]}"
    )
    assert set(times) == message_ids, "every mail handed over belongs to a notification"
    assert duplicates == 0, f"mails handed over twice: {[m for m, c in times.items() if c > 1][:5]}"
    assert worker.kills.total() >= KILLS // 2 and ticks >= 60
    in_the_gap = figures["worker_kills"]["pool process between hand-over and record"]
    assert in_the_gap >= 1 and figures["repeats_caught_by_the_delivery_log_check"] >= in_the_gap
