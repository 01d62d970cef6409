"""Load a year's public holidays and make-up working days (调休) into the working-day calendar."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from fieldwork import workdays
from fieldwork.models import CalendarDay


class Command(BaseCommand):
    help = (
        "Load the working-day calendar. With a file: the State Council's notice of a year, as JSON like "
        "fieldwork/data/holidays-2026.json or as lines («休 2027-02-05 2027-02-11 春节», «班 2027-02-14 "
        "春节调休上班»); it replaces that year's days. With --year: the notice shipped with the app, or "
        "else the holidays package (the notice it carries, or an estimate). With neither: every year "
        "from the first concern to a year ahead that has no notice yet. Idempotent. Lists the open "
        "concerns whose due date the change would move; a leader applies them in the app."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", nargs="?", help="A notice file (JSON or lines).")
        parser.add_argument("--year", type=int, help="Load this year: the shipped notice, else the package.")
        parser.add_argument("--dry-run", action="store_true", help="Check and print the days; write nothing.")

    def handle(self, *args, path: str | None, year: int | None, dry_run: bool, **options) -> None:
        self.verbosity = options["verbosity"]
        if path:
            file = Path(path)
            if not file.is_file():
                raise CommandError(f"No such file: {file}")
            try:
                found_year, days = workdays.notice_read(file.read_text(encoding="utf-8"))
            except (ValueError, KeyError, TypeError) as error:
                raise CommandError(f"{file}: {error}") from error
            if year and year != found_year:
                raise CommandError(f"{file} is the notice of {found_year}, not of {year}.")
            plans = [(found_year, CalendarDay.Source.NOTICE, days, file.name)]
        else:
            years = [year] if year else workdays.years_in_use()
            plans = []
            for one in years:
                plan = self._plan(one)
                if plan:
                    plans.append(plan)
                elif year:
                    self.stdout.write(f"{one}: already loaded from a notice; give a notice file to replace it.")
        for plan_year, source, days, origin in plans:
            self._load(plan_year, source, days, origin, dry_run=dry_run)
        for line in workdays.status_lines():
            self.stdout.write(line)

    def _plan(self, year: int):
        """What a year is loaded from: the shipped notice, else the package; None when it is already
        official and nothing better ships."""
        file = workdays.holiday_file(year)
        if file.is_file():
            _year, days = workdays.notice_read(file.read_text(encoding="utf-8"))
            return year, CalendarDay.Source.NOTICE, days, file.name
        if workdays.calendar().is_official(year):
            return None
        source, days = workdays.package_days(year)
        return year, source, days, "the holidays package"

    def _load(self, year: int, source: str, days: workdays.Days, origin: str, *, dry_run: bool) -> None:
        label = CalendarDay.Source(source).label
        if self.verbosity >= 2 or dry_run:
            for day, (working, note) in sorted(days.items()):
                kind = "working day" if working else "day off"
                self.stdout.write(f"{day:%Y-%m-%d} {day:%a} {kind} {note}")
        if dry_run:
            self.stdout.write(f"{year}: {len(days)} day(s) from {origin} ({label}); nothing written (--dry-run).")
            return
        load = workdays.calendar_apply(year=year, days=days, source=source)
        if load.skipped:
            self.stdout.write(f"{year}: already loaded from a notice; {origin} does not replace it.")
            return
        unchanged = len(days) - load.created - load.updated
        self.stdout.write(
            f"{year} from {origin} ({label}): {load.created} day(s) added, {load.updated} updated, "
            f"{load.removed} removed, {unchanged} already in the calendar."
        )
        if load.changed:
            self.stdout.write(f"{year}: {len(load.changed)} day(s) changed whether they are worked.")
        if load.shifts:
            self.stdout.write(
                f"{len(load.shifts)} open concern(s) would change due date; a leader of each concern's unit "
                f"applies them at {reverse('fieldwork:due-shift-list')}:"
            )
            for shift in load.shifts:
                self.stdout.write(f"  {shift.concern.reference}  {shift.due_date_before} → {shift.due_date_after}")
