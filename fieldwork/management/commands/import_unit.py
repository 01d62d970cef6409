from django.core.management.base import BaseCommand, CommandError

from fieldwork.backup import subtree_import


class Command(BaseCommand):
    help = (
        "Import a file written by export_unit into an installation that holds none of its units; the records "
        "get new ids here, beside what the installation holds. People are matched by username."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the file written by export_unit")

    def handle(self, *args, path, **options):
        try:
            with open(path, encoding="utf-8") as stream:
                counts = subtree_import(stream=stream)
        except (OSError, ValueError) as error:
            raise CommandError(str(error)) from error
        for label, count in sorted(counts.items()):
            self.stdout.write(f"{label}: {count}")
