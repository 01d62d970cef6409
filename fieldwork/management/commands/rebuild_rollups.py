"""Recount the dashboard's monthly rollups from scratch (after a bulk load, or to check them)."""

import time

from django.core.management.base import BaseCommand, CommandError

from fieldwork import rollups
from fieldwork.models import Unit


class Command(BaseCommand):
    help = (
        "Recount the monthly rollups behind the unit dashboards from the visits, concerns and callbacks: "
        "everything, or one unit's subtree (its ancestors are corrected too). Run it after loading rows "
        "in bulk (seed_demo does); it is safe to run at any time, in one transaction."
    )

    def add_arguments(self, parser):
        parser.add_argument("--unit", metavar="CODE", help="Only this unit's subtree (by unit code).")

    def handle(self, *args, unit=None, verbosity=1, **options):
        target = None
        if unit:
            target = Unit.objects.filter(code=unit).first()
            if target is None:
                raise CommandError(f"No unit with the code {unit!r}.")
        started = time.monotonic()
        rows = rollups.rebuild(unit=target)
        if verbosity:
            where = f"the subtree of {target.code}" if target else "every unit"
            self.stdout.write(f"Rebuilt {rows} monthly rollup rows for {where} in {time.monotonic() - started:.1f} s.")
