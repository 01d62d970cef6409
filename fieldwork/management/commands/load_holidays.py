"""Load a year's public holidays and make-up working days (调休) into the working-day calendar."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from fieldwork import workdays


class Command(BaseCommand):
    help = (
        "Load a year's public holidays and the weekend days worked instead (调休) into the working-day "
        "calendar, from a JSON file such as fieldwork/data/holidays-2026.json (the State Council's notice "
        "of that year). Idempotent: days already as in the file are left alone; days edited in the admin "
        "are set back to the file. Give --year to load the file shipped with the app, or a path."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", nargs="?", help="A holidays JSON file.")
        parser.add_argument("--year", type=int, help="Load fieldwork/data/holidays-<year>.json.")
        parser.add_argument("--dry-run", action="store_true", help="Check the file and print it; write nothing.")

    def handle(self, *args, path: str | None, year: int | None, dry_run: bool, **options) -> None:
        if bool(path) == bool(year):
            raise CommandError("Give either a file or --year.")
        file = Path(path) if path else workdays.holiday_file(year)
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        try:
            data = workdays.holidays_read(file)
        except (ValueError, KeyError, TypeError) as error:
            raise CommandError(f"{file}: {error}") from error
        days = data["days"]
        if options["verbosity"] >= 2 or dry_run:
            for day, (working, note) in sorted(days.items()):
                kind = "working day" if working else "day off"
                self.stdout.write(f"{day:%Y-%m-%d} {day:%a} {kind} {note}")
        if dry_run:
            self.stdout.write(f"{len(days)} day(s) in {file.name}; nothing written (--dry-run).")
            return
        created, updated = workdays.holidays_load(days)
        unchanged = len(days) - created - updated
        self.stdout.write(
            f"{file.name}: {created} day(s) added, {updated} updated, {unchanged} already in the calendar."
        )
