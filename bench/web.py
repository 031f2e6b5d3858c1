"""Serve the app with gunicorn on the seeded data set and load its busiest pages with wrk.

    .venv/bin/python bench/web.py [--duration 5] [--scale 1] [--pages case_page,team_dashboard]

Seeds the bench database first if it is not there yet (bench/seed.py), starts gunicorn with two
sync workers and config.settings.bench, signs three people in (a practitioner with 20-30 open
cases, the manager of the 500-case team, a multi-agency member), then runs wrk on each page in
turn with a floor run before and after it: floor, page, floor, page, ..., floor. Each page's
ratio is to the mean of the two signed-in floor runs either side of it, taken minutes apart at
most, so the machine's load moves both alike. Any response that is not a 200 fails the run.
Progress goes to stderr; the figures, as JSON, to stdout.
"""

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import django_setup  # noqa: F401  (first: the project's apps need Django set up)
import seed
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.core.management import call_command
from django.db import connection
from django.urls import NoReverseMatch, reverse
from web_figures import parse_wrk, ratios, verdicts

from cases.models import Case, Team, User

ROOT = Path(__file__).resolve().parent.parent

STATUS_SCRIPT = ROOT / "bench" / "status.lua"


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def database() -> dict:
    """Which database the pages ran on."""
    found = {"vendor": connection.vendor, "name": str(connection.settings_dict["NAME"])}
    if connection.vendor == "postgresql":
        version = connection.pg_version
        found["version"] = f"{version // 10000}.{version % 10000}"
        with connection.cursor() as cursor:
            for name in POSTGRES_SETTINGS:
                cursor.execute(f"SHOW {name}")
                found.setdefault("settings", {})[name] = cursor.fetchone()[0]
    else:
        found["version"] = connection.Database.sqlite_version
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def sign_in(user, *, with_mfa: bool) -> str:
    """A session for the user as allauth leaves it after a password (and authenticator) login."""
    from importlib import import_module

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "allauth.account.auth_backends.AuthenticationBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    methods = [{"method": "password", "at": time.time(), "email": user.email}]
    if with_mfa:
        # Managers must have an authenticator (cases.middleware.RequireMfaMiddleware checks on
        # every request): give them one, and record its use as allauth's login stage does.
        authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
        if authenticator is None:
            from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

            authenticator = TOTP.activate(user, generate_totp_secret()).instance
        methods.append({"method": "mfa", "at": time.time(), "id": authenticator.pk, "type": "totp"})
    store["account_authentication_methods"] = methods
    store["account_authentication_methods_user"] = str(user.pk)
    store.create()
    return store.session_key


def team_dashboard_url(team) -> str | None:
    """The team dashboard's URL for this team (None while the dashboard is not built)."""
    try:
        return reverse("dashboard:team_dashboard", kwargs={"team_pk": team.pk})
    except NoReverseMatch:
        return None


# What docs/operations.md asks of a production PostgreSQL: random reads priced as on SSD or
# memory, not spinning disks (the server's default of 4 makes the planner read a whole table of
# live episodes rather than look up a team's 500 through an index).
POSTGRES_SETTINGS = {"random_page_cost": "1.1"}


