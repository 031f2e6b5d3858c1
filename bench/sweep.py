"""How long the flow-chart sweep takes over 20,000 open episodes, and how many queries it makes.

    .venv/bin/python bench/sweep.py [--episodes 20000] [--on-plan] [--repeat 3]
    DATABASE_URL=postgres://... .venv/bin/python bench/sweep.py

Uses its own SQLite file under bench/data/ (or DATABASE_URL if set), seeds once, then runs the
sweep at 09:00 on a working day. Two first sweeps of the day are timed, each `--repeat` times from
scratch (the middle one and the best are reported):

- a morning: yesterday's sweep has run (untimed), so today's records what is new today: the
  digests, the steps due today, the escalations that fall due today;
- a catch-up: no sweep has ever run (the day the service goes live, or after a long outage), so
  every reminder and escalation since each family's Day 1 is recorded at once.

Then a later sweep the same day reads only the episodes changed since. Each run is timed to the
end of its commit, including handing the deliveries to the broker (an in-memory one: sending mail
is not what is measured); queries are counted by a wrapper that only counts, so the figures carry
no cost of recording the SQL. The process has read the URL configuration first, as a worker that
has run a task before has.

The data are as in life (the default): families started on many different days (the last 20
working days), their attempts near the plan's days but a day early or late, at any time of the
working day, with any outcome, one in five missed, so nearly every family's progress must be
worked out on its own. `--on-plan` seeds the older, kinder data set instead: every attempt on the
plan's day at 10:00, one family in twenty behind, Day 1 within the last 13 working days, so the
families share about 20 schedules between them. Prints JSON; `floor` is a fixed pure-Python loop
timed in the same run, and each sweep's `x_floor` its CPU time over that floor's.
"""

import argparse
import datetime as dt
import json
import os
import random
import sys
import time
from pathlib import Path

import django_setup  # noqa: F401  (first: the project's apps need Django set up)
from celery import current_app
from dj_database_url import parse
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from cases.calendar import Calendar
from cases.models import Case, Role, Team, User
from cases.notifications import Notification
from engagement.models import ContactAttempt
from flowchart import selectors, services
from flowchart.models import Episode, SweepDay
from flowchart.pathways import KNOWSLEY

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"


def setup(on_plan: bool) -> None:
    DATA.mkdir(parents=True, exist_ok=True)
    name = "sweep-on-plan.sqlite3" if on_plan else "sweep-varied.sqlite3"
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{DATA / name}")
    # test settings swap SQLite for memory; the bench wants the file, kept between runs.
    settings.DATABASES["default"] = {**parse(os.environ["DATABASE_URL"]), "CONN_MAX_AGE": 0, "TEST": {}}
    call_command("migrate", verbosity=0)


OUTCOMES = ["no_answer", "no_answer", "not_at_home", "message_left", "door_not_opened"]


# Day 1 as far back as this many working days: the 15-day flow chart and the families whose
# decision is late.
STARTED_WITHIN = 20


