"""The callback's own ladder: who may call the person back, and how a late callback is chased.

A resolved concern awaits its callback (回访) until Concern.callback_due, CALLBACK_LIMIT_DAYS working
days after it joins the callback queue (services.concerns.callback_window; a public concern joins only
when its person's window to answer on the tracking page closes, and never without a contact, so it is
chased by nobody meanwhile). Run once a day by send_reminders,
on working days only, at most one rung a day, each rung once per resolution:
  CALLBACK_REMINDER  on the deadline day (or the first working day the run sees after it), to the
                     callers: the cadres and leaders of the concern's own unit other than the owner,
                     or of the nearest unit above that has any;
  CALLBACK_CHASE     催办, on the first working day after the deadline, to the same callers;
  CALLBACK_ESCALATE  CALLBACK_ESCALATE_AFTER_WORKING_DAYS working days after the chase, to the
                     leaders one level above the callers (the callers' own leaders at the top).
"Once per resolution": the rungs counted are those written since the concern was last resolved, so
a concern reopened and resolved again starts a new ladder. These are not the due date's rungs
(fieldwork.ladder): a late callback never marks the concern supervised. Each rung is an event without
an actor, not shown on the public timeline.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator, Sequence
from typing import Final

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import rollups, workdays
from .display import actor_name
from .ladder import LadderNotice, LeaderMap
from .models import Concern, ConcernEvent, Membership, ReminderLog, Unit
from .selectors import absolute_url
from .services import concerns as concern_services

K = ConcernEvent.Kind
CALLBACK_KINDS: Final = (K.CALLBACK_REMINDER, K.CALLBACK_CHASE, K.CALLBACK_ESCALATE)
CHUNK: Final = 1000


def escalate_after() -> int:
    return int(settings.FIELDWORK.get("CALLBACK_ESCALATE_AFTER_WORKING_DAYS", 2))


# --- the rules ------------------------------------------------------------------------------------


def callback_rungs_done(
    events: Iterable[tuple[str, datetime.datetime]], *, resolved_at: datetime.datetime | None
) -> dict[str, datetime.date]:
    """{callback rung: local day written} for the rungs written since the concern was last resolved."""
    done: dict[str, datetime.date] = {}
    for kind, created_at in sorted(events, key=lambda event: event[1]):
        if kind in CALLBACK_KINDS and (resolved_at is None or created_at >= resolved_at):
            done[kind] = timezone.localtime(created_at).date()
    return done


def callback_rung_from(kind: str, *, callback_due: datetime.date, done: dict[str, datetime.date]) -> datetime.date:
    """The first day on which the rung may be written (the rung before it must be in `done`)."""
    if kind == K.CALLBACK_REMINDER:
        return callback_due
    if kind == K.CALLBACK_CHASE:
        return max(workdays.next_working_day(callback_due), workdays.next_working_day(done[K.CALLBACK_REMINDER]))
    return workdays.add_working_days(done[K.CALLBACK_CHASE], escalate_after())


def callback_next_rung(
    *, callback_due: datetime.date, done: dict[str, datetime.date], today: datetime.date
) -> str | None:
    """The rung a concern awaiting its callback is due for today, or None; at most one a day, in order."""
    for kind in CALLBACK_KINDS:
        if kind not in done:
            return kind if today >= callback_rung_from(kind, callback_due=callback_due, done=done) else None
    return None


# --- who calls back, who is chased ----------------------------------------------------------------


class Callers:
    """Who may call back the person of a concern in a unit: the active cadres and leaders of the
    unit itself other than the owner, or of the nearest unit above that has any. Read once per
    unit and kept for the run (or the page)."""

    def __init__(self) -> None:
        self._members: dict[int, list[tuple[Unit, object]]] = {}

    def _load(self, ids: list[int]) -> None:
        missing = [unit_id for unit_id in ids if unit_id not in self._members]
        if not missing:
            return
        for unit_id in missing:
            self._members[unit_id] = []
        memberships = (
            Membership.objects.filter(
                unit_id__in=missing,
                unit__active=True,
                user__is_active=True,
                role__in=[Membership.Role.CADRE, Membership.Role.LEADER],
            )
            .select_related("user", "unit")
            .order_by("unit_id", "user__last_name", "user__first_name", "user_id")
        )
        for membership in memberships:
            people = self._members[membership.unit_id]
            if all(user.pk != membership.user_id for _unit, user in people):
                people.append((membership.unit, membership.user))

    def of(self, unit: Unit, *, exclude_id: int | None) -> tuple[Unit | None, list]:
        """(the unit whose people they are, the people), nearest unit first; (None, []) if nobody."""
        ids = [int(part) for part in unit.path.strip("/").split("/") if part]
        self._load(ids)
        for unit_id in reversed(ids):
            people = [(level, user) for level, user in self._members[unit_id] if user.pk != exclude_id]
            if people:
                return people[0][0], [user for _level, user in people]
        return None, []


def callback_callers(concern: Concern, callers: Callers | None = None) -> tuple[Unit | None, list]:
    """Who will call back the person who raised the concern (never its owner)."""
    return (callers or Callers()).of(concern.unit, exclude_id=concern.owner_id)


def callback_recipients(
    concern: Concern, kind: str, *, callers: Callers, leaders: LeaderMap
) -> tuple[list, Unit | None]:
    """Who a rung goes to, and the unit whose people they are.

    Reminder and chase: the callers. Escalation: the leaders of the nearest unit above the callers'
    unit that has leaders (other than the owner); at the top, the callers' own unit's leaders.
    """
    level, people = callback_callers(concern, callers)
    if kind != K.CALLBACK_ESCALATE:
        return people, level
    levels = leaders.levels(level or concern.unit, exclude_id=concern.owner_id)
    above = [(unit, users) for unit, users in levels if level is None or unit.pk != level.pk]
    if above:
        return above[0][1], above[0][0]
    return (levels[0][1], levels[0][0]) if levels else ([], None)


def concerns_due_a_callback_rung(*, today: datetime.date) -> Iterator[tuple[Concern, str]]:
    """(concern, rung) for every resolved concern due a callback rung today; a chunk at a time, in
    the order of the index `concern_callback_due`. callback_ladder_advance decides again under a lock."""
    candidates = Concern.objects.filter(
        status=Concern.Status.RESOLVED, callback_from__lte=today, callback_due__lte=today
    ).order_by("callback_due", "id")
    last = None
    while True:
        page = (
            candidates
            if last is None
            else candidates.filter(
                Q(callback_due__gt=last.callback_due) | Q(callback_due=last.callback_due, pk__gt=last.pk)
            )
        )
        chunk = list(page.only("id", "callback_due", "resolved_at", "status")[:CHUNK])
        if not chunk:
            return
        events: dict[int, list] = {}
        rows = ConcernEvent.objects.filter(
            concern__in=[concern.pk for concern in chunk], kind__in=CALLBACK_KINDS
        ).values_list("concern_id", "kind", "created_at")
        for concern_id, kind, created_at in rows:
            events.setdefault(concern_id, []).append((kind, created_at))
        for concern in chunk:
            done = callback_rungs_done(events.get(concern.pk, []), resolved_at=concern.resolved_at)
            rung = callback_next_rung(callback_due=concern.callback_due, done=done, today=today)
            if rung is not None:
                yield concern, rung
        last = chunk[-1]


# --- the rung written ----------------------------------------------------------------------------


def callback_rung_note(
    kind: str, *, callback_due: datetime.date, days_late: int, names: Sequence[str], unit_name: str
) -> str:
    """The timeline note of a callback rung, in the active language."""
    due = callback_due.isoformat()
    names = "、".join(names) or _("nobody (no one in the units above)")
    if kind == K.CALLBACK_REMINDER:
        return _("Callback due %(date)s. Reminder sent to %(names)s.") % {"date": due, "names": names}
    late = ngettext(
        "Callback due %(date)s, %(days)s working day late.",
        "Callback due %(date)s, %(days)s working days late.",
        days_late,
    ) % {"date": due, "days": days_late}
    if kind == K.CALLBACK_CHASE:
        return late + " " + _("Chased: sent to %(names)s.") % {"names": names}
    return late + " " + _("Sent to the leaders of %(unit)s: %(names)s.") % {"unit": unit_name, "names": names}


@rollups.in_step  # one transaction; the rollups read what changed at its end
def callback_ladder_advance(
    *,
    concern: Concern,
    today: datetime.date,
    leaders: LeaderMap | None = None,
    callers: Callers | None = None,
    now: datetime.datetime | None = None,
) -> ConcernEvent | None:
    """Write the concern's callback rung due today, if any; None if none is due (or not a working day).

    Idempotent: decided again under the concern's row lock from the events already written.
    """
    if not workdays.is_working_day(today):
        return None
    locked = Concern.objects.select_for_update(of=("self",)).select_related("unit", "owner").get(pk=concern.pk)
    if locked.status != Concern.Status.RESOLVED or locked.callback_due is None:
        return None
    if locked.callback_from is None or locked.callback_from > today:  # the person's own window, or no contact
        return None
    events = locked.events.filter(kind__in=CALLBACK_KINDS).values_list("kind", "created_at")
    done = callback_rungs_done(events, resolved_at=locked.resolved_at)
    kind = callback_next_rung(callback_due=locked.callback_due, done=done, today=today)
    if kind is None:
        return None
    recipients, level = callback_recipients(
        locked, kind, callers=callers or Callers(), leaders=leaders if leaders is not None else LeaderMap.load()
    )
    now = now or timezone.now()
    if timezone.localdate(now) != today:
        now = timezone.make_aware(datetime.datetime.combine(today, timezone.localtime(now).time()))
    note = callback_rung_note(
        kind,
        callback_due=locked.callback_due,
        days_late=workdays.days_overdue(locked.callback_due, today),
        names=[actor_name(user) for user in recipients],
        unit_name=(level or locked.unit).name,
    )
    return concern_services._event(locked, kind=kind, by=None, now=now, note=note, public=False)


def callback_ladder_run(*, today: datetime.date, leaders: LeaderMap, dry_run: bool = False) -> dict[str, int]:
    """Write today's callback rungs (send_reminders): {kind: how many}. Nothing on a non-working day."""
    written: dict[str, int] = {}
    if not workdays.is_working_day(today):
        return written
    callers = Callers()
    for concern, rung in concerns_due_a_callback_rung(today=today):
        if not dry_run:
            event = callback_ladder_advance(concern=concern, today=today, leaders=leaders, callers=callers)
            if event is None:
                continue
            rung = event.kind
        written[rung] = written.get(rung, 0) + 1
    return written


# --- the day's messages ---------------------------------------------------------------------------


def callback_mail(*, today: datetime.date, leaders: LeaderMap) -> dict[tuple[int, str], list[LadderNotice]]:
    """{(user id, digest kind): notices} of the callback rungs written today, like ladder.ladder_mail.

    They head each person's own digest (the callers are cadres as often as leaders)."""
    start = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
    end = start + datetime.timedelta(days=1)
    events = (
        ConcernEvent.objects.filter(
            kind__in=CALLBACK_KINDS, actor__isnull=True, created_at__gte=start, created_at__lt=end
        )
        .select_related("concern__unit", "concern__owner")
        .order_by("created_at", "id")
    )
    callers = Callers()
    mail: dict[tuple[int, str], list[LadderNotice]] = {}
    for event in events:
        recipients, _level = callback_recipients(event.concern, event.kind, callers=callers, leaders=leaders)
        notice = LadderNotice(
            event=event,
            concern=event.concern,
            url=absolute_url(event.concern.get_absolute_url()),
            days_overdue=workdays.days_overdue(event.concern.callback_due, today) if event.concern.callback_due else 0,
        )
        for user in recipients:
            mail.setdefault((user.pk, ReminderLog.Kind.OWNER), []).append(notice)
    return mail
