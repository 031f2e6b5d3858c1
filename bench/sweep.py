"""How long the flow-chart sweep takes over 20,000 open episodes, and how many queries it makes.

    .venv/bin/python bench/sweep.py [--episodes 20000]

Uses its own SQLite file under bench/data/ (or DATABASE_URL if set), seeds once, then runs the
sweep twice at 09:00 on a working day: the first run records the day's reminders, the second
reads only the episodes changed since. Prints JSON.
"""

import argparse
import datetime as dt
import json
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = ROOT / "bench" / "data"


def setup() -> None:
    DATA.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{DATA / 'sweep.sqlite3'}")
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    import django

    django.setup()
    # test settings swap SQLite for memory; the bench wants the file, kept between runs.
    from dj_database_url import parse
    from django.conf import settings

    settings.DATABASES["default"] = {**parse(os.environ["DATABASE_URL"]), "CONN_MAX_AGE": 0, "TEST": {}}
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def seed(total: int, today: dt.date) -> None:
    from django.utils import timezone

    from cases.models import Case, Role, Team, User
    from engagement.models import ContactAttempt
    from flowchart import selectors
    from flowchart.calendar import Calendar
    from flowchart.models import Episode
    from flowchart.pathways import KNOWSLEY

    existing = Episode.objects.filter(ended_on__isnull=True).count()
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
        day1 = calendar.add(today, -rng.randint(0, 12))
        cases.append(
            Case(
                reference=f"BENCH-{n:06d}",
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
                when = timezone.make_aware(
                    dt.datetime.combine(calendar.date_of_day(case.referral_date, day), dt.time(10))
                )
                attempts.append(
                    ContactAttempt(
                        case=case,
                        occurred_at=when,
                        made_by_id=case.lead_practitioner_id,
                        kind=kind,
                        outcome="no_answer",
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


def run(today: dt.date) -> dict:
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from flowchart import services

    now = timezone.make_aware(dt.datetime.combine(today, dt.time(9, 0)))
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        started = time.perf_counter()
        recorded = services.reminders_sweep(now=now)
        seconds = time.perf_counter() - started
        transaction.set_rollback(False)
    return {"seconds": round(seconds, 3), "queries": len(queries.captured_queries), "recorded": recorded}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--episodes", type=int, default=20_000)
    args = parser.parse_args()
    setup()
    from celery import current_app

    current_app.conf.task_always_eager = False  # record only: delivery is not what is measured
    current_app.conf.broker_url = "memory://"
    from flowchart.calendar import Calendar
    from flowchart.models import Episode, Notification, SweepDay

    today = Calendar().add(dt.date(2026, 11, 2), 30)
    seeding = time.perf_counter()
    seed(args.episodes, today)
    seeded_in = time.perf_counter() - seeding
    Notification.objects.all().delete()
    SweepDay.objects.all().delete()
    first = run(today)
    second = run(today)
    print(
        json.dumps(
            {
                "benchmark": "flowchart sweep",
                "database": os.environ["DATABASE_URL"].split(":", 1)[0],
                "open_episodes": Episode.objects.filter(ended_on__isnull=True).count(),
                "due_episodes": Episode.objects.filter(ended_on__isnull=True, next_due_on__lte=today).count(),
                "seed_seconds": round(seeded_in, 1),
                "first_sweep_of_the_day": first,
                "later_sweep_same_day": second,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
