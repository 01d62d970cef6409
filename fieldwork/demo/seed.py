"""The seed: the organisation, its people and a year of work, generated and loaded in one go."""

from __future__ import annotations

import datetime as dt
import os
import random
import time
import zoneinfo
from dataclasses import dataclass, field
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
from .meter import Meter, Step
from .organisation import build_org
from .people import org_rows
from .texts import DEMO_LANGUAGE
from .ties import contact_points_load

DEFAULT_SEED = 2026
DEFAULT_VISITS = 600
DEFAULT_MONTHS = 12


@dataclass
class Result:
    counts: dict[str, int]
    seconds: float
    timings: dict[str, float]  # wall seconds per step
    copy_seconds: dict[str, float] = field(default_factory=dict)  # COPY's wall seconds by table (PostgreSQL)
    steps: dict[str, Step] = field(default_factory=dict)  # wall and CPU seconds per step (meter.py)


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
    meter = Meter(_backend_pid())
    try:
        result = _seed_metered(
            today=today,
            visits=visits,
            units=units,
            seed_value=seed_value,
            months=months,
            progress=progress,
            meter=meter,
        )
    finally:
        meter.close()
    result.seconds = time.monotonic() - started
    result.steps = meter.steps
    result.timings = {name: step.wall for name, step in meter.steps.items()}
    return result


def _backend_pid() -> int | None:
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def _seed_metered(
    *, today: dt.date, visits: int, units: int, seed_value: int, months: int, progress: TextIO | None, meter: Meter
) -> Result:
    with meter.step("organisation and set-up"):
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
        sink: SqliteSink | PostgresSink = (
            PostgresSink(found, meter) if connection.vendor == "postgresql" else SqliteSink(found)
        )
        clock = Clock(
            today=today,
            months=months,
            tz=zoneinfo.ZoneInfo(settings.TIME_ZONE),
            ts_suffix="+00" if connection.vendor == "postgresql" else "",
        )
        generator = Generator(rng=rng, org=org, clock=clock, last_ids=last_ids, sink=sink)
    counts = dict.fromkeys(found, 0)
    bar = Progress(total=visits, stream=progress)
    with meter.step("generate and load"):
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
    sink.finish()
    for year, last in sorted(references.items()):
        counter, _created = ReferenceCounter.objects.get_or_create(year=year)
        if counter.last < last:
            ReferenceCounter.objects.filter(year=year).update(last=last)
    with meter.step("rollups", parallel=True):
        rollups.rebuild()  # the rows went in without the signals that keep the dashboard's rollups in step
    with meter.step("person keys"):
        people_services.person_keys_rebuild(user_ids=[u.id for u in org.users])  # the people picker's keys, likewise
    with meter.step("contact points"):
        counts["contact_point"] = contact_points_load(org=org, clock=clock, seed_value=seed_value)  # 联系点 (issue 21)
    with meter.step("confidential notes"):
        talks.talk_notes_add(seed_value=seed_value)  # a few heart-to-heart talks' confidential notes, encrypted
    return Result(counts=counts, seconds=0.0, timings={}, copy_seconds=dict(sink.timings))


def step_table(result: Result) -> list[str]:
    """The steps' wall and CPU seconds as lines of text (seed_demo -v2), with the indexes and foreign
    keys summed, the whole seed, and COPY's share of the load by table."""
    steps = dict(result.steps)
    for prefix, name in (("index ", "all indexes"), ("foreign keys ", "all foreign keys")):
        parts = [step for key, step in steps.items() if key.startswith(prefix)]
        if parts:
            steps[name] = _summed(parts)
    steps["whole seed"] = _summed(list(result.steps.values()))
    steps["whole seed"].wall = result.seconds
    lines = [f"  {'wall s':>8}  {'this CPU':>8}  {'gen CPU':>8}  {'PG CPU':>8}  step"]
    for name, step in steps.items():
        child = "" if step.child is None else f"{step.child:8.1f}"
        backend = "" if step.backend is None else f"{step.backend:8.1f}"
        lines.append(f"  {step.wall:8.1f}  {step.own:8.1f}  {child:>8}  {backend:>8}  {name}")
    if result.copy_seconds:
        lines.append("  COPY's wall seconds within the load, by table:")
        lines += [f"  {seconds:8.1f}  {name}" for name, seconds in result.copy_seconds.items()]
    return lines


def _summed(parts: list[Step]) -> Step:
    children = [step.child for step in parts if step.child is not None]
    backends = [step.backend for step in parts if step.backend is not None]
    return Step(
        wall=sum(step.wall for step in parts),
        own=sum(step.own for step in parts),
        child=sum(children) if children else None,
        backend=sum(backends) if backends else None,
    )
