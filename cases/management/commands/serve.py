"""Run the web server, a Celery worker and beat together; Ctrl-C stops all three."""

import os
import signal

# Starts this project's own gunicorn and celery with fixed argument lists, no shell, nothing
# taken from a request: the developer's `make run`.
import subprocess  # nosec B404
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand

from cases.demo import DEMO_LOGINS, DEMO_PASSWORD


def process_commands(*, bind: str, beat_schedule: str) -> dict[str, list[str]]:
    """The web, worker and beat commands `make run` starts (each program from the virtualenv);
    docker-compose.yml runs the same ones, and tests/config/test_compose.py checks it."""
    return {
        "web": [
            "gunicorn",
            "config.wsgi",
            "--bind",
            bind,
            "--workers",
            "2",
            "--threads",
            "4",
            # No access log: a password reset link carries its key in the path, and gunicorn
            # writes paths as they came. Django's own logs pass through the redacting filter.
        ],
        "worker": [
            "celery",
            "-A",
            "config",
            "worker",
            "--loglevel",
            "INFO",
            "--concurrency",
            "1",
            "--pool",
            "solo",
        ],
        "beat": ["celery", "-A", "config", "beat", "--loglevel", "INFO", "--schedule", beat_schedule],
    }


class Command(BaseCommand):
    help = "Serve the app with gunicorn, plus a real Celery worker and beat."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8000)))
        parser.add_argument("--host", default="127.0.0.1")

    def handle(self, *args, port, host, **options):
        bin_dir = os.path.dirname(sys.executable)
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "config.settings.local"),
            # Links in emails point where this server listens, whatever the port.
            "SITE_URL": os.environ.get("SITE_URL") or f"http://{host}:{port}",
        }
        commands = {
            name: [f"{bin_dir}/{program}", *arguments]
            for name, (program, *arguments) in process_commands(
                bind=f"{host}:{port}", beat_schedule=settings.CELERY_BEAT_SCHEDULE_FILENAME
            ).items()
        }
        # Fixed argument lists built above from the virtualenv's own binaries; no shell.
        processes = {
            name: subprocess.Popen(cmd, env=env, start_new_session=True)  # nosec B603
            for name, cmd in commands.items()
        }
        stopping = False

        def stop(*_):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        self.stdout.write(self.style.SUCCESS(f"\nEngaging families is running at http://{host}:{port}/"))
        self.stdout.write(f"Sign in with any demo login; the password is {DEMO_PASSWORD}")
        for email, role in DEMO_LOGINS:
            self.stdout.write(f"  {email:28} {role}")
        self.stdout.write("Press Ctrl-C to stop the web server, worker and beat.\n")
        exit_code = 0
        while not stopping:
            for name, process in processes.items():
                if process.poll() is not None:
                    self.stderr.write(
                        f"The {name} process stopped (exit {process.returncode}); stopping the rest."
                    )
                    exit_code = 1
                    stopping = True
            time.sleep(0.5)
        for process in processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 15
        for process in processes.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        self.stdout.write("Stopped.")
        sys.exit(exit_code)
