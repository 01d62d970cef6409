"""Recount every contact point's last visit and due date from the visits (after loading visits in bulk)."""

import time

from django.core.management.base import BaseCommand
from django.db import transaction

from fieldwork import contact_points


class Command(BaseCommand):
    help = (
        "Recount each contact point's last visit and the day its next visit is due from the visits. The "
        "visit services keep them; run this after loading visits outside the app (rebuild_rollups runs it too)."
    )

    def handle(self, *args, verbosity=1, **options):
        started = time.monotonic()
        with transaction.atomic():
            changed = contact_points.refresh_all()
        if verbosity:
            self.stdout.write(
                f"Recounted the contact points: {changed} changed, in {time.monotonic() - started:.1f} s."
            )
