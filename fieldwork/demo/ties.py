"""The demo's contact points (联系点): each visited grassroots unit answered for by one of the people
who go there, assigned by its nearest leader a year ago, to be visited every 30 days. Their last
visits are then counted from the visits by the one rule (fieldwork/contact_points.py), so some are
overdue and some are not, as the visits fall."""

from __future__ import annotations

import datetime as dt
import random

from django.conf import settings
from django.db import connection

from .. import contact_points
from ..models import ContactPoint, Visit
from .clock import Clock
from .people import Org


def contact_points_load(*, org: Org, clock: Clock, seed_value: int) -> int:
    """Insert the contact points in bulk and count their last visits; returns how many. Its own random
    stream, so the rest of the demo draws what it drew before."""
    rng = random.Random(f"contact-points-{seed_value}")
    interval = settings.FIELDWORK_CONTACT_INTERVAL_DAYS
    rows = []
    for unit in org.units:
        if unit.children or not unit.authors or not unit.leaders:
            continue
        visitors = sorted(set(unit.authors) - set(unit.cadres)) or sorted(set(unit.authors))
        cadre = visitors[int(rng.random() * len(visitors))]
        start = clock.start + dt.timedelta(days=int(rng.random() * 60))
        rows.append(
            ContactPoint(
                cadre_id=cadre,
                unit_id=unit.id,
                start=start,
                interval_days=interval,
                assigned_by_id=unit.leaders[0],
                due_date=contact_points.due_date_of(start=start, last_visit=None, interval_days=interval),
            )
        )
    ContactPoint.objects.bulk_create(rows, batch_size=2000)
    if connection.vendor == "postgresql":
        # the visits went in by COPY a moment ago: without statistics the planner guesses the recount's joins
        tables = [model._meta.db_table for model in (Visit, Visit.cadres.through, ContactPoint)]
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {', '.join(tables)}")
    contact_points.refresh_all()
    return len(rows)
