"""Visits: a year of them in date order, weighted by weekday and unit, each with the concerns heard on it.

A few visits of the demo cadre have fixed stories (texts.SHOWCASE), so that every status, form,
category, priority and solvability is present at any size.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterator

from .bulk import TABLE_ORDER_GENERATED
from .clock import DAY, HOUR
from .texts import SHOWCASE, SILENT
from .values import OTHER_SOURCE, VISIT_SOURCE, cumulative

CHUNK_VISITS = 20_000


class Visits:
    """The visit loop of the Generator (generator.py), whose state it shares."""

    # -- the visit loop ------------------------------------------------------------------------------

    def chunks(self, total: int) -> Iterator[tuple[dict[str, list[tuple]], int]]:
        rng, clock = self.rng, self.clock
        showcase = [
            (clock.today_index - min(item[0], clock.today_index), index)
            for index, item in enumerate(SHOWCASE[: max(0, total)])
        ]
        weights = [
            (0.25 if day.weekday() == 5 else 0.15 if day.weekday() == 6 else 1.0)
            for day in (clock.start + dt.timedelta(days=d) for d in range(clock.ndays))
        ]
        days = rng.choices(range(clock.ndays), cum_weights=cumulative(weights), k=total - len(showcase))
        slots = sorted([(d, -1) for d in days] + showcase)
        self._new_chunk()
        for number, (day, showcase_index) in enumerate(slots, start=1):
            self.visit(day, showcase_index)
            if number % CHUNK_VISITS == 0:
                yield self.rows, number
                self._new_chunk()
        yield self.rows, len(slots)

    def _new_chunk(self) -> None:
        self.rows = {key: [] for key in TABLE_ORDER_GENERATED}

    def visit(self, day: int, showcase_index: int) -> None:
        r, clock, rows = self.rng.random, self.clock, self.rows
        if showcase_index >= 0:
            unit = self.org.unit("bdyx-1")
            author = unit.cadres[0]
            form = SHOWCASE[showcase_index][1]
        else:
            unit = self.visited[bisect.bisect(self.visited_cum, r() * self.visited_cum[-1])]
            author = unit.authors[int(r() * len(unit.authors))]
            form = self.form_pool[int(r() * len(self.form_pool))]
        ids = self.ids
        ids["visit"] += 1
        visit_id = ids["visit"]
        if day == clock.today_index:
            at = day * DAY + 7.5 * HOUR + r() * 3 * HOUR
        else:
            at = day * DAY + 8.5 * HOUR + r() * 9 * HOUR
        logged = min(at + 1200 + r() * 5400, clock.now - 60)
        logged_text = clock.ts(logged)
        (low, high), locations = self.forms[form]
        summaries = self.summaries[form]
        rows["visit"].append(
            (
                visit_id,
                unit.id,
                clock.date(day),
                form,
                locations[int(r() * len(locations))],
                low + int(r() * (high - low + 1)),
                summaries[int(r() * len(summaries))],
                author,
                logged_text,
                logged_text,
            )
        )
        cadres = {author}
        if r() < 0.45:
            cadres.add(unit.authors[int(r() * len(unit.authors))])
            if r() < 0.3:
                cadres.add(unit.authors[int(r() * len(unit.authors))])
        first = ids["visit_cadres"]
        ids["visit_cadres"] += len(cadres)
        rows["visit_cadres"].extend((first + n, visit_id, uid) for n, uid in enumerate(sorted(cadres), start=1))
        principles = self.principle_sets[int(r() * len(self.principle_sets))]
        first = ids["visit_principles"]
        ids["visit_principles"] += len(principles)
        rows["visit_principles"].extend((first + n, visit_id, p) for n, p in enumerate(principles, start=1))

        if showcase_index >= 0:
            (_ago, _form, category, priority, take, cycles, withdraw, solvability, public) = SHOWCASE[showcase_index]
            plan = (
                None if take is None else take * HOUR,
                [(w * DAY, c * DAY, s) for w, c, s in cycles],
                None if withdraw is None else withdraw * DAY,
                solvability,
            )
            self.concern(
                day=day,
                raised=logged,
                unit=unit,
                visit_id=visit_id,
                source=VISIT_SOURCE,
                owner=author,
                created_by=author,
                principles=principles[:1],
                category=category,
                priority=priority,
                plan=plan,
            )
            if public == SILENT:
                self.showcase_silent_public_concern(day=day, raised=logged + 3 * HOUR, unit=unit)
            elif public:
                self.showcase_public_concern(day=day, raised=logged + 3 * HOUR, unit=unit)
            return

        for i in range(self.concern_counts[int(r() * len(self.concern_counts))]):
            self.concern(
                day=day,
                raised=min(logged + i * 60, clock.now - 1),
                unit=unit,
                visit_id=visit_id,
                source=VISIT_SOURCE,
                owner=author,
                created_by=author,
                principles=principles[:1] if r() < 0.6 else [],
            )
        if r() < 0.05:  # someone used the public channel that day
            self.public_concern(day)
        if r() < 0.03:  # raised at a meeting or by phone, entered by a leader
            leader = unit.leaders[0]
            self.concern(
                day=day,
                raised=min(logged + HOUR, clock.now - 300),
                unit=unit,
                visit_id=None,
                source=OTHER_SOURCE,
                owner=unit.handlers[0],
                created_by=leader,
                principles=[],
            )
