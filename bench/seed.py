"""Seed the web benchmark's data set once, into the bench database (config.settings.bench).

    DJANGO_SETTINGS_MODULE=config.settings.bench .venv/bin/python bench/seed.py [--scale 1.0]

At scale 1: 100,000 cases of which 20,000 open; 2,000,000 contact attempts; one flow-chart
episode per case (live on the open ones) and ten step reminders (notifications) per episode, so
1,100,000 flow-chart rows. The flow chart keeps no row per step (step status is derived from the
records), so the episodes and their step reminders stand in for per-step records.

Caseloads count open cases: each practitioner leads 20-30 open cases and each team 200-500, the
first team ("Bench team 000", the dashboard's) exactly 500; the 80,000 closed cases are spread
over the same practitioners as their history. One open case has 500 attempts. About one case in
ten has a signed assessment and half of those are shared with a multi-agency member.

Rows go in with COPY on PostgreSQL and executemany on SQLite, in one transaction; a marker team
written last says the set is complete, so later runs reuse it (`seeded()`).
"""

import argparse
import datetime as dt
import json
import os
import random
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

import django_setup  # noqa: F401  (first: the project's apps need Django set up)
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import DatabaseError, connection, transaction
from django.db.models import Max
from django.utils import timezone

from cases.calendar import Calendar
from cases.models import Agency, AgencyKind, Case, CaseMembership, Person, Relationship, Role, Team, User
from cases.notifications import Notification, NotificationKind
from engagement.documents.models import Letter, LetterStatus, LetterStep
from engagement.models import ContactAttempt
from engagement.safety.models import HostileIncident
from flowchart import selectors
from flowchart.models import ClosureRequest, Decision, Episode, ManagerInformed
from flowchart.pathways import KNOWSLEY
from flowchart.schedule import AttemptRecord, Records, Requirement, progress, summary_record
from riskassessment.models import Assessment, Share

ROOT = Path(__file__).resolve().parent.parent

SEED_VERSION = 7  # 7: each share keeps its case's team
MARKER = "Bench data set v{version} at scale {scale}"
PASSWORD = "!bench-no-password-login"  # unusable: the benchmark signs people in by session

# Who the web benchmark signs in as, and the cases it opens.
PRACTITIONER = "p0000@bench.invalid"
MANAGER = "m000@bench.invalid"
AGENCY_MEMBER = "a000@bench.invalid"
BIG_CASE = "BENCH-0000000"  # 500 attempts: the chronology
TYPICAL_CASE = "BENCH-0000001"  # day 8 or so of the flow chart: the case page

SURNAMES = ["Smith", "Jones", "Taylor", "Brown", "Wilson", "Davies", "Patel", "Wright", "Evans", "Walker",
            "Hughes", "Khan", "Begum", "Hussain", "Nowak", "Okafor", "Walsh", "Murphy", "Kelly", "Lewis"]  # fmt: skip
FIRST = ["Amelia", "Oliver", "Isla", "Noah", "Ava", "Jack", "Mia", "Leo", "Grace", "Harry", "Ella", "Oscar",
         "Freya", "Lily", "Muhammad", "Aisha", "Zofia", "Chidi", "Connor", "Ffion", "Rhys", "Imran"]  # fmt: skip
NOTES = (
    "No answer at the door; curtains drawn. Left a calling card with the date of the next visit.",
    "Rang the mobile on the referral; went to voicemail. Left a message asking for a call back.",
    "Spoke to the school's designated safeguarding lead about the best time to reach mum.",
    "Letter sent by post with the date and time of the next visit and how to contact me.",
    "Unannounced visit: someone inside but the door was not opened. Will try again on day 7.",
)
# (day, kinds) the 15-day flow chart expects: the attempts an open case has made by its day.
PLAN = {1: ["phone_call"], 2: ["phone_call", "liaison"], 3: ["phone_call"], 4: ["phone_call"],
        5: ["unannounced_visit"], 6: ["phone_call"], 7: ["announced_visit"], 8: ["liaison"],
        10: ["unannounced_visit", "letter"], 12: ["liaison"]}  # fmt: skip
KINDS = ["phone_call", "text_message", "letter", "announced_visit", "unannounced_visit", "liaison"]
MISSED = ["no_answer", "not_at_home", "message_left", "door_not_opened", "letter_sent"]


def marker_name(scale: float) -> str:
    return MARKER.format(version=SEED_VERSION, scale=scale)


def seeded(scale: float):
    """The marker team if this scale's data set is complete, else None."""
    return Team.objects.filter(name__startswith=f"{marker_name(scale)}:").first()