def seed(total: int, today: dt.date, on_plan: bool) -> None:
    prefix = "PLAN" if on_plan else "LIFE"
    existing = Episode.objects.filter(ended_on__isnull=True).count()
    if existing and not Case.objects.filter(reference__startswith=f"{prefix}-").exists():
        sys.exit(
            f"{os.environ['DATABASE_URL']} holds the other data set: drop it, or run with the other flag"
        )
    if existing >= total:
        return
    rng = random.Random(4)
    calendar = Calendar()
    version = selectors.current_version(KNOWSLEY)
    managers, practitioners = [], []
    for t in range(100):
        manager = User.objects.create(
            email=f"bench-m{t}@example.test", full_name=f"Manager {t}", role=Role.LINE_MANAGER
        )
        team = Team.objects.create(name=f"Bench team {t}", manager=manager)
        managers.append(manager)
        for p in range(10):
            practitioners.append(
                User.objects.create(
                    email=f"bench-p{t}-{p}@example.test", full_name=f"Practitioner {t}.{p}", team=team
                )
            )
    now = timezone.now()
    cases = []
    for n in range(total - existing):
        lead = rng.choice(practitioners)
        day1 = calendar.add(today, -rng.randint(0, 12 if on_plan else STARTED_WITHIN - 1))
        cases.append(
            Case(
                reference=f"{prefix}-{n:06d}",
                family_name=f"Family {n}",
                referral_date=day1,
                referral_source="school",
                referrer_name="School",
                referrer_contact="01234 567890",
                referral_reason="Bench",
                threshold_level=3,
                team_id=lead.team_id,
                lead_practitioner=lead,
                opened_by=lead,
                created_at=now,
                updated_at=now,
            )
        )
    cases = Case.objects.bulk_create(cases, batch_size=2000)
    plan = {1: ["phone_call"], 2: ["phone_call", "liaison"], 3: ["phone_call"], 4: ["phone_call"],
            5: ["unannounced_visit"], 6: ["phone_call"], 7: ["announced_visit"], 8: ["liaison"],
            10: ["unannounced_visit", "letter"], 12: ["liaison"]}  # fmt: skip
    attempts, episodes = [], []
    for index, case in enumerate(cases):
        today_number = calendar.day_number(case.referral_date, today)
        behind = index % 20 == 0  # one family in twenty has a missed step
        for day in range(1, today_number - (2 if behind else 0)):
            for kind in plan.get(day, []):
                on, at, outcome = day, dt.time(10), "no_answer"
                if not on_plan:
                    if rng.random() < 0.2:
                        continue  # a step missed
                    on = max(1, min(today_number - 1, day + rng.choice((-1, 0, 0, 0, 1))))
                    at = dt.time(rng.randint(8, 18), rng.randrange(0, 60, 5))
                    outcome = rng.choice(OUTCOMES)
                when = timezone.make_aware(
                    dt.datetime.combine(calendar.date_of_day(case.referral_date, on), at)
                )
                attempts.append(
                    ContactAttempt(
                        case=case,
                        occurred_at=when,
                        made_by_id=case.lead_practitioner_id,
                        kind=kind,
                        counts_as=kind,  # no text to a family that prefers texts: each counts as itself
                        outcome=outcome,
                        recorded_by_id=case.lead_practitioner_id,
                        recorded_at=when,
                    )
                )
        episodes.append(
            Episode(
                case=case,
                version=version,
                day1=case.referral_date,
                started_by_id=case.lead_practitioner_id,
                started_at=now,
            )
        )
    ContactAttempt.objects.bulk_create(attempts, batch_size=5000)
    episodes = Episode.objects.bulk_create(episodes, batch_size=2000)
    for start in range(0, len(episodes), 2000):
        chunk = episodes[start : start + 2000]
        progress = selectors.episodes_progress(chunk, today)
        for episode in chunk:
            episode.next_due_on = progress[episode.pk].next_due_on
        Episode.objects.bulk_update(chunk, ["next_due_on"], batch_size=2000)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # the planner's statistics, as autovacuum keeps them


