"""The seed: the organisation, its people and a year of work, generated and loaded in one go."""

from __future__ import annotations

import datetime as dt
import os
import random
import time
import zoneinfo
from dataclasses import dataclass
from typing import TextIO

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, models
from django.utils import translation

from .. import rollups
from ..models import ReferenceCounter
from ..services import people as people_services
from . import talks
from .bulk import PostgresSink, Progress, SqliteSink, load_forked, load_inline, tables
from .clock import Clock
from .generator import Generator
from .organisation import build_org
from .people import org_rows
from .texts import DEMO_LANGUAGE

DEFAULT_SEED = 2026
DEFAULT_VISITS = 600
DEFAULT_MONTHS = 12


@dataclass
class Result:
    counts: dict[str, int]
    seconds: float
    timings: dict[str, float]  # seconds per step of the load, where the sink measures them


def seed(
    *,
    today: dt.date,
    visits: int = DEFAULT_VISITS,
    units: int = 0,
    seed_value: int = DEFAULT_SEED,
    months: int = DEFAULT_MONTHS,
    progress: TextIO | None = None,
) -> Result:
    """Load the demo into a database that has no units yet. Call it inside a transaction.

    Everything is drawn from one `random.Random(seed_value)` against a fixed `today`, so the same
    seed and sizes give the same rows (in development: see public_channel.py for receipt codes).
    """
    with translation.override(DEMO_LANGUAGE):  # the timeline's notes in the demo people's language
        return _seed(today=today, visits=visits, units=units, seed_value=seed_value, months=months, progress=progress)


def _seed(*, today: dt.date, visits: int, units: int, seed_value: int, months: int, progress: TextIO | None) -> Result:
    started = time.monotonic()
    rng = random.Random(seed_value)
    found = tables()
    last_ids = {key: table.model.objects.aggregate(m=models.Max("pk"))["m"] or 0 for key, table in found.items()}
    existing = dict(get_user_model().objects.values_list("username", "pk"))
    org = build_org(
        rng=rng,
        target_units=units,
        existing_users=existing,
        last_user_id=last_ids["user"],
        last_unit_id=last_ids["unit"],
    )
    sink: SqliteSink | PostgresSink = PostgresSink(found) if connection.vendor == "postgresql" else SqliteSink(found)
    clock = Clock(
        today=today,
        months=months,
        tz=zoneinfo.ZoneInfo(settings.TIME_ZONE),
        ts_suffix="+00" if connection.vendor == "postgresql" else "",
    )
    generator = Generator(rng=rng, org=org, clock=clock, last_ids=last_ids, sink=sink)
    counts = dict.fromkeys(found, 0)
    bar = Progress(total=visits, stream=progress)
    sink.start()
    for key, rows in org_rows(org, clock, sink, last_ids).items():
        counts[key] += len(rows)
        sink.write(key, rows)
    chunks = generator.chunks(visits)
    if isinstance(sink, PostgresSink) and hasattr(os, "fork"):
        generated, references = load_forked(chunks, lambda: generator.references, sink, bar)
    else:
        generated, references = load_inline(chunks, sink, bar), generator.references
    for key, count in generated.items():
        counts[key] += count
    bar.close()
    load_seconds = time.monotonic() - started
    sink.finish()
    for year, last in sorted(references.items()):
        counter, _created = ReferenceCounter.objects.get_or_create(year=year)
        if counter.last < last:
            ReferenceCounter.objects.filter(year=year).update(last=last)
    timings = {"generate and load": load_seconds, **sink.timings}
    rebuilt = time.monotonic()
    rollups.rebuild()  # the rows went in without the signals that keep the dashboard's rollups in step
    timings["rollups"] = time.monotonic() - rebuilt
    keyed = time.monotonic()
    people_services.person_keys_rebuild(user_ids=[u.id for u in org.users])  # the people picker's keys, likewise
    timings["person keys"] = time.monotonic() - keyed
    noted = time.monotonic()
    talks.talk_notes_add(seed_value=seed_value)  # a few heart-to-heart talks' confidential notes, encrypted
    timings["confidential notes"] = time.monotonic() - noted
    return Result(counts=counts, seconds=time.monotonic() - started, timings=timings)