def _postgres_admin(database: dict):
    """A connection to the server's maintenance database, to create or drop the bench one."""
    import psycopg

    return psycopg.connect(
        dbname="postgres",
        user=database.get("USER") or None,
        password=database.get("PASSWORD") or None,
        host=database.get("HOST") or None,
        port=database.get("PORT") or None,
        autocommit=True,
    )


def _create_database() -> None:
    """Create the PostgreSQL bench database when the server does not have it yet."""
    database = settings.DATABASES["default"]
    if "postgresql" not in database["ENGINE"]:
        return
    with _postgres_admin(database) as admin:
        if admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database["NAME"]]).fetchone():
            return
        print(f"Creating the PostgreSQL database {database['NAME']}", file=sys.stderr, flush=True)
        admin.execute(f'CREATE DATABASE "{database["NAME"]}"')


def _start_afresh() -> None:
    """Throw away a partial or older data set: a new database (PostgreSQL) or file (SQLite)."""
    database = settings.DATABASES["default"]
    connection.close()
    if "postgresql" in database["ENGINE"]:
        with _postgres_admin(database) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{database["NAME"]}" WITH (FORCE)')
        _create_database()
    else:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{database['NAME']}{suffix}").unlink(missing_ok=True)


def ensure(scale: float = 1.0) -> dict:
    """The data set at this scale: reused when complete, else (re)seeded. Returns how it was made."""
    _create_database()
    call_command("migrate", verbosity=0)
    if (marker := seeded(scale)) is not None:
        figures = json.loads(marker.name.split(":", 1)[1])
        # The data set is dated from the day it was seeded: a day later, another day's steps are
        # overdue on every open case and the pages have more to show. Runs on different days
        # measure the same work only if each measures that day's data set.
        if figures.get("seeded_on") == timezone.localdate().isoformat():
            return {"reused": True, **figures}
        print(f"The bench data set was seeded on {figures.get('seeded_on')}: seeding afresh for today",
              file=sys.stderr, flush=True)  # fmt: skip
    if Case.objects.exists():
        print("The bench database holds another data set: starting afresh", file=sys.stderr, flush=True)
        _start_afresh()
        call_command("migrate", verbosity=0)
    print(f"Seeding the bench data set at scale {scale} (once; later runs reuse it)", file=sys.stderr)
    figures = seed(scale)
    return {"reused": False, **figures}


class Writer:
    """Bulk inserts with explicit ids, by COPY (PostgreSQL) or executemany (SQLite).

    Columns a caller leaves out get the model field's default, read once.
    """

    def __init__(self, connection):
        self.connection = connection
        self.postgres = connection.vendor == "postgresql"
        self.counts: dict[str, int] = {}
        self._texts: dict[dt.datetime, str] = {}

    def next_id(self, model) -> int:
        return (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1

    def ts(self, value: dt.datetime):
        """An aware datetime as the database takes it (SQLite: naive UTC text, as Django stores it)."""
        if self.postgres:
            return value
        # Millions of rows share a few thousand instants: convert each once.
        if (text := self._texts.get(value)) is None:
            text = self._texts[value] = value.astimezone(dt.UTC).replace(tzinfo=None).isoformat(" ")
        return text

    def day(self, value: dt.date):
        return value if self.postgres else value.isoformat()

    def flag(self, value: bool):
        return value if self.postgres else int(value)

    def _defaults(self, model, given: list[str]) -> tuple[list[str], tuple]:
        columns, values = [], []
        for field in model._meta.concrete_fields:
            if field.attname in given:
                continue
            if field.has_db_default() or field.generated:
                # The database fills it in, as it does for the sweep's own inserts (a generated
                # column, such as an episode's due dates from its summary, always).
                continue
            default = field.get_default()
            if isinstance(default, dt.datetime):
                default = self.ts(default)
            elif isinstance(default, dt.date):
                default = self.day(default)
            elif isinstance(default, bool):
                default = self.flag(default)
            elif isinstance(default, list | dict):
                default = json.dumps(default)
            columns.append(field.column)
            values.append(default)
        return columns, tuple(values)

    def insert(self, model, given: list[str], rows) -> int:
        """Insert rows (tuples in the order of `given` attnames); returns how many."""
        extra_columns, extra = self._defaults(model, given)
        columns = [model._meta.get_field(name).column if name != "id" else "id" for name in given]
        columns = [*columns, *extra_columns]
        table = model._meta.db_table
        quoted = ", ".join(self.connection.ops.quote_name(c) for c in columns)
        count = 0
        with self.connection.cursor() as cursor:
            if self.postgres:
                with cursor.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row + extra)
                        count += 1
            else:
                marks = ", ".join("?" * len(columns))
                batch = []
                for row in rows:
                    batch.append(row + extra)
                    if len(batch) >= 20_000:
                        cursor.executemany(f"INSERT INTO {table} ({quoted}) VALUES ({marks})", batch)
                        count += len(batch)
                        batch = []
                if batch:
                    cursor.executemany(f"INSERT INTO {table} ({quoted}) VALUES ({marks})", batch)
                    count += len(batch)
        self.counts[table] = self.counts.get(table, 0) + count
        return count

    def skip_reference_checks(self) -> None:
        """On PostgreSQL, skip the per-row foreign key triggers for this transaction if allowed.

        They would check millions of generated references one by one (minutes); only a superuser
        may switch them off, so anyone else's load still checks every row.
        """
        if not self.postgres:
            return
        try:
            with transaction.atomic(), self.connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = replica")
        except DatabaseError:
            print("  (not a superuser: every reference is checked, which is slower)", file=sys.stderr)

    @contextmanager
    def without_indexes(self, models):
        """Drop the tables' secondary indexes for the load and build them again after it.

        Building an index once over sorted rows is far quicker than keeping it up to date through
        millions of inserts. Indexes behind a unique or primary key constraint stay.
        """
        with self.connection.cursor() as cursor:
            saved = []
            for model in models:
                table = model._meta.db_table
                if self.postgres:
                    cursor.execute(
                        "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
                        "AND tablename = %s AND indexname NOT IN "
                        "(SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)",
                        [table, table],
                    )
                else:
                    cursor.execute(
                        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
                        "AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%%'",
                        [table],
                    )
                saved += cursor.fetchall()
            for name, _ in saved:
                cursor.execute(f"DROP INDEX {self.connection.ops.quote_name(name)}")
        yield
        with self.connection.cursor() as cursor:
            if self.postgres:
                # Django's foreign keys are checked at commit; PostgreSQL builds no index on a
                # table with checks still pending, so run them now.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for _, sql in saved:
                cursor.execute(sql)


