"""manage.py seed_demo: the demo organisation with a year of visits, concerns and their follow-up.

`make run` calls it with --if-empty every time; benchmarks call it with --visits 1000000
--units 5000 on an empty PostgreSQL database. The rows themselves are made in the package fieldwork/demo/.
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from fieldwork import demo
from fieldwork.models import Unit


def count(value: str) -> int:
    """A whole number, 0 or more (argparse names this function in its error message)."""
    number = int(value)
    if number < 0:
        raise ValueError(value)
    return number


class _Unended:
    """The command's stderr without the newline Django adds to each write (the bar redraws one line)."""

    def __init__(self, wrapper) -> None:
        self.wrapper = wrapper

    def write(self, text: str) -> None:
        self.wrapper.write(text, ending="")

    def flush(self) -> None:
        self.wrapper.flush()


class Command(BaseCommand):
    help = (
        "Load demo data: an organisation modelled on the essay's power-supply branch, its cadres and "
        f"leaders (password {demo.PASSWORD}), and a year of visits with concerns in every state. "
        "The same --seed and sizes give the same data."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--visits",
            type=count,
            default=demo.DEFAULT_VISITS,
            help=f"Number of visits (default {demo.DEFAULT_VISITS}); about as many concerns, "
            "twice as many follow-up actions, and callbacks and events to match.",
        )
        parser.add_argument(
            "--units",
            type=count,
            default=0,
            help="Grow the unit tree to about this many units (default: the demo organisation, "
            "about 30 units); more supply stations, teams and branches are added around it.",
        )
        parser.add_argument(
            "--seed", type=int, default=demo.DEFAULT_SEED, help=f"Random seed (default {demo.DEFAULT_SEED})."
        )
        parser.add_argument(
            "--months",
            type=int,
            default=demo.DEFAULT_MONTHS,
            help=f"Spread the visits over this many months ending today (default {demo.DEFAULT_MONTHS}).",
        )
        parser.add_argument(
            "--today",
            type=dt.date.fromisoformat,
            default=None,
            help="The last day of the data, YYYY-MM-DD (default: today in TIME_ZONE). "
            "Pin it to get the same data on another day.",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="If the database has any unit, load nothing: only print the demo sign-ins.",
        )
        parser.add_argument("--quiet", action="store_true", help="No progress bar and no row counts.")

    def handle(self, *args, **options) -> None:
        if options["months"] < 1:
            raise CommandError("--months must be at least 1.")
        if Unit.objects.exists():
            if not options["if_empty"]:
                raise CommandError(
                    "The database has units already: seed_demo only loads into an empty one "
                    "(use --if-empty to skip quietly, or `manage.py flush` first)."
                )
            self._sign_ins(options)
            return
        today = options["today"] or timezone.localdate()
        quiet = options["quiet"] or options["verbosity"] == 0
        with transaction.atomic():
            result = demo.seed(
                today=today,
                visits=options["visits"],
                units=options["units"],
                seed_value=options["seed"],
                months=options["months"],
                progress=None if quiet else _Unended(self.stderr),
            )
        if not quiet:
            counts = ", ".join(f"{key} {count:,}" for key, count in result.counts.items())
            self.stdout.write(f"Loaded in {result.seconds:.1f} s: {counts}.")
        if options["verbosity"] >= 2:
            for line in demo.step_table(result):
                self.stdout.write(line)
        self._sign_ins(options)

    def _sign_ins(self, options) -> None:
        if options["verbosity"] == 0:
            return
        rows = demo.sign_in_rows()
        if not rows:
            self.stdout.write("The database has data but no demo accounts.")
            return
        self.stdout.write("Demo sign-ins:")
        self.stdout.write(demo.format_table([("username", "role", "unit"), *rows]))
        self.stdout.write(
            "Also: cadre3, cadre4, ... (a cadre of each team or substation) and leader_<unit code> "
            "(the leader of each workshop and station)."
        )
        self.stdout.write(f"Password for every demo account: {demo.PASSWORD}")
        line = demo.showcase_receipt_line()  # a receipt code only with DEBUG on
        if line:
            self.stdout.write(line)