def run(today: dt.date) -> dict:
    """One sweep at 09:00, timed to the end of its commit and the hand-off of its deliveries."""
    now = timezone.make_aware(dt.datetime.combine(today, dt.time(9, 0)))
    server = server_cpu()
    counted = [0]

    def count(execute, sql, params, many, context):
        counted[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        started, cpu, server_started = time.perf_counter(), time.process_time(), server()
        with transaction.atomic():
            recorded = services.reminders_sweep(now=now)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        server_seconds = server() - server_started if server_started is not None else None
    figures = {
        "seconds": round(seconds, 3),
        "cpu_seconds": round(cpu, 3),
        "queries": counted[0],
        "recorded": recorded,
    }
    if server_seconds is not None:
        figures["database_cpu_seconds"] = round(server_seconds, 3)
    return figures


def server_cpu():
    """CPU time of this connection's PostgreSQL backend when the server runs on this machine.

    With the wall time on a machine shared with other work, the CPU time the sweep costs (here
    and in the database) is the steadier figure; SQLite's is in cpu_seconds already.
    """
    if connection.vendor != "postgresql":
        return lambda: None
    with connection.cursor() as cursor:
        cursor.execute("select pg_backend_pid()")
        stat = Path(f"/proc/{cursor.fetchone()[0]}/stat")

    def seconds():
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            return None  # the server is elsewhere
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    return seconds


def tidy() -> None:
    """On PostgreSQL, what autovacuum does between two mornings: the bench deletes yesterday's
    notifications and records the same keys again at once, which a real morning never does, and
    the dead index entries left by the delete would slow the unique check on every key."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE flowchart_notification, flowchart_sweepday")


def machine() -> dict:
    """How busy and how quick this machine is, to read the seconds by: the CPU time of a fixed
    pure-Python loop (about 0.1 s on a current laptop core; the floor the sweeps are compared
    with) and the load average."""
    started = time.process_time()
    total = 0
    for number in range(2_000_000):
        total += number
    return {
        "python_loop_cpu_seconds": round(time.process_time() - started, 3),
        "load_average": [round(load, 2) for load in os.getloadavg()],
    }


def database() -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("select sqlite_version()")
            return f"SQLite {cursor.fetchone()[0]}"
        cursor.execute("show server_version")
        return f"PostgreSQL {cursor.fetchone()[0].split()[0]}"


def first_sweeps(today: dt.date, repeat: int, *, after_yesterday: bool) -> dict:
    """The first sweep of `today`, `repeat` times from an empty notification table; with
    `after_yesterday`, yesterday's sweep runs first (untimed), as it would have that morning."""
    runs = []
    for _ in range(max(1, repeat)):
        Notification.objects.all().delete()
        SweepDay.objects.all().delete()
        tidy()
        if after_yesterday:
            run(Calendar().add(today, -1))
            tidy()
        runs.append(run(today))
    middle = sorted(runs, key=lambda r: r["seconds"])[len(runs) // 2]
    return {**middle, "best_seconds": min(r["seconds"] for r in runs), "runs": len(runs)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--episodes", type=int, default=20_000)
    parser.add_argument(
        "--on-plan",
        action="store_true",
        help="the older data: every attempt on the plan, ~20 shared schedules",
    )
    parser.add_argument("--repeat", type=int, default=3, help="first sweeps of the day to time")
    args = parser.parse_args()
    setup(args.on_plan)
    current_app.conf.task_always_eager = False  # record only: delivery is not what is measured
    current_app.conf.broker_url = "memory://"
    reverse("cases:my_cases")  # the URL configuration, imported once by a running worker
    today = Calendar().add(dt.date(2026, 11, 2), 30)
    seeding = time.perf_counter()
    seed(args.episodes, today, args.on_plan)
    seeded_in = time.perf_counter() - seeding
    floor = machine()
    catch_up = first_sweeps(today, args.repeat, after_yesterday=False)
    morning = first_sweeps(today, args.repeat, after_yesterday=True)
    later = run(today)
    for figures in (morning, catch_up, later):
        figures["x_floor"] = round(figures["cpu_seconds"] / floor["python_loop_cpu_seconds"], 1)
    due = selectors.due_episodes(today=today)
    print(
        json.dumps(
            {
                "benchmark": "flowchart sweep",
                "database": database(),
                "data": "on the plan" if args.on_plan else "as in life",
                "open_episodes": Episode.objects.filter(ended_on__isnull=True).count(),
                "due_episodes": len(due),
                "distinct_day1": Episode.objects.filter(ended_on__isnull=True)
                .values("day1")
                .distinct()
                .count(),
                "distinct_schedules": len({id(d.schedule) for d in due}),
                "seed_seconds": round(seeded_in, 1),
                "first_sweep_of_the_day": morning,
                "first_sweep_ever": catch_up,
                "later_sweep_same_day": later,
                "floor": floor,
                "machine_after": machine(),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
