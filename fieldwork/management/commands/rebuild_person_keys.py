"""Store again the people picker's search keys of everyone (after loading people in bulk)."""

import time

from django.core.management.base import BaseCommand

from fieldwork.services import people


class Command(BaseCommand):
    help = (
        "Store again the keys the people picker searches (names, their pinyin and initials) for every "
        "person. Saving a person keeps their keys; run this after loading people in bulk, outside the app."
    )

    def handle(self, *args, verbosity=1, **options):
        started = time.monotonic()
        count = people.person_keys_rebuild()
        if verbosity:
            self.stdout.write(f"Stored the search keys of {count} people in {time.monotonic() - started:.1f} s.")
