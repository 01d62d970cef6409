"""Each concern's life up to "now", as the services would have written it: raised, assigned, taken up,
assessed, its follow-up actions, resolved, its callbacks (a dissatisfied one reopens it with a new due
date), closed or withdrawn, with its extension requests and the chasing ladder (chasing.py) over the
spells it was open.

Due dates, references, versions and the timeline's notes come from the domain: the calendar and
services.concerns.default_due_date through clock.DemoCalendar, and each note from the service that
writes that event (in texts.DEMO_LANGUAGE, which seed() makes the active language).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..services.actions import action_added_note, action_done_note
from ..services.callbacks import attempt_note, callback_note, closed_note, no_answer_note, reopened_note
from ..services.concerns import assessed_note, public_no_answer_days, reassigned_note, reference_format
from .clock import DAY, HOUR, LADDER_RUN
from .texts import (
    ACTION_OUTCOMES,
    ACTION_TEXTS,
    FEEDBACK_COMMENTS,
    GIVEN_NAMES,
    POLICY_RESOLUTION,
    REOPEN_RESOLUTION_PREFIX,
    SURNAMES,
    UNREACHABLE_NOTE,
    UNREACHABLE_REASON,
    WITHDRAW_NOTES,
)
from .values import (
    BASIC,
    CHANGING_KINDS,
    CLOSED,
    DISSAT,
    IN_PERSON,
    IN_PROGRESS,
    INF,
    NO_ANSWER,
    OPEN,
    PHONE,
    PUBLIC,
    RESOLVED,
    SAT,
    SELF_SERVICE,
    UNREACHABLE,
    WITHDRAWN,
    K,
    when,
)

if TYPE_CHECKING:
    from .organisation import DemoUnit


class Lifecycle:
    """The concerns' part of the Generator (generator.py), whose state it shares."""

    def random_plan(self, priority: str) -> tuple:
        """(take-up delay, [(work, callback delay, satisfaction), ...], withdrawn after, solvability)."""
        r = self.rng.random
        x = r()
        if x < 0.70:
            take = 0.5 * HOUR + r() * 20 * HOUR
        elif x < 0.88:
            take = DAY + r() * 1.5 * DAY
        elif x < 0.97:
            take = 3 * DAY + r() * 7 * DAY
        else:
            take = 10 * DAY + r() * 80 * DAY
        solvability = self.solvability_pool[int(r() * len(self.solvability_pool))]
        if priority == "long_term" and solvability == "now":
            solvability = "long_term"
        cycles = []
        for round_ in range(3):
            x = r()
            if round_:
                work = (1 + r() * 4) if priority == "urgent" else (2 + r() * 18)
            elif x < 0.03:  # stuck for months
                work = 150 + r() * 350
            elif priority == "urgent":
                work = 1 + r() * 5 if x < 0.85 else 7 + r() * 18
            elif priority == "normal":
                work = 3 + r() * 25 if x < 0.80 else 29 + r() * 40
            else:
                work = 10 + r() * 75 if x < 0.80 else 86 + r() * 115
            callback = 0.5 + r() * 5.5 if r() < 0.85 else 7 + r() * 18
            x = r()
            satisfied_share = 0.70 if not round_ else 0.60
            satisfaction = SAT if x < satisfied_share else BASIC if x < 0.88 else DISSAT
            cycles.append((work * DAY, callback * DAY, satisfaction))
            if satisfaction != DISSAT:
                break
        withdraw = (0.2 + r() * 12) * DAY if r() < 0.025 else None
        return take, cycles, withdraw, solvability

    def concern(
        self,
        *,
        day: int,
        raised: float,
        unit: DemoUnit,
        visit_id: int | None,
        source: str,
        owner: int | None,
        created_by: int | None,
        principles: list[int],
        category: str | None = None,
        priority: str | None = None,
        plan: tuple | None = None,
        receipt: str = "",
        anonymous: bool = False,
    ) -> None:
        r, clock, rows, null, ids, ts = self.rng.random, self.clock, self.rows, self.null, self.ids, self.clock.ts
        assessed_notes = self.notes.get(assessed_note, {})
        callback_notes = self.notes.get(callback_note, {})
        now = clock.now
        ids["concern"] += 1
        concern_id = ids["concern"]
        year = clock.year(day)
        number = self.references[year] = self.references.get(year, 0) + 1
        priority = priority or self.priority_pool[int(r() * len(self.priority_pool))]
        category = category or self.category_pool[int(r() * len(self.category_pool))]
        category_id, titles, descriptions, resolutions = self.categories[category]
        pick = int(r() * 1000)
        title = titles[pick % len(titles)]
        description = descriptions[pick % len(descriptions)]
        resolution_text = resolutions[pick % len(resolutions)]
        anonymous = r() < (0.5 if source == PUBLIC else 0.1) or anonymous  # drawn even when given: same stream
        name = contact = ""
        if not anonymous:
            x = r()
            surname = SURNAMES[int(r() * len(SURNAMES))]
            if x < 0.6:
                name = surname + GIVEN_NAMES[int(r() * len(GIVEN_NAMES))]
            elif x < 0.85:
                name = surname + "师傅"
            if name and r() < 0.5:
                contact = f"分机 {6000 + int(r() * 4000)}"
        if source == PUBLIC:
            receipt = self.receipt_code(receipt)
        take, cycles, withdraw, solvability = plan or self.random_plan(priority)
        due_day = self.calendar.due(priority, day)
        # Spells open or in progress, each with the due date it had: (from, due day, until).
        spells: list[tuple[float, int, float]] = []
        spell_start = raised

        events: list[tuple] = [(raised, K.RAISED, created_by, "", OPEN, "", True)]
        status, version, reopens = OPEN, 1, 0
        callback_from = callback_due = None
        taken = resolved = closed = None
        resolution = ""
        withdraw_at = raised + withdraw if withdraw is not None and raised + withdraw <= now else INF
        periods: list[tuple[float, float | None]] = []
        feedback_rows = rows["feedback"]
        started = raised + take if take is not None else INF
        owner_at_raise = owner
        if owner is None and started - 900 < min(now, withdraw_at):  # a leader assigns it first
            owner = unit.handlers[int(r() * len(unit.handlers))]
            note = self.note(reassigned_note, "", self.names[owner])
            events.append((started - 900, K.REASSIGNED, unit.leaders[0], "", "", note, False))
            version += 1
        if started <= now and started < withdraw_at:
            taken, status = started, IN_PROGRESS
            events.append((started, K.STARTED, owner, OPEN, IN_PROGRESS, "", True))
            version += 1
            if started + 1800 <= now and started + 1800 < withdraw_at:
                note = assessed_notes.get(solvability) or self.note(assessed_note, solvability)
                events.append((started + 1800, K.ASSESSED, owner, "", "", note, False))
                version += 1
            else:
                solvability = ""
            begin = started
            for work, callback_delay, satisfaction in cycles:
                done_at = begin + work
                if done_at > now or done_at >= withdraw_at:
                    periods.append((begin, None))
                    break
                periods.append((begin, done_at))
                spells.append((spell_start, due_day, done_at))
                withdraw_at = INF  # a resolved concern is no longer withdrawn
                resolution = POLICY_RESOLUTION if solvability == "policy" else resolution_text
                if reopens:
                    resolution = REOPEN_RESOLUTION_PREFIX + resolution
                resolved, status = done_at, RESOLVED
                events.append((done_at, K.RESOLVED, owner, IN_PROGRESS, RESOLVED, resolution, True))
                version += 1
                # services.concerns.callback_window: when it joins the callback queue (None: never), its deadline
                callback_from, callback_due = self.calendar.callback_window(source, bool(contact), int(done_at // DAY))
                called = done_at + callback_delay
                if callback_from is None:
                    # Public, no contact: nobody can call. The person answers on the tracking page within their
                    # window, or never, and the daily run closes it as no answer the day after the window.
                    if r() < 0.3 or int(called // DAY) > callback_due:
                        closes = (callback_due + 1) * DAY + LADDER_RUN
                        if closes <= now:
                            note = self.note(no_answer_note, public_no_answer_days())
                            events.append((closes, K.NO_ANSWER, None, RESOLVED, NO_ANSWER, note, True))
                            closed, status = closes, NO_ANSWER
                            version += 1
                        break
                    channel, recorder = SELF_SERVICE, None
                elif source == PUBLIC and r() < 0.5:
                    channel, recorder = SELF_SERVICE, None
                else:
                    channel = PHONE if r() < 0.45 else IN_PERSON
                    recorder = unit.recorders[int(r() * len(unit.recorders))]
                    if recorder == owner:
                        others = [u for u in unit.recorders if u != owner]
                        recorder = others[int(r() * len(others))] if others else None
                        channel = channel if recorder else SELF_SERVICE
                    if recorder and called < callback_from * DAY + 9 * HOUR:  # a call once it is in the queue
                        called = callback_from * DAY + 9 * HOUR + r() * 8 * HOUR
                    if recorder and satisfaction != DISSAT and r() < 0.02:
                        satisfaction = UNREACHABLE  # now and then nobody answers the calls
                if called + 1 > now:  # the callback and the closing or reopening right after it
                    break
                if satisfaction == UNREACHABLE and called - 2 * DAY <= max(done_at, callback_from * DAY):
                    called += 2 * DAY  # the calls on three days all come after the resolution
                    if called + HOUR > now:
                        break
                if satisfaction == UNREACHABLE:  # calls on three days reach nobody; a leader closes it
                    self.unreachable(concern_id, unit, owner, called, events)
                    closed, status = called + HOUR, UNREACHABLE
                    version += 1
                    break
                comments = FEEDBACK_COMMENTS[satisfaction]
                comment = comments[int(r() * len(comments))]
                ids["feedback"] += 1
                feedback_rows.append(
                    (
                        ids["feedback"],
                        concern_id,
                        clock.date(int(called // DAY)),
                        channel,
                        satisfaction,
                        comment,
                        recorder if recorder else null,
                        ts(called),
                        clock.date(callback_due),  # the deadline when it was recorded
                    )
                )
                note = callback_notes.get((satisfaction, comment)) or self.note(callback_note, satisfaction, comment)
                events.append((called, K.CALLBACK, recorder, "", "", note, True))
                version += 1
                if satisfaction != DISSAT:
                    closed, status = called, CLOSED  # in the callback's transaction, as the service does
                    events.append((called, K.CLOSED, recorder, RESOLVED, CLOSED, self.note(closed_note), True))
                    break
                reopens += 1
                resolved, status = None, IN_PROGRESS
                due_day = self.calendar.due(priority, int(called // DAY))
                note = self.note(reopened_note, clock.day(due_day))
                events.append((called, K.REOPENED, recorder, RESOLVED, IN_PROGRESS, note, True))
                begin = spell_start = called
            else:  # every callback dissatisfied: back at work after the last one
                periods.append((begin, None))
        else:
            solvability = ""
        if withdraw_at <= now and status in (OPEN, IN_PROGRESS):
            spells.append((spell_start, due_day, withdraw_at))
            leader = unit.leaders[int(r() * len(unit.leaders))]
            note = WITHDRAW_NOTES[int(r() * len(WITHDRAW_NOTES))]
            events.append((withdraw_at, K.WITHDRAWN, leader, status, WITHDRAWN, note, True))
            status = WITHDRAWN
            version += 1
        else:
            if status in (OPEN, IN_PROGRESS):
                spells.append((spell_start, due_day, INF))
            if periods:
                self.actions(concern_id, periods, owner, priority, unit, events)
        # Extensions asked for and decided, and the chasing ladder, over each spell.
        owner_since = raised if owner_at_raise is not None else started - 900
        supervised_at = INF
        extensions = 0
        for first, due, until in spells:
            due, granted, supervised = self.chase(
                concern_id, unit, priority, owner, owner_since, first, due, until, events
            )
            extensions += granted
            version += granted
            supervised_at = min(supervised_at, supervised)
        if spells:
            due_day = due  # as the last spell left it, extended or not

        events.sort(key=when)
        true, false = self.true, self.false
        first_event = ids["event"]
        ids["event"] += len(events)
        raised_text = ts(raised)
        rows["event"] += [
            (
                first_event + number,
                concern_id,
                kind,
                actor or null,
                from_status,
                to_status,
                note,
                true if public else false,
                raised_text if number == 1 else ts(at),
            )
            for number, (at, kind, actor, from_status, to_status, note, public) in enumerate(events, start=1)
        ]
        # The events are in time order: the last change is the last event of a changing kind.
        last_change = next(event[0] for event in reversed(events) if event[1] in CHANGING_KINDS)
        rows["concern"].append(
            (
                concern_id,
                reference_format(year=year, number=number),
                unit.id,
                visit_id if visit_id else null,
                source,
                name,
                contact,
                self.true if anonymous else self.false,
                category_id,
                title,
                description,
                priority,
                solvability,
                clock.date(due_day),
                owner if owner else null,
                status,
                resolution,
                raised_text,
                ts(taken) if taken is not None else null,
                ts(resolved) if resolved is not None else null,
                ts(closed) if closed is not None else null,
                reopens,
                receipt,
                created_by or null,
                raised_text,
                ts(last_change),
                version,
                ts(supervised_at) if supervised_at < INF else null,
                extensions,
                clock.date(callback_due) if status == RESOLVED else null,
                clock.date(callback_from) if status == RESOLVED and callback_from is not None else null,
            )
        )
        if principles:
            first = ids["concern_principles"]
            ids["concern_principles"] += len(principles)
            rows["concern_principles"].extend(
                (first + number, concern_id, p) for number, p in enumerate(principles, start=1)
            )

    def unreachable(self, concern_id: int, unit: DemoUnit, owner, called: float, events: list) -> None:
        """Calls on the three days up to `called` that reach nobody (internal events), then a leader
        closes the concern as unreachable an hour later, as services.callbacks does."""
        caller = next((u for u in unit.recorders if u != owner), unit.leaders[0])
        ts, ids = self.clock.ts, self.ids
        for days_before in (2, 1, 0):
            at = called - days_before * DAY
            ids["attempt"] += 1
            self.rows["attempt"].append((ids["attempt"], concern_id, caller, ts(at), PHONE, UNREACHABLE_NOTE))
            events.append(
                (at, K.CALLBACK_ATTEMPT, caller, "", "", self.note(attempt_note, PHONE, UNREACHABLE_NOTE), False)
            )
        leader = unit.leaders[0] if unit.leaders[0] != owner or len(unit.leaders) == 1 else unit.leaders[1]
        events.append((called + HOUR, K.UNREACHABLE, leader, RESOLVED, UNREACHABLE, UNREACHABLE_REASON, True))

    def actions(
        self,
        concern_id: int,
        periods: list[tuple[float, float | None]],
        owner: int,
        priority: str,
        unit: DemoUnit,
        events: list[tuple],
    ) -> None:
        """Follow-up actions of each working period: several in the first, one after each reopening."""
        r, clock, null, ids, ts = self.rng.random, self.clock, self.null, self.ids, self.clock.ts
        now, due_days, calendar = clock.now, self.due_days[priority], self.calendar
        action_rows, principle_rows = self.rows["action"], self.rows["action_principles"]
        for index, (begin, end) in enumerate(periods):
            count = self.action_counts[int(r() * len(self.action_counts))] if index == 0 else 1
            gap = (end - begin) / (count + 1) if end is not None else (0.3 + r() * 2) * DAY
            for j in range(count):
                created = begin + (j + 1) * gap * (0.5 + r() * 0.5)
                if created > now:
                    break
                ids["action"] += 1
                action_id = ids["action"]
                doer = owner if r() < 0.75 else unit.authors[int(r() * len(unit.authors))]
                text = ACTION_TEXTS[-1] if index else ACTION_TEXTS[int(r() * (len(ACTION_TEXTS) - 1))]
                # a share of the concern's time, set on a working day
                due = calendar.working_from(int(created // DAY) + max(2, int(due_days * (0.3 + 0.7 * r()))))
                if end is not None:
                    done = created + (end - created) * (0.2 + 0.75 * r())
                else:
                    done = created + (1 + r() * due_days * 1.2) * DAY
                    done = done if done <= now else None
                outcome = ACTION_OUTCOMES[int(r() * len(ACTION_OUTCOMES))] if done is not None else ""
                action_rows.append(
                    (
                        action_id,
                        concern_id,
                        unit.id,
                        text,
                        doer,
                        clock.date(due),
                        ts(done) if done is not None else null,
                        outcome,
                        owner,
                        ts(created),
                    )
                )
                note = action_added_note(text, self.names[doer], clock.day(due))
                events.append((created, K.ACTION_ADDED, owner, "", "", note, False))
                if done is not None:
                    events.append(
                        (done, K.ACTION_DONE, doer, "", "", self.note(action_done_note, text, outcome), False)
                    )
                if r() < 0.25:
                    principle = self.principles[int(r() * len(self.principles))]
                    ids["action_principles"] += 1
                    principle_rows.append((ids["action_principles"], action_id, principle))
