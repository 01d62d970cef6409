import sys

from django.core.management.base import BaseCommand, CommandError

from fieldwork.backup import subtree_export
from fieldwork.models import Unit


class Command(BaseCommand):
    help = (
        "Export one unit and everything below it (units, memberships, people, visits, concerns, events, "
        "actions, callbacks) as JSON. Example: manage.py export_unit bdyx > bdyx.json"
    )

    def add_arguments(self, parser):
        parser.add_argument("code", help="the unit's code")
        parser.add_argument("--output", "-o", help="write to this file instead of standard output")

    def handle(self, *args, code, output=None, **options):
        unit = Unit.objects.filter(code=code).first()
        if unit is None:
            raise CommandError(f"No unit with the code {code!r}.")
        if output:
            with open(output, "w", encoding="utf-8") as stream:
                subtree_export(unit=unit, stream=stream)
            self.stderr.write(f"exported {unit.name} to {output}")
        else:
            subtree_export(unit=unit, stream=sys.stdout)
