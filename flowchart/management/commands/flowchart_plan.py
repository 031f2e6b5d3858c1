"""Print a pathway's current steps with their due dates for a given Day 1, as JSON."""

import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError

from flowchart import selectors
from flowchart.schedule import Records, due_date, progress
from flowchart.selectors import calendar_in_force


class Command(BaseCommand):
    help = "Show the current version's steps and due dates for a family whose Day 1 is --start."

    def add_arguments(self, parser):
        parser.add_argument("--start", required=True, help="Day 1, as YYYY-MM-DD")
        parser.add_argument("--pathway", default=None, help="Pathway code (the default pathway if left out)")

    def handle(self, *args, start, pathway, **options):
        try:
            day1 = dt.date.fromisoformat(start)
        except ValueError:
            raise CommandError("Give --start as a date, for example 2026-12-17") from None
        version = selectors.current_version(pathway)
        if version is None:
            raise CommandError(
                f"No published pathway {pathway!r}" if pathway else "No default pathway is set"
            )
        calendar = calendar_in_force()
        steps = selectors.steps_for([version.pk])[version.pk]
        plan = progress(steps, day1, calendar, Records(), day1)
        rows = [
            {
                "order": item.step.order,
                "day": item.step.day,
                "timing": item.step.timing,
                "title": item.step.title,
                "due": due_date(item.step, day1, calendar).isoformat(),
                "counts_from": item.counts_from.isoformat(),
                "responsible": item.step.responsible,
                "done_when": item.step.requirement,
                "attempt_kinds": list(item.step.attempt_kinds),
                "attempt_count": item.step.attempt_count if item.step.requirement == "attempts" else 0,
            }
            for item in plan.steps
        ]
        self.stdout.write(json.dumps(rows, indent=2))