class Lead(NamedTuple):
    pk: int
    team_id: int


class _MemoCalendar:
    """A calendar whose answers are remembered: the seed asks the same questions 100,000 times."""

    def __init__(self, calendar):
        self.calendar = calendar
        self.memo: dict[tuple, object] = {}

    def _ask(self, name: str, *args):
        key = (name, *args)
        if key not in self.memo:
            self.memo[key] = getattr(self.calendar, name)(*args)
        return self.memo[key]

    def add(self, start: dt.date, days: int) -> dt.date:
        return self._ask("add", start, days)

    def date_of_day(self, day1: dt.date, day: int) -> dt.date:
        return self._ask("date_of_day", day1, day)

    def day_number(self, day1: dt.date, today: dt.date) -> int:
        return self._ask("day_number", day1, today)


def _progress(message: str, started: float) -> None:
    print(f"  [{time.perf_counter() - started:6.1f} s] {message}", file=sys.stderr, flush=True)


def seed(scale: float = 1.0) -> dict:  # noqa: C901 (one pass over every table of the data set, in order)
    """Create the data set (the caller has checked that it is not there yet); return its figures."""
    started = time.perf_counter()
    rng = random.Random(2026)
    w = Writer(connection)
    # Day arithmetic repeats for thousands of cases sharing a Day 1: count each answer once.
    calendar = _MemoCalendar(Calendar())
    today = timezone.localdate()
    now = timezone.now()
    tz = timezone.get_current_timezone()
    version = selectors.current_version(KNOWSLEY)
    steps = selectors.steps_for([version.pk])[version.pk]
    total_cases = round(100_000 * scale)
    open_target = round(20_000 * scale)
    attempts_target = round(2_000_000 * scale)

    instants: dict[tuple, object] = {}

    def at(day: dt.date, hour: int, minute: int = 0):
        """That local time of day, as the database takes it. Millions of rows share a few
        thousand instants: each is worked out once."""
        key = (day, hour, minute)
        if (value := instants.get(key)) is None:
            value = instants[key] = w.ts(dt.datetime.combine(day, dt.time(hour, minute), tzinfo=tz))
        return value

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=OFF")
            cursor.execute("PRAGMA cache_size=-400000")

    big_tables = [Case, Person, Relationship, ContactAttempt, Episode, Decision, Notification]
    # Every row is made here with its parents: checking each reference as it goes in would only
    # slow the load (the same switch Django's loaddata uses on SQLite).
    with connection.constraint_checks_disabled(), transaction.atomic(), w.without_indexes(big_tables):
        w.skip_reference_checks()
        # People and teams: a few thousand rows, through the ORM.
        password = make_password(None)
        agencies = Agency.objects.bulk_create(
            Agency(name=f"Bench agency {n:03d}", kind=rng.choice(AgencyKind.values)) for n in range(40)
        )
        caseloads: list[int] = []  # open cases per practitioner, in team order
        team_sizes: list[int] = []  # practitioners per team
        allocated = 0
        while allocated < open_target:
            if not team_sizes:
                loads, size = [25] * 20, 20  # the dashboard's team: 500 open cases
            else:
                goal, loads = rng.randint(200, 480), []
                while sum(loads) < goal and allocated + sum(loads) < open_target:
                    loads.append(min(rng.randint(20, 30), open_target - allocated - sum(loads)))
                size = len(loads)
            caseloads += loads
            team_sizes.append(size)
            allocated += sum(loads)
        managers = User.objects.bulk_create(
            User(
                email=f"m{t:03d}@bench.invalid",
                full_name=f"{rng.choice(FIRST)} {rng.choice(SURNAMES)} (manager {t})",
                role=Role.LINE_MANAGER,
                password=password,
            )
            for t in range(len(team_sizes))
        )
        teams = Team.objects.bulk_create(
            Team(name=f"Bench team {t:03d}", manager=m) for t, m in enumerate(managers)
        )
        for manager, team in zip(managers, teams, strict=True):
            manager.team = team
        User.objects.bulk_update(managers, ["team"])
        practitioners: list = []
        for t, size in enumerate(team_sizes):
            for _ in range(size):
                n = len(practitioners)
                practitioners.append(
                    User(
                        email=f"p{n:04d}@bench.invalid",
                        full_name=f"{rng.choice(FIRST)} {rng.choice(SURNAMES)} ({n})",
                        role=Role.LEAD_PRACTITIONER,
                        team=teams[t],
                        password=password,
                    )
                )
        # Plain tuples from here: millions of rows read each lead's id, and a model's pk is slow.
        practitioners = [Lead(u.pk, u.team_id) for u in User.objects.bulk_create(practitioners)]
        members = User.objects.bulk_create(
            User(
                email=f"a{n:03d}@bench.invalid",
                full_name=f"{rng.choice(FIRST)} {rng.choice(SURNAMES)} (agency {n})",
                role=Role.AGENCY_MEMBER,
                agency=agencies[n % len(agencies)],
                job_title="Designated safeguarding lead",
                password=password,
            )
            for n in range(round(max(2, 200 * scale)))
        )
        manager_of = {t.pk: t.manager_id for t in teams}
        _progress(
            f"{len(teams)} teams, {len(practitioners)} practitioners, {len(members)} agency members", started
        )

        # Cases: the open ones by caseload, then the closed history spread over the same people.
        case_rows, people_rows, relationship_rows = [], [], []
        case_id, person_id, relationship_id = w.next_id(Case), w.next_id(Person), w.next_id(Relationship)
        first_case_id = case_id
        open_cases: list[tuple[int, Lead, dt.date]] = []
        closed_cases: list[tuple[int, Lead, dt.date, dt.date]] = []
        adults_of: dict[int, list[int]] = {}
        status_of: dict[int, str] = {}

        def add_case(lead: Lead, day1: dt.date, *, closed_on: dt.date | None) -> int:
            nonlocal case_id, person_id, relationship_id
            number = case_id - first_case_id
            surname = rng.choice(SURNAMES)
            if closed_on is None:
                status = "engaged" if rng.random() < 0.1 else "open"
                reason = ""
            else:
                status = rng.choice(["closed", "stepped_up", "stepped_down"])
                reason = "Decision on next steps made after the 15-day flow chart."
            status_of[case_id] = status
            case_rows.append(
                (
                    case_id,
                    f"BENCH-{number:07d}",
                    f"{surname} family",
                    w.day(day1),
                    rng.choice(["school", "health", "police", "mash", "self"]),
                    "Referrer",
                    "01234 567890",
                    "Concerns about school attendance and home conditions.",
                    rng.choice([2, 3, 3, 3, 4]),
                    lead.team_id,
                    lead.pk,
                    status,
                    w.day(closed_on) if closed_on else None,
                    reason,
                    lead.pk,
                    at(day1, 9),
                    at(closed_on or day1, 9),
                )
            )
            children, adults = [], []
            for _ in range(rng.choice([1, 1, 2, 2, 3])):
                born = today - dt.timedelta(days=rng.randint(365, 17 * 365))
                people_rows.append(
                    (person_id, case_id, "child", f"{rng.choice(FIRST)} {surname}", w.day(born), "", False)
                )
                children.append(person_id)
                person_id += 1
            for _ in range(rng.choice([1, 1, 2])):
                people_rows.append(
                    (
                        person_id,
                        case_id,
                        "adult",
                        f"{rng.choice(FIRST)} {surname}",
                        None,
                        "07700 900123",
                        False,
                    )
                )
                adults.append(person_id)
                person_id += 1
            for adult in adults:
                for child in children:
                    relationship_rows.append(
                        (relationship_id, adult, child, rng.choice(["mother", "father"]))
                    )
                    relationship_id += 1
            adults_of[case_id] = adults
            case_id += 1
            return case_id - 1

        for lead, load in zip(practitioners, caseloads, strict=True):
            for n in range(load):
                if lead is practitioners[0] and n == 0:
                    day1 = calendar.add(today, -300)  # the long-running case with 500 attempts
                elif lead is practitioners[0] and n == 1:
                    day1 = calendar.add(today, -7)  # the typical case: day 8
                else:
                    day1 = calendar.add(today, -rng.randint(0, 14))
                open_cases.append((add_case(lead, day1, closed_on=None), lead, day1))
        for _ in range(total_cases - len(open_cases)):
            lead = rng.choice(practitioners)
            day1 = today - dt.timedelta(days=rng.randint(40, 3 * 365))
            closed_on = calendar.add(day1, rng.randint(14, 30))
            closed_cases.append((add_case(lead, day1, closed_on=closed_on), lead, day1, closed_on))
        w.insert(
            Case,
            [
                "id",
                "reference",
                "family_name",
                "referral_date",
                "referral_source",
                "referrer_name",
                "referrer_contact",
                "referral_reason",
                "threshold_level",
                "team_id",
                "lead_practitioner_id",
                "status",
                "closed_on",
                "closure_reason",
                "opened_by_id",
                "created_at",
                "updated_at",
            ],  # fmt: skip
            case_rows,
        )
        w.insert(
            Person,
            ["id", "case_id", "kind", "full_name", "date_of_birth", "phone", "domestic_abuse_concern"],
            people_rows,
        )
        w.insert(Relationship, ["id", "adult_id", "child_id", "kind"], relationship_rows)
        _progress(
            f"{len(case_rows):,} cases ({len(open_cases):,} open), {len(people_rows):,} people", started
        )
        for rows in (case_rows, people_rows, relationship_rows):
            rows.clear()

        # Assessments: signed on one case in ten, shared with a member on half of those.
        assessment_rows, share_rows, membership_rows = [], [], []
        assessment_id, share_id = w.next_id(Assessment), w.next_id(Share)
        membership_id = w.next_id(CaseMembership)
        fera_on: dict[int, dt.date] = {}
        everything = [(c, lead, day1, None) for c, lead, day1 in open_cases] + closed_cases
        for index, (case, lead, day1, closed_on) in enumerate(everything):
            # The benchmark practitioner's cases (the first thirty) are all signed and shared with
            # the benchmark member, so the shared list has rows of theirs to show.
            is_bench = index < 30
            if not is_bench and rng.random() >= 0.1:
                continue
            signed_on = calendar.add(day1, 11) if closed_on else min(calendar.add(day1, 11), today)
            if not closed_on and signed_on >= today and not is_bench:
                continue
            submitted_at, signed_at = at(signed_on, 11), at(signed_on, 16)
            shared = is_bench or rng.random() < 0.5
            manager_id = manager_of[lead.team_id]
            assessment_rows.append(
                (
                    assessment_id, case, 1, "shared" if shared else "signed", w.day(signed_on),
                    lead.pk, manager_id, "Early help", "The family has not engaged; risks are rising.",
                    w.flag(False), lead.pk, submitted_at, signed_at, submitted_at,
                    lead.pk, signed_at, manager_id, "Signed by the manager",
                    w.day(calendar.add(signed_on, 5)), signed_at if shared else None,
                )
            )  # fmt: skip
            fera_on[case] = signed_on
            if shared:
                member = members[0] if is_bench else rng.choice(members)
                membership_rows.append(
                    (membership_id, case, member.pk, "agency_member", lead.pk, at(day1, 12))
                )
                acknowledged = None if rng.random() < 0.3 else at(calendar.add(signed_on, 2), 10)
                share_rows.append(
                    (
                        share_id, assessment_id, member.pk, membership_id, lead.team_id, signed_at,
                        w.day(calendar.add(signed_on, 5)), acknowledged, acknowledged,
                    )
                )  # fmt: skip
                membership_id += 1
                share_id += 1
            assessment_id += 1
        w.insert(
            CaseMembership,
            ["id", "case_id", "user_id", "role", "added_by_id", "added_at"],
            membership_rows,
        )
        w.insert(
            Assessment,
            [
                "id",
                "case_id",
                "version",
                "status",
                "assessment_date",
                "lead_practitioner_id",
                "manager_id",
                "service",
                "analysis",
                "elevated_risk",
                "created_by_id",
                "created_at",
                "updated_at",
                "submitted_at",
                "submitted_by_id",
                "signed_at",
                "signed_by_id",
                "signed_name",
                "share_due_on",
                "shared_at",
            ],  # fmt: skip
            assessment_rows,
        )
        w.insert(
            Share,
            ["id", "assessment_id", "member_id", "membership_id", "team_id", "shared_at", "due_on",
             "opened_at", "acknowledged_at"],
            share_rows,
        )  # fmt: skip
        _progress(f"{len(assessment_rows):,} signed assessments, {len(share_rows):,} shared", started)

        # Contact attempts, streamed: the open cases follow the plan up to today, the big case has
        # 500, and the closed cases share what is left of the two million.
        attempt_id = w.next_id(ContactAttempt)
        records_of: dict[int, list[AttemptRecord]] = {}

        def attempt(case: int, lead: int, when, kind: str, outcome: str) -> tuple:
            nonlocal attempt_id
            adults = adults_of[case]
            with_person = adults[attempt_id % len(adults)] if kind != "liaison" and adults else None
            # Contact with an adult of the family records what they said; none agreed here.
            response = "undecided" if outcome in ("seen", "spoke") and with_person else ""
            row = (
                attempt_id, case, when, lead, kind, with_person,
                "School" if kind == "liaison" else "", outcome, NOTES[attempt_id % len(NOTES)],
                lead, when, kind, "[]", response,
            )  # fmt: skip
            attempt_id += 1
            return row

        def open_attempts():
            for case, lead, day1 in open_cases:
                records = records_of[case] = []
                if case == first_case_id:
                    for n in range(500):
                        day = calendar.add(day1, n * 300 // 500)
                        records.append(AttemptRecord(attempt_id, day, KINDS[n % 6], MISSED[n % 5]))
                        yield attempt(case, lead.pk, at(day, 9 + n % 8, n % 60), KINDS[n % 6], MISSED[n % 5])
                    continue
                day_today = calendar.day_number(day1, today)
                behind = case % 20 == 0  # one family in twenty has a missed step
                engaged = status_of[case] == "engaged"
                last_day = day_today - (2 if behind else 0)
                for day in range(1, last_day):
                    on = calendar.date_of_day(day1, day)
                    for k, kind in enumerate(PLAN.get(day, [])):
                        outcome = "discussed" if kind == "liaison" else rng.choice(MISSED)
                        if engaged and day == last_day - 1:
                            outcome = "seen" if "visit" in kind else "spoke"
                        records.append(AttemptRecord(attempt_id, on, kind, outcome))
                        yield attempt(case, lead.pk, at(on, 10 + k), kind, outcome)

        columns = [
            "id", "case_id", "occurred_at", "made_by_id", "kind", "with_person_id", "with_other",
            "outcome", "notes", "recorded_by_id", "recorded_at", "counts_as", "also_outcomes", "response",
        ]  # fmt: skip
        made = w.insert(ContactAttempt, columns, open_attempts())
        left = attempts_target - made
        base, spare = divmod(left, len(closed_cases))

        def closed_attempts():
            for index, (case, lead, day1, closed_on) in enumerate(closed_cases):
                count = base + (1 if index < spare else 0)
                span = max(1, (closed_on - day1).days)
                for n in range(count):
                    day = day1 + dt.timedelta(days=n * span // count)
                    kind = KINDS[(n + case) % 6]
                    outcome = "seen" if n == count - 1 and case % 3 == 0 else MISSED[(n + case) % 5]
                    yield attempt(case, lead.pk, at(day, 9 + n % 8, (n * 7) % 60), kind, outcome)

        made += w.insert(ContactAttempt, columns, closed_attempts())
        _progress(f"{made:,} contact attempts", started)

        # Episodes: one per case, with the open ones' next due date worked out from their records.
        episode_id = w.next_id(Episode)
        episode_rows, decision_rows, informed_rows = [], [], []
        informed_id, decision_id = w.next_id(ManagerInformed), w.next_id(Decision)
        episode_of: dict[int, int] = {}
        for case, lead, day1 in open_cases:
            milestones = {}
            if case == first_case_id:
                # The long-running case: its first run ended in a decision to continue with a
                # review; the run live now started nine days ago.
                ended_on = calendar.add(day1, 14)
                episode_rows.append(
                    (
                        episode_id, case, version.pk, w.day(day1), lead.pk, at(day1, 9),
                        w.day(ended_on), "decided", None, at(ended_on, 16), "{}",
                    )
                )  # fmt: skip
                decision_rows.append(
                    (
                        decision_id, episode_id, manager_of[lead.team_id], at(ended_on, 16),
                        "continue", "Some progress: keep going and review.", "yes", "yes", "no",
                        w.day(calendar.add(ended_on, 20)),
                    )
                )  # fmt: skip
                decision_id += 1
                episode_id += 1
                day1 = calendar.add(today, -9)
            if fera_on.get(case, dt.date.min) >= day1:  # an assessment from an earlier run does not count
                milestones[Requirement.FERA_COMPLETED] = fera_on[case]
            if calendar.day_number(day1, today) >= 13 and case % 2 == 0:
                informed_on = calendar.add(day1, 12)
                milestones[Requirement.MANAGER_INFORMED] = informed_on
                informed_rows.append(
                    (
                        informed_id, episode_id, lead.pk, manager_of[lead.team_id],
                        at(informed_on, 15), "Calls, three visits, letters, the school.",
                        "Risk of harm rising.", "yes",
                    )
                )  # fmt: skip
                informed_id += 1
            attempts = tuple(a for a in records_of[case] if a.on >= day1)
            result = progress(steps, day1, calendar.calendar, Records(attempts, milestones), today)
            episode_rows.append(
                (
                    episode_id, case, version.pk, w.day(day1), lead.pk, at(day1, 9), None, "",
                    w.day(result.next_due_on) if result.next_due_on else None, w.ts(now),
                    json.dumps(summary_record(result, today)),
                )
            )  # fmt: skip
            episode_of[case] = episode_id
            episode_id += 1
        for case, lead, day1, closed_on in closed_cases:
            episode_rows.append(
                (
                    episode_id, case, version.pk, w.day(day1), lead.pk, at(day1, 9),
                    w.day(closed_on), "decided", None, at(closed_on, 16), "{}",
                )
            )  # fmt: skip
            outcome = {"closed": "close", "stepped_up": "step_up", "stepped_down": "step_down"}[
                status_of[case]
            ]
            decision_rows.append(
                (
                    decision_id, episode_id, manager_of[lead.team_id], at(closed_on, 16), outcome,
                    "Agreed with the lead practitioner after the flow chart.", "yes", "yes", "no", None,
                )
            )  # fmt: skip
            episode_of[case] = episode_id
            decision_id += 1
            episode_id += 1
        w.insert(
            Episode,
            ["id", "case_id", "version_id", "day1", "started_by_id", "started_at", "ended_on", "end_reason",
             "next_due_on", "changed_at", "summary"],
            episode_rows,
        )  # fmt: skip
        w.insert(
            ManagerInformed,
            ["id", "episode_id", "informed_by_id", "manager_id", "informed_at", "strategies_tried",
             "fera_outcome", "risk_increased"],
            informed_rows,
        )  # fmt: skip
        w.insert(
            Decision,
            ["id", "episode_id", "decided_by_id", "decided_at", "outcome", "reasons",
             "considered_mash_referral", "considered_multi_agency_meeting", "considered_level_two",
             "review_on"],
            decision_rows,
        )  # fmt: skip
        _progress(f"{len(episode_rows):,} episodes ({len(open_cases):,} live)", started)

        # Ten step reminders per episode: what the sweep records, one row per step and person.
        reminder_steps = [s for s in steps if s.requirement == "attempts"][:10]
        everything = [(c, lead, day1) for c, lead, day1 in open_cases] + [
            (c, lead, day1) for c, lead, day1, _ in closed_cases
        ]

        no = w.flag(False)
        week_ago = today - dt.timedelta(days=7)
        schedules: dict[dt.date, list[tuple]] = {}

        def schedule(day1: dt.date) -> list[tuple]:
            """Each reminder's step, due date and when it was sent and read, for this Day 1."""
            if day1 not in schedules:
                schedules[day1] = [
                    (step.id, step.title, due, at(due, 8), at(due, 8) if due < week_ago else None)
                    for step in reminder_steps
                    for due in [calendar.date_of_day(day1, step.day)]
                ]
            return schedules[day1]

        first_reminder = w.next_id(Notification)  # not inside the generator: it runs during COPY

        def reminders():
            nid = first_reminder
            for case, lead, day1 in everything:
                episode = episode_of[case]
                reference = f"BENCH-{case - first_case_id:07d}"
                url = f"/cases/{case}/"
                for step_id, title, due, sent, read in schedule(day1):
                    yield (
                        nid, lead.pk, case, NotificationKind.STEP_DUE.value, f"step:{episode}:{step_id}:{due}:{lead.pk}",
                        f"{reference}: due today: {title}"[:200], title, url, no, sent, sent, read,
                    )  # fmt: skip
                    nid += 1

        notes = w.insert(
            Notification,
            ["id", "recipient_id", "case_id", "kind", "key", "subject", "body", "url", "is_escalation",
             "created_at", "emailed_at", "read_at"],
            reminders(),
        )  # fmt: skip
        _progress(f"{notes:,} step reminders", started)

        if connection.vendor == "postgresql":
            models = [Agency, Team, User, Case, Person, Relationship, CaseMembership, Assessment, Share,
                      ContactAttempt, Episode, ManagerInformed, Decision, Notification]  # fmt: skip
            with connection.cursor() as cursor:
                for statement in connection.ops.sequence_reset_sql(no_style(), models):
                    cursor.execute(statement)
        _manager_queue(now)
        _progress("what waits for the benchmark manager", started)
        marker = Team.objects.create(name=f"{marker_name(scale)}: pending")
    # Fresh statistics, so the planner sees the tables as they now are; on PostgreSQL a vacuum
    # too, as autovacuum would do after a load this size, so that index-only scans need not
    # visit the table.
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # A sample of each index is enough for the planner, and reading all of them is slow.
            cursor.execute("PRAGMA analysis_limit=1000")
            cursor.execute("ANALYZE")
        else:
            cursor.execute("VACUUM ANALYZE")
    figures = {"seed_seconds": round(time.perf_counter() - started, 1), "seeded_on": today.isoformat()}
    # The marker says how the set was made, for the report of every later run that reuses it.
    Team.objects.filter(pk=marker.pk).update(name=f"{marker_name(scale)}:{json.dumps(figures)}")
    _progress("committed and analysed", started)
    return {**figures, "rows": w.counts}


QUEUE_EACH = 10  # of each kind the flow chart's records do not already give the manager


def _manager_queue(now: dt.datetime) -> None:
    """Some of each kind that waits on the benchmark manager's "Needs you" and is not made above
    (assessments to sign, held letters, hostile incidents to review, requests to close a case,
    escalated notifications), each on its own open case of their team: a few rows, through the ORM."""
    manager = User.objects.get(email=MANAGER)
    cases = list(
        Case.objects.filter(team__manager=manager, status="open", assessments__isnull=True)
        .select_related("lead_practitioner")
        .order_by("pk")[: QUEUE_EACH * 5]
    )
    groups = [cases[n * QUEUE_EACH : (n + 1) * QUEUE_EACH] for n in range(5)]
    Assessment.objects.bulk_create(
        Assessment(
            case=case, version=1, status="submitted", assessment_date=now.date(),
            lead_practitioner=case.lead_practitioner, manager=manager, service="Early help",
            analysis="The family has not engaged; risks are rising.", elevated_risk=False,
            created_by=case.lead_practitioner, submitted_at=now, submitted_by=case.lead_practitioner,
        )
        for case in groups[0]
    )  # fmt: skip
    recipients = {
        p.case_id: p for p in Person.objects.filter(case__in=groups[1], kind="adult").order_by("-pk")
    }
    Letter.objects.bulk_create(
        Letter(
            case=case, step=LetterStep.DAY_10, recipient=recipients[case.pk], address="1 High Street",
            subject="Please get in touch", body="I have tried to reach you.", status=LetterStatus.HELD,
            created_by=case.lead_practitioner, held_by=case.lead_practitioner, held_at=now,
        )
        for case in groups[1]
        if case.pk in recipients
    )  # fmt: skip
    HostileIncident.objects.bulk_create(
        HostileIncident(
            case=case, occurred_at=now - dt.timedelta(days=1), place="On the doorstep",
            what_happened="Shouted at me and slammed the door.", threats=True, recorded_by=case.lead_practitioner,
        )
        for case in groups[2]
    )  # fmt: skip
    ClosureRequest.objects.bulk_create(
        ClosureRequest(case=case, requested_by=case.lead_practitioner, reason="The family moved away.")
        for case in groups[3]
    )
    Notification.objects.bulk_create(
        Notification(
            recipient=manager, case=case, kind=NotificationKind.ESCALATION.value, key=f"bench:escalation:{case.pk}",
            subject=f"{case.reference}: overdue", body="A step is overdue.", url=f"/cases/{case.pk}/",
            is_escalation=True, created_at=now, emailed_at=now,
        )
        for case in groups[4]
    )  # fmt: skip


def figures() -> dict:
    """What the data set holds, counted from the database."""
    return {
        "cases": Case.objects.count(),
        "open_cases": Case.objects.filter(status__in=["open", "engaged"]).count(),
        "contact_attempts": ContactAttempt.objects.count(),
        "episodes": Episode.objects.count(),
        "live_episodes": Episode.objects.filter(ended_on__isnull=True).count(),
        "step_reminders": Notification.objects.filter(kind=NotificationKind.STEP_DUE).count(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=float(os.environ.get("BENCH_SCALE", "1")))
    args = parser.parse_args()
    print(json.dumps({**ensure(args.scale), "data_set": figures()}, indent=2))


if __name__ == "__main__":
    main()
