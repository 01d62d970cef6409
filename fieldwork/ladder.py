"""The chasing ladder whole: its rules, who is chased, the rung written and the day's messages.

Run once a day, on working days only. For each open or in-progress concern, at most one rung a
day, each rung once per due date:
  REMINDED    to the owner, when the due date is REMIND_BEFORE_WORKING_DAYS working days away or less;
  CHASED      催办, to the owner, on the first working day after the due date;
  SUPERVISED  督办, to the unit's leaders (the nearest unit up the tree that has leaders), when
              SUPERVISE_AFTER_WORKING_DAYS working days have passed since the chase; marks the
              concern supervised;
  NOTICE      通报, to the leaders one level above those, when NOTICE_AFTER_WORKING_DAYS working
              days have passed since supervision (the top leaders themselves if none is above).
"Once per due date": a new due date (changed by a leader, extended, or set by a dissatisfied
callback) starts the ladder again, because the rungs counted are those written after the latest
such event. Each rung is an event without an actor on the concern; only supervision is public.
A concern nobody owns is reminded and chased through the unit's leaders.

send_reminders runs it: concerns_due_a_rung finds the candidates, concern_ladder_advance writes each
rung under the concern's lock, ladder_mail gathers the day's rungs by recipient for the digests.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Final

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import rollups, workdays
from .display import actor_name
from .models import Concern, ConcernEvent, Membership, ReminderLog, Unit
from .selectors import absolute_url
from .services import concerns as concern_services

# --- the rules ------------------------------------------------------------------------------------

LADDER_KINDS = (
    ConcernEvent.Kind.REMINDED,
    ConcernEvent.Kind.CHASED,
    ConcernEvent.Kind.SUPERVISED,
    ConcernEvent.Kind.NOTICE,
)
# Events that give the concern a new due date, and so start its ladder again.
DUE_SETTING_KINDS = (
    ConcernEvent.Kind.DUE_CHANGED,
    ConcernEvent.Kind.EXTENSION_APPROVED,
    ConcernEvent.Kind.REOPENED,
)


def ladder_settings() -> tuple[int, int, int]:
    """(remind before, supervise after, notice after), in working days."""
    fw = settings.FIELDWORK
    return (
        int(fw.get("REMIND_BEFORE_WORKING_DAYS", 2)),
        int(fw.get("SUPERVISE_AFTER_WORKING_DAYS", 3)),
        int(fw.get("NOTICE_AFTER_WORKING_DAYS", 6)),
    )


def ladder_rungs_done(events: Iterable[tuple[str, datetime.datetime]]) -> dict[str, datetime.date]:
    """{ladder kind: local day written} for the rungs written since the concern's latest due date.

    `events` are (kind, created_at) of the concern's ladder and due-setting events, in any order.
    """
    ordered = sorted(events, key=lambda event: event[1])
    done: dict[str, datetime.date] = {}
    for kind, created_at in ordered:
        if kind in DUE_SETTING_KINDS:
            done = {}
        elif kind in LADDER_KINDS:
            done[kind] = timezone.localtime(created_at).date()
    return done


def ladder_rung_from(kind: str, *, due_date: datetime.date, done: dict[str, datetime.date]) -> datetime.date:
    """The first day on which the rung may be written, given the rungs done since the due date was set.

    REMINDED: the first day with at most REMIND working days left to the due date (a day with more
    left has the (REMIND + 1)-th working day at or before the due date still ahead);
    CHASED: the first working day after the due date; SUPERVISED and NOTICE: SUPERVISE and NOTICE
    working days after the rung before them (which must be in `done`).
    """
    remind, supervise, notice = ladder_settings()
    if kind == ConcernEvent.Kind.REMINDED:
        return workdays.add_working_days(due_date, -(remind + (0 if workdays.is_working_day(due_date) else 1)))
    if kind == ConcernEvent.Kind.CHASED:
        return workdays.next_working_day(due_date)
    if kind == ConcernEvent.Kind.SUPERVISED:
        return workdays.add_working_days(done[ConcernEvent.Kind.CHASED], supervise)
    return workdays.add_working_days(done[ConcernEvent.Kind.SUPERVISED], notice)


def ladder_next_rung(*, due_date: datetime.date, done: dict[str, datetime.date], today: datetime.date) -> str | None:
    """The rung an active concern is due for today, or None; at most one a day, in order."""
    if today <= due_date:
        reminded = ConcernEvent.Kind.REMINDED
        if reminded in done or today < ladder_rung_from(reminded, due_date=due_date, done=done):
            return None
        return reminded
    if today < ladder_rung_from(ConcernEvent.Kind.CHASED, due_date=due_date, done=done):
        return None  # past the due date, but no working day yet since it (a weekend, a holiday)
    for kind in (ConcernEvent.Kind.CHASED, ConcernEvent.Kind.SUPERVISED, ConcernEvent.Kind.NOTICE):
        if kind not in done:
            return kind if today >= ladder_rung_from(kind, due_date=due_date, done=done) else None
    return None


# --- who is chased -------------------------------------------------------------------------------

LADDER_CHUNK: Final = 1000


@dataclass
class LeaderMap:
    """The active leaders of every active unit, read once per run: {unit id: [users]}."""

    by_unit: dict[int, list]
    units: dict[int, Unit]

    @classmethod
    def load(cls) -> LeaderMap:
        by_unit: dict[int, list] = {}
        units: dict[int, Unit] = {}
        memberships = (
            Membership.objects.filter(role=Membership.Role.LEADER, unit__active=True, user__is_active=True)
            .select_related("user", "unit")
            .order_by("unit_id", "user__last_name", "user__first_name", "user_id")
        )
        for membership in memberships:
            by_unit.setdefault(membership.unit_id, []).append(membership.user)
            units[membership.unit_id] = membership.unit
        return cls(by_unit=by_unit, units=units)

    def levels(self, unit: Unit, *, exclude_id: int | None = None) -> list[tuple[Unit, list]]:
        """(unit, its leaders) for the unit and each unit above it that has leaders, nearest first.

        `exclude_id` leaves out a person (the concern's owner: nobody supervises themself).
        """
        ids = [int(part) for part in unit.path.strip("/").split("/") if part]
        levels = []
        for unit_id in reversed(ids):
            people = [user for user in self.by_unit.get(unit_id, []) if user.pk != exclude_id]
            if people:
                levels.append((self.units[unit_id], people))
        return levels


def ladder_recipients(concern: Concern, kind: str, leaders: LeaderMap) -> tuple[list, Unit | None]:
    """Who a rung of the ladder goes to, and the unit whose leaders they are (None for the owner).

    Reminder and chase: the owner (the unit's nearest leaders if nobody owns it or the owner has
    left). Supervision: the nearest leaders up the tree other than the owner. Notice: the leaders
    one level above those, or the same leaders at the top of the tree.
    """
    owner = concern.owner
    if kind in (ConcernEvent.Kind.REMINDED, ConcernEvent.Kind.CHASED) and owner is not None and owner.is_active:
        return [owner], None
    levels = leaders.levels(concern.unit, exclude_id=concern.owner_id)
    if not levels:
        return [], None
    if kind == ConcernEvent.Kind.NOTICE and len(levels) > 1:
        return levels[1][1], levels[1][0]
    return levels[0][1], levels[0][0]


def concerns_due_a_rung(*, today: datetime.date) -> Iterator[tuple[Concern, str]]:
    """(concern, rung) for every open or in-progress concern due a rung of the ladder today.

    Reads the candidates (due within the reminder horizon or overdue) and their ladder events a
    chunk at a time; concern_ladder_advance decides again under a lock before writing.
    """
    remind, _supervise, _notice = ladder_settings()
    horizon = workdays.add_working_days(today, remind)
    candidates = Concern.objects.active().filter(due_date__lte=horizon).order_by("due_date", "id")
    last = None
    while True:
        page = (
            candidates
            if last is None
            else candidates.filter(Q(due_date__gt=last.due_date) | Q(due_date=last.due_date, pk__gt=last.pk))
        )
        chunk = list(page.only("id", "due_date", "status")[:LADDER_CHUNK])
        if not chunk:
            return
        events: dict[int, list] = {}
        rows = ConcernEvent.objects.filter(
            concern__in=[concern.pk for concern in chunk], kind__in=LADDER_KINDS + DUE_SETTING_KINDS
        ).values_list("concern_id", "kind", "created_at")
        for concern_id, kind, created_at in rows:
            events.setdefault(concern_id, []).append((kind, created_at))
        for concern in chunk:
            done = ladder_rungs_done(events.get(concern.pk, []))
            rung = ladder_next_rung(due_date=concern.due_date, done=done, today=today)
            if rung is not None:
                yield concern, rung
        last = chunk[-1]


# --- the rung written ----------------------------------------------------------------------------


def _ladder_note(concern: Concern, kind: str, *, today: datetime.date, recipients, level: Unit | None) -> str:
    unit = level if level is not None else concern.unit
    names = [actor_name(user) for user in recipients]
    if kind == ConcernEvent.Kind.REMINDED:
        days = workdays.working_days_between(today, concern.due_date)
    else:
        days = workdays.days_overdue(concern.due_date, today)
    return ladder_note(kind, due_date=concern.due_date, days=days, names=names, unit_name=unit.name)


def ladder_note(kind: str, *, due_date: datetime.date, days: int, names: Sequence[str], unit_name: str) -> str:
    """The timeline note of a rung, in the active language: the due date, `days` (working days left for
    a reminder, working days overdue for the others, counted on the day it is written), and who it
    went to (`unit_name`: the unit whose leaders they are, or the concern's)."""
    due = due_date.isoformat()
    names = "、".join(names) or _("nobody (no leader in the units above)")
    if kind == ConcernEvent.Kind.REMINDED:
        left = days
        when = (
            _("due today")
            if left <= 0
            else ngettext("due in %(days)s working day", "due in %(days)s working days", left) % {"days": left}
        )
        return _("Due %(date)s, %(when)s. Reminder sent to %(names)s.") % {"date": due, "when": when, "names": names}
    overdue = days
    late = ngettext(
        "Due %(date)s, %(days)s working day overdue.", "Due %(date)s, %(days)s working days overdue.", overdue
    ) % {"date": due, "days": overdue}
    if kind == ConcernEvent.Kind.CHASED:
        return late + " " + _("Chased: sent to %(names)s.") % {"names": names}
    if kind == ConcernEvent.Kind.SUPERVISED:
        return late + " " + _("Supervised by the leaders of %(unit)s: %(names)s.") % {"unit": unit_name, "names": names}
    return late + " " + _("Notice sent to the leaders of %(unit)s: %(names)s.") % {"unit": unit_name, "names": names}


@rollups.in_step  # one transaction; the rollups read what changed at its end
def concern_ladder_advance(
    *, concern: Concern, today: datetime.date, leaders=None, now: datetime.datetime | None = None
) -> ConcernEvent | None:
    """Write the concern's rung of the chasing ladder due today, if any; None if none is due.

    The event is dated `today` (at the current time of day), whatever the clock says.
    Idempotent: the rung is decided again under the concern's row lock from the events already
    written, so a second run (even at the same moment on another machine) writes nothing. Setting
    `supervised_at` is not a new version of the concern: nobody's edit should fail because the
    leaders started to supervise it overnight.
    """
    if not workdays.is_working_day(today):
        return None
    locked = Concern.objects.select_for_update(of=("self",)).select_related("unit", "owner").get(pk=concern.pk)
    if not locked.is_active:
        return None
    events = locked.events.filter(kind__in=LADDER_KINDS + DUE_SETTING_KINDS).values_list("kind", "created_at")
    kind = ladder_next_rung(due_date=locked.due_date, done=ladder_rungs_done(events), today=today)
    if kind is None:
        return None
    leaders = leaders if leaders is not None else LeaderMap.load()
    recipients, level = ladder_recipients(locked, kind, leaders)
    now = now or timezone.now()
    if timezone.localdate(now) != today:
        # Acting as if it were another day (send_reminders --today): the rung is dated that day,
        # since the next rungs count their working days from it.
        now = timezone.make_aware(datetime.datetime.combine(today, timezone.localtime(now).time()))
    if kind == ConcernEvent.Kind.SUPERVISED and locked.supervised_at is None:
        Concern.objects.filter(pk=locked.pk).update(supervised_at=now)
        concern.supervised_at = locked.supervised_at = now
        concern_services._history(locked, by=None, now=now)
    return concern_services._event(
        locked,
        kind=kind,
        by=None,
        now=now,
        note=_ladder_note(locked, kind, today=today, recipients=recipients, level=level),
        public=kind == ConcernEvent.Kind.SUPERVISED,
    )


# --- the day's messages ---------------------------------------------------------------------------


@dataclass
class LadderNotice:
    """One rung written today, as one line of a recipient's digest."""

    event: ConcernEvent
    concern: Concern
    url: str
    days_overdue: int


def ladder_mail(*, today: datetime.date, leaders: LeaderMap) -> dict[tuple[int, str], list[LadderNotice]]:
    """{(user id, "owner" or "leader"): notices}: the rungs written today (local day) by recipient,
    and whether they go in that person's owner digest or leader digest.

    Built from the events, not from what a run remembers, so a run that stopped after writing
    its events still mails them when it runs again that day.
    """
    start = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
    end = start + datetime.timedelta(days=1)
    events = (
        ConcernEvent.objects.filter(
            kind__in=LADDER_KINDS, actor__isnull=True, created_at__gte=start, created_at__lt=end
        )
        .select_related("concern__unit", "concern__owner")
        .order_by("created_at", "id")
    )
    mail: dict[tuple[int, str], list[LadderNotice]] = {}
    for event in events:
        recipients, level = ladder_recipients(event.concern, event.kind, leaders)
        notice = LadderNotice(
            event=event,
            concern=event.concern,
            url=absolute_url(event.concern.get_absolute_url()),
            days_overdue=workdays.days_overdue(event.concern.due_date, today),
        )
        digest = ReminderLog.Kind.OWNER if level is None else ReminderLog.Kind.LEADER
        for user in recipients:
            mail.setdefault((user.pk, digest), []).append(notice)
    return mail