def plan_for_memory() -> None:
    """Give the bench database the planner settings a production server has; new sessions use them."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for name, value in POSTGRES_SETTINGS.items():
            cursor.execute(f'ALTER DATABASE "{connection.settings_dict["NAME"]}" SET {name} = {value}')
    connection.close()


def prepare(scale: float) -> tuple[dict, list[tuple[str, str, str | None, str]], tuple[str, str], str]:
    """Seed if needed, collect static files, sign people in; the pages to load and with whom."""
    seed_figures = seed.ensure(scale)
    seed_figures["data_set"] = seed.figures()
    plan_for_memory()
    started = time.perf_counter()
    call_command("collectstatic", interactive=False, verbosity=0)
    log(f"Static files collected in {time.perf_counter() - started:.1f} s")
    practitioner = User.objects.get(email=seed.PRACTITIONER)
    manager = User.objects.get(email=seed.MANAGER)
    member = User.objects.get(email=seed.AGENCY_MEMBER)
    cookies = {
        "practitioner": sign_in(practitioner, with_mfa=False),
        "manager": sign_in(manager, with_mfa=True),
        "agency member": sign_in(member, with_mfa=False),
    }
    big = Case.objects.get(reference=seed.BIG_CASE)
    typical = Case.objects.get(reference=seed.TYPICAL_CASE)
    team = Team.objects.get(manager=manager)
    pages = [
        ("my_cases", "My cases (practitioner, 20-30 open cases)", reverse("cases:my_cases"), "practitioner"),
        ("my_work_today", "My work today (practitioner, 20-30 open cases)", reverse("today:my_work"), "practitioner"),
        (
            "case_page",
            "Case page with its flow chart",
            reverse("cases:case_detail", kwargs={"case_pk": typical.pk}),
            "practitioner",
        ),
        (
            "chronology",
            "Chronology, first page of 500 attempts",
            reverse("engagement:chronology", kwargs={"case_pk": big.pk}),
            "practitioner",
        ),
        (
            "team_dashboard",
            f"Team dashboard ({team.cases.filter(status__in=['open', 'engaged']).count()} open cases)",
            team_dashboard_url(team),
            "manager",
        ),
        ("needs_you", "Needs you (manager, what waits across their teams)", reverse("needs_you:queue"), "manager"),
        ("shared_list", "Multi-agency member's shared list", reverse("riskassessment:shared_list"), "agency member"),
    ]  # fmt: skip
    floor = reverse("bench_floor_signed_in")
    plain = reverse("bench_floor_plain")
    runs = [(name, label, url, cookies[who]) for name, label, url, who in pages]
    connection.close()  # hold nothing open on the database while the server works on it
    return seed_figures, runs, (floor, cookies["practitioner"]), plain


def start_server(port: int) -> subprocess.Popen:
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    command = [gunicorn, "config.wsgi", "--workers", "2", "--worker-class", "sync",
               "--bind", f"127.0.0.1:{port}", "--timeout", "120", "--log-level", "warning"]  # fmt: skip
    server = subprocess.Popen(command, cwd=ROOT, env={**os.environ}, stdout=sys.stderr, stderr=sys.stderr)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10).read()
            return server
        except OSError:  # refused while it starts, or slow to import the app
            if server.poll() is not None:
                sys.exit("gunicorn stopped before it served a request")
            time.sleep(0.3)
    server.terminate()
    sys.exit("gunicorn did not answer /healthz within a minute")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def check(base: str, url: str, cookie: str) -> None:
    """The page answers 200 for this session, not a redirect to the login or MFA set-up."""
    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(base + url, headers={"Cookie": f"sessionid={cookie}"} if cookie else {})
    try:
        status = opener.open(request, timeout=120).status
    except urllib.error.HTTPError as error:
        status = error.code
    if status != 200:
        sys.exit(f"{url} answered {status}, not 200: the benchmark would measure the wrong page")


def wrk(base: str, url: str, cookie: str, seconds: float, *, warm: bool = False) -> dict:
    command = [
        "wrk",
        "-t1",
        "-c2",
        f"-d{round(seconds)}s",
        "--latency",
        "--timeout",
        "10s",
        "-s",
        str(STATUS_SCRIPT),
    ]
    if cookie:
        command += ["-H", f"Cookie: sessionid={cookie}"]
    result = subprocess.run([*command, base + url], capture_output=True, text=True, check=True)
    figures = parse_wrk(result.stdout)
    # wrk stops at the deadline but the workers finish what they were sent: wait for the slowest
    # request seen so that none of this run's work is timed in the next one.
    time.sleep(min(figures["max_ms"], 10_000) / 1000 + 0.2)
    if not warm and (
        figures["not_200"] or figures["non_2xx"] or figures["timeouts"] or figures["connect_errors"]
    ):
        sys.exit(f"{url}: some responses were not 200 or timed out:\n{result.stdout}")
    return figures


def main(duration: float, scale: float, only: set[str] | None = None) -> dict:
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: run bench/ensure-wrk (it installs Debian's package) and try again")
    seed_figures, pages, (floor, floor_cookie), plain = prepare(scale)
    if only:
        # A quicker look at a few pages while working on them; make bench always loads them all.
        pages = [page for page in pages if page[0] in only]
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log(f"Starting gunicorn (2 sync workers) on {base}")
    server = start_server(port)
    try:
        measured = [p for p in pages if p[2] is not None]
        for _, _, url, cookie in measured:
            check(base, url, cookie)
        check(base, floor, floor_cookie)
        check(base, plain, "")
        log("Warming up each page on both workers")
        for _, _, url, cookie in [*measured, ("floor", "", floor, floor_cookie), ("plain", "", plain, "")]:
            wrk(base, url, cookie, 1, warm=True)
        runs = [{"kind": "plain", "name": "plain floor", **wrk(base, plain, "", duration)}]
        runs.append({"kind": "floor", "name": "signed-in floor", **wrk(base, floor, floor_cookie, duration)})
        for name, label, url, cookie in measured:
            log(f"  {label}")
            runs.append(
                {"kind": "page", "name": name, "label": label, "url": url, **wrk(base, url, cookie, duration)}
            )
            runs.append(
                {"kind": "floor", "name": "signed-in floor", **wrk(base, floor, floor_cookie, duration)}
            )
        runs.append({"kind": "plain", "name": "plain floor", **wrk(base, plain, "", duration)})
    finally:
        server.terminate()
        server.wait(timeout=30)
    results = ratios(runs)
    for name, label, url, _ in pages:
        if url is None:
            results[name] = {
                "label": label,
                "url": None,
                "note": "not built yet: insight/dashboard/urls.py",
            }
    floors = [r for r in runs if r["kind"] == "floor"]
    plains = [r for r in runs if r["kind"] == "plain"]
    return {
        "database": database(),
        "server": "gunicorn, 2 sync workers, config.settings.bench (DEBUG off)",
        "load": f"wrk -t1 -c2 -d{round(duration)}s --latency, each page between two signed-in floor runs",
        "data_set": seed_figures.pop("data_set"),
        "seed": seed_figures,
        "floors": {
            "plain": [{k: r[k] for k in ("rps", "p50_ms", "p99_ms")} for r in plains],
            "signed_in": [{k: r[k] for k in ("rps", "p50_ms", "p99_ms", "cpu_ms")} for r in floors],
        },
        "pages": {name: results[name] for name, *_ in pages},
        "targets": verdicts(results),
        "targets_on_cpu": verdicts(results, cpu=True),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=float(os.environ.get("BENCH_DURATION", "5")))
    parser.add_argument("--scale", type=float, default=float(os.environ.get("BENCH_SCALE", "1")))
    parser.add_argument(
        "--pages", help="only these pages, by name, comma-separated (e.g. case_page,team_dashboard)"
    )
    args = parser.parse_args()
    only = set(args.pages.split(",")) if args.pages else None
    print(json.dumps(main(args.duration, args.scale, only), indent=2))
