import os
import sys

from django.core.management.base import BaseCommand, CommandError
from django.db import OperationalError

from fieldwork.backup import subtree_export
from fieldwork.models import Unit


class Command(BaseCommand):
    help = (
        "Export one unit and everything below it (units, memberships, people, visits, concerns, events, "
        "actions, callbacks, extension requests, photos with their files) as JSON lines, format 3 "
        "(fieldwork/backup.py). "
        "Example: manage.py export_unit bdyx --output bdyx.export"
    )

    def add_arguments(self, parser):
        parser.add_argument("code", help="the unit's code")
        parser.add_argument("--output", "-o", help="write to this file instead of standard output")

    def handle(self, *args, code, output=None, **options):
        unit = Unit.objects.filter(code=code).first()
        if unit is None:
            raise CommandError(f"No unit with the code {code!r}.")
        if not output:
            self._export(unit, sys.stdout)
            return
        partial = f"{output}.partial"  # the file appears under its name only once it is whole
        try:
            with open(partial, "w", encoding="utf-8") as stream:
                counts = self._export(unit, stream)
            os.replace(partial, output)
        finally:
            if os.path.exists(partial):
                os.remove(partial)
        rows = sum(counts.values())
        self.stderr.write(f"exported {unit.name} ({unit.code}): {rows} records to {output}")

    def _export(self, unit, stream) -> dict[str, int]:
        try:
            return subtree_export(unit=unit, stream=stream)
        except OperationalError as error:
            if getattr(error.__cause__, "sqlstate", None) == "57014":
                raise CommandError(
                    "The database stopped a query at the commands' statement timeout "
                    "(DB_COMMAND_STATEMENT_TIMEOUT_MS); nothing was written."
                ) from error
            raise
