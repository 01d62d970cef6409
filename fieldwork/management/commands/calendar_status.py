"""Print what each year of the working-day calendar rests on: the notice, the package or an estimate."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from fieldwork import workdays


class Command(BaseCommand):
    help = (
        "Print, for each year from the first concern to a year ahead, where its holidays and make-up "
        "working days come from (the State Council's notice, the holidays package, an estimate, or "
        "nothing loaded), and warn when the next 90 days are not covered by a notice."
    )

    def handle(self, *args, **options) -> None:
        for line in workdays.status_lines():
            self.stdout.write(line)
