"""The chasing ladder's history and the extension requests over each spell a concern was open.

As the services have it: a request only before the due date, by the owner, decided by a leader of
the unit other than the owner; an approval moves the due date and starts the ladder again; a
refusal says why. The rungs are those send_reminders writes each working day at the cron line's
time: their days from ladder.ladder_rung_from, their recipients from ladder.ladder_recipients, their
notes from ladder.ladder_note.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import TYPE_CHECKING

from .. import ladder
from ..services.extensions import extension_approved_note, extension_refused_note, extension_requested_note
from .clock import DAY, HOUR, LADDER_RUN
from .texts import EXTENSION_APPROVALS, EXTENSION_REASONS, EXTENSION_REFUSALS
from .values import APPROVED, INF, PENDING, REFUSED, K

if TYPE_CHECKING:
    from .organisation import DemoUnit

# Working days an owner asks for, by priority.
EXTENSION_DAYS = {"urgent": (3, 8), "normal": (5, 20), "long_term": (10, 40)}
RUNGS = [str(kind) for kind in ladder.LADDER_KINDS]
NAME, UNIT = "\x00name\x00", "\x00unit\x00"  # stand-ins no name or unit contains


class Chasing:
    """The ladder's part of the Generator (generator.py), whose state it shares."""

    def chase(
        self,
        concern_id: int,
        unit: DemoUnit,
        priority: str,
        owner: int | None,
        owner_since: float,
        start: float,
        due: int,
        until: float,
        events: list[tuple],
    ) -> tuple[int, int, float]:
        """One spell of a concern open or in progress, from `start` until `until`, due on day `due`:
        the owner's extension requests (延期申请) and a leader's decisions on them, then the rungs of
        the chasing ladder that the daily send_reminders wrote. Returns the due day as extended,
        the extensions granted, and when the concern came under supervision (INF: it did not).
        """
        calendar = self.calendar
        if until < calendar.reminded_from(due) * DAY + LADDER_RUN:
            return due, 0, INF  # done before the first reminder could go out: most concerns, quickly
        r, clock, now = self.rng.random, self.clock, self.clock.now
        rows, ids, ts, null = self.rows["extension"], self.ids, clock.ts, self.null
        granted, supervised, asked = 0, INF, 0
        decider = next((uid for uid in unit.leaders if uid != owner), None)
        # Asked for only when the work is still going at the end of the due day, and not always.
        while owner is not None and decider is not None and asked < 2 and until >= (due + 1) * DAY:
            if r() >= (0.45 if not asked else 0.2):
                break
            asked += 1
            at = calendar.add(due, -(1 + int(r() * 3))) * DAY + 9 * HOUR + r() * 8 * HOUR
            decided = at + (1 + r() * 30) * HOUR
            if at <= max(start, owner_since) + HOUR or at > now or decided >= until:
                break
            low, high = EXTENSION_DAYS[priority]
            wanted = calendar.add(due, low + int(r() * (high - low + 1)))
            reason = EXTENSION_REASONS[int(r() * len(EXTENSION_REASONS))]
            old, new = clock.date(due), clock.date(wanted)
            text = extension_requested_note(clock.day(due), clock.day(wanted), reason)
            events.append((at, K.EXTENSION_REQUESTED, owner, "", "", text, False))
            ids["extension"] += 1
            number = ids["extension"]
            if decided > now:  # still waiting for a leader today
                rows.append((number, concern_id, owner, old, new, reason, PENDING, null, null, "", ts(at)))
                break
            if r() < 0.75:
                note = EXTENSION_APPROVALS[int(r() * len(EXTENSION_APPROVALS))]
                shown = extension_approved_note(clock.day(due), clock.day(wanted), reason, note)
                events.append((decided, K.EXTENSION_APPROVED, decider, "", "", shown, True))
                rows.append((number, concern_id, owner, old, new, reason, APPROVED, decider, ts(decided), note, ts(at)))
                supervised = min(supervised, self.ladder(unit, owner, owner_since, start, due, decided, events))
                start, due = decided, wanted
                granted += 1
                continue
            note = EXTENSION_REFUSALS[int(r() * len(EXTENSION_REFUSALS))]
            events.append(
                (decided, K.EXTENSION_REFUSED, decider, "", "", extension_refused_note(clock.day(wanted), note), True)
            )
            rows.append((number, concern_id, owner, old, new, reason, REFUSED, decider, ts(decided), note, ts(at)))
            break
        supervised = min(supervised, self.ladder(unit, owner, owner_since, start, due, until, events))
        return due, granted, supervised

    def ladder(
        self, unit: DemoUnit, owner: int | None, owner_since: float, start: float, due: int, until: float, events: list
    ) -> float:
        """The rungs send_reminders wrote while the concern was open with this due date, from `start`
        until `until`: on each run (a working day), the next rung once its first day
        (ladder.ladder_rung_from) has come, one rung a day; a reminder only up to the due date.
        Returns when it came under supervision (INF: not in this spell)."""
        r, clock = self.rng.random, self.clock
        end = min(until, clock.now)
        first = self.calendar.first_run(start)  # the first run after the spell began
        schedule = self.schedules.get((first, due))
        if schedule is None:
            schedule = self.schedules[first, due] = self.schedule(first, due)
        came = INF
        for kind, on, days in schedule:
            at = on * DAY + LADDER_RUN + r() * 600  # the run takes a few minutes
            if at >= end:
                break
            note = self.rung_note(kind, unit, owner, at >= owner_since, due, days)
            events.append((at, kind, None, "", "", note, kind == K.SUPERVISED))
            if kind == K.SUPERVISED:
                came = at
        return came

    def schedule(self, first: int, due: int) -> list[tuple[str, int, int]]:
        """(rung, day, the days its note counts) of the rungs of a concern due on day `due` that is left
        alone from the run on day `first` on: the same for every such concern, so worked out once."""
        calendar = self.calendar
        day, done, rungs = first, {}, []
        for kind in RUNGS:
            on = max(day, calendar.rung_from(kind, due, done))
            if kind == K.REMINDED and on > due:
                continue  # first run after the due date: no reminder, the chase comes first
            rungs.append((kind, on, calendar.rung_days(kind, due, on)))
            done[kind] = on
            day = calendar.add(on, 1)
        return rungs

    def rung_note(self, kind: str, unit: DemoUnit, owner: int | None, owned: bool, due: int, days: int) -> str:
        """ladder.ladder_note of a rung, to whom ladder.ladder_recipients sends it (the owner only once
        the concern has one: `owned`)."""
        key = (kind, unit.id, owner if owned else None)
        found = self.recipients.get(key)
        if found is None:
            holder = self.users[owner] if owner is not None and owned else None
            concern = SimpleNamespace(owner=holder, owner_id=holder.pk if holder else None, unit=unit)
            people, level = ladder.ladder_recipients(concern, kind, self.leaders)
            found = self.recipients[key] = ([self.names[user.pk] for user in people], (level or unit).name)
        names, unit_name = found
        if len(names) != 1:
            return ladder.ladder_note(
                kind, due_date=self.clock.days[due + 1], days=days, names=names, unit_name=unit_name
            )
        # The note of this rung, due date and days, with stand-ins for the name and the unit, made once by
        # ladder.ladder_note: its translation is looked up once, not for each of half a million rungs.
        template = self.rung_notes.get((kind, due, days))
        if template is None:
            template = self.rung_notes[kind, due, days] = ladder.ladder_note(
                kind, due_date=self.clock.days[due + 1], days=days, names=[NAME], unit_name=UNIT
            )
        return template.replace(NAME, names[0]).replace(UNIT, unit_name)
