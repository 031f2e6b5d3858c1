"""Replay a scenario through the real services on a moved clock; nothing is stored. Prints JSON.

`manage.py flowchart_replay SCENARIO.json` (or `-` to read standard input). Exit codes: 0 the
run finished (refused events are in the output), 1 the run could not be set up in this
installation, 2 the scenario cannot be read: one line on standard error saying where and what.
The format is in docs/flowchart.md ("Replaying a scenario") and
docs/flowchart-scenario.schema.json; the logic in flowchart/replay.py.
"""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from flowchart import replay

NAME = "flowchart_replay"


class Command(BaseCommand):
    help = (
        "Run a scenario (a family, dates and events) through the real services with the clock set to "
        "each event, roll everything back, and print each day's flow chart and the notifications as JSON."
    )

    def add_arguments(self, parser):
        parser.add_argument("scenario", help="The scenario's JSON file, or - to read it from standard input")

    def execute(self, *args, **options):
        """From the command line, a refusal is one line, `flowchart_replay: <what is wrong>`
        (Django would print the exception's class name before it)."""
        try:
            return super().execute(*args, **options)
        except CommandError as error:
            if not getattr(self, "_called_from_command_line", False) or options.get("traceback"):
                raise
            self.stderr.write(f"{NAME}: {error}")
            sys.exit(error.returncode)

    def handle(self, *args, scenario, **options):
        try:
            if scenario == "-":
                text = sys.stdin.read()
            else:
                with open(scenario, encoding="utf-8") as file:
                    text = file.read()
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"cannot read {scenario}: {error}", returncode=2) from None
        try:
            parsed = replay.scenario_parse(text)
        except replay.ScenarioInvalid as error:
            raise CommandError(str(error), returncode=2) from None
        try:
            result = replay.replay(parsed)
        except replay.ReplaySetupFailed as error:
            raise CommandError(str(error), returncode=1) from None
        self.stdout.write(json.dumps(result, indent=2))
