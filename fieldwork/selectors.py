"""Reads that aggregate: overdue lists, my-work lists, reminder digests, dashboard figures.

Every read starts from what the user may see (scope), so a page, an export and a mail built on
these functions never show a row outside the reader's units.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Final

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from . import permissions, scope, workdays
from .models import (
    CallbackAttempt,
    Concern,
    ConcernEvent,
    DueDateShift,
    ExtensionRequest,
    Feedback,
    FollowUpAction,
    Membership,
    Unit,
    Visit,
)
from .paging import count_capped

DUE_SOON_DAYS: Final = 7
RECENTLY_CLOSED_DAYS: Final = 30
MY_WORK_ROWS: Final = 20  # per section; each links to the whole list

# The owner filter's value for "nobody owns it" (django-filter's null choice).
UNASSIGNED: Final = "null"


# ---------------------------------------------------------------------------------------------
# Overdue
# ---------------------------------------------------------------------------------------------


def actions_visible_to(user) -> QuerySet[FollowUpAction]:
    """Follow-up actions whose concern the user may see (an action carries its concern's unit)."""
    actions = FollowUpAction.objects.all()
    if user.is_authenticated and user.is_superuser:
        return actions
    return actions.filter(unit__in=scope.visible_units(user))


def concerns_overdue(
    *, user, today: datetime.date, unit: Unit | None = None, owner=None, supervised: bool = False
) -> QuerySet[Concern]:
    """Concerns open or in progress past their due date, most overdue first.

    The status and due-date conditions match the partial index `concern_open_due`, so the
    database walks only open concerns in due-date order. `owner` is a user, UNASSIGNED or None;
    `supervised` keeps only the concerns under supervision (督办).
    """
    concerns = Concern.objects.visible_to(user).overdue(today)
    if unit is not None:
        concerns = concerns.filter(unit__path__startswith=unit.path)
    if owner == UNASSIGNED:
        concerns = concerns.filter(owner__isnull=True)
    elif owner is not None:
        concerns = concerns.filter(owner=owner)
    if supervised:
        concerns = concerns.filter(supervised_at__isnull=False)
    return concerns.select_related("unit", "owner").order_by("due_date", "id")


def actions_overdue(
    *, user, today: datetime.date, unit: Unit | None = None, owner=None, supervised: bool = False
) -> QuerySet[FollowUpAction]:
    """Follow-up actions not done past their due date, most overdue first (indexes `action_open_due`, and
    `action_unit_open_due` for a subtree).

    An action always has an owner, so the UNASSIGNED filter selects none; `supervised` keeps the
    actions of supervised concerns.
    """
    actions = actions_visible_to(user).filter(done_at__isnull=True, due_date__lt=today)
    if unit is not None:
        actions = actions.filter(unit__path__startswith=unit.path)
    if owner == UNASSIGNED:
        actions = actions.none()
    elif owner is not None:
        actions = actions.filter(owner=owner)
    if supervised:
        actions = actions.filter(concern__supervised_at__isnull=False)
    return actions.select_related("concern__unit", "owner").order_by("due_date", "id")


def concerns_supervised(*, user, unit: Unit | None = None, finished: bool = False) -> QuerySet[Concern]:
    """Concerns under supervision (督办) that the user may see, most overdue first.

    By default only those still open or in progress; `finished` shows the resolved, closed and
    withdrawn ones too (a concern once supervised stays on the record). Ordered by (due_date, id)
    for keyset pages; the partial index `concern_supervised_due` serves it. Each row carries
    `noticed`: whether a notice (通报) went to the leaders above.
    """
    concerns = Concern.objects.visible_to(user).filter(supervised_at__isnull=False)
    if not finished:
        concerns = concerns.active()
    if unit is not None:
        concerns = concerns.filter(unit__path__startswith=unit.path)
    noticed = ConcernEvent.objects.filter(concern=OuterRef("pk"), kind=ConcernEvent.Kind.NOTICE)
    return concerns.select_related("unit", "owner").annotate(noticed=Exists(noticed)).order_by("due_date", "id")


def days_overdue(due_date: datetime.date, today: datetime.date) -> int:
    """Working days past the due date (fieldwork.workdays, the one place deadlines are counted)."""
    return workdays.days_overdue(due_date, today)


# ---------------------------------------------------------------------------------------------
# Callbacks (回访) awaited
# ---------------------------------------------------------------------------------------------


def callbacks_awaiting(
    *,
    user,
    today: datetime.date,
    unit: Unit | None = None,
    overdue: bool = False,
    due_from: datetime.date | None = None,
    due_to: datetime.date | None = None,
    direct: bool = False,
) -> QuerySet[Concern]:
    """Resolved concerns waiting for their callback that the user may see, oldest deadline first.

    `direct` keeps the units where the user holds a membership themself (not the units below them:
    a root cadre must not get the whole company's queue), without the concerns they own (the one
    who did the work does not grade it): my work's queue. `overdue` keeps those past their callback
    deadline today. Only concerns whose day to join the queue has come (callback_from on or before
    today): a public concern is in no queue while its person can still answer on the tracking page,
    nor ever when they left no contact (services.concerns.callback_window). Ordered by
    (callback_due, id) for keyset pages; the partial indexes `concern_callback_due` and
    `concern_unit_callback_due` serve it.
    """
    concerns = Concern.objects.visible_to(user).filter(status=Concern.Status.RESOLVED, callback_from__lte=today)
    if direct:
        own_units = Membership.objects.filter(user=user, unit__active=True).values("unit_id")
        concerns = concerns.filter(unit__in=own_units).exclude(owner=user)
    if unit is not None:
        concerns = concerns.filter(unit__path__startswith=unit.path)
    if overdue:
        concerns = concerns.filter(callback_due__lt=today)
    if due_from is not None:
        concerns = concerns.filter(callback_due__gte=due_from)
    if due_to is not None:
        concerns = concerns.filter(callback_due__lte=due_to)
    return concerns.select_related("unit", "owner").order_by("callback_due", "id")


def with_attempts(concerns: QuerySet[Concern]) -> QuerySet[Concern]:
    """The queue's concerns with the calls that reached nobody: how many (attempt_count) and the last
    (last_attempt_at). Two subqueries per row of the page that the database answers from the index
    `attempt_concern_time`, in the same query: no query per row. Apply it to the page, not to the count."""
    attempts = CallbackAttempt.objects.filter(concern=OuterRef("pk")).order_by()
    return concerns.annotate(
        attempt_count=Coalesce(Subquery(attempts.values("concern").annotate(n=Count("id")).values("n")), 0),
        last_attempt_at=Subquery(attempts.order_by("-at").values("at")[:1]),
    )


def callback_rows(concerns, *, user, today: datetime.date) -> list[Concern]:
    """The queue's rows marked for the page: working days late, and whether the reader sees the contact
    (permissions.contact_visible, the detail page's rule). Reads no more rows."""
    rows = list(concerns)
    for concern in rows:
        concern.callback_days_late = workdays.days_overdue(concern.callback_due, today) if concern.callback_due else 0
        concern.contact_shown = permissions.contact_visible(concern=concern, user=user)
    return rows


# ---------------------------------------------------------------------------------------------
# My work
# ---------------------------------------------------------------------------------------------


@dataclass
class WorkItem:
    """A row of my work: a concern, or a follow-up action on a concern."""

    concern: Concern
    due_date: datetime.date
    today: datetime.date
    action: FollowUpAction | None = None

    @property
    def days_overdue(self) -> int:
        return days_overdue(self.due_date, self.today)

    @property
    def days_left(self) -> int:
        return (self.due_date - self.today).days

    @property
    def sort_key(self) -> tuple:
        return (self.due_date, self.action is not None, (self.action or self.concern).pk)


@dataclass
class WorkSection:
    items: list[WorkItem]
    more: bool  # rows beyond the section's limit were left out


def _section(concerns: QuerySet, actions: QuerySet | None, *, today, limit: int) -> WorkSection:
    items = [WorkItem(concern=c, due_date=c.due_date, today=today) for c in concerns[: limit + 1]]
    if actions is not None:
        items += [WorkItem(concern=a.concern, action=a, due_date=a.due_date, today=today) for a in actions[: limit + 1]]
    items.sort(key=lambda item: item.sort_key)
    return WorkSection(items=items[:limit], more=len(items) > limit)


def leader_paths(user) -> list[str]:
    """Unit paths where the user is a leader (their subtrees are what they lead)."""
    return [path for path, role in scope.memberships_of(user) if role == Membership.Role.LEADER]


def due_shifts_pending(*, user) -> QuerySet:
    """Due dates a new calendar would move, of open concerns in the units the user leads, soonest first."""
    paths = [] if user.is_superuser else leader_paths(user)
    shifts = DueDateShift.objects.filter(applied_at__isnull=True, concern__status__in=Concern.ACTIVE_STATUSES)
    if not user.is_superuser:
        shifts = shifts.filter(scope.subtree_q(paths, "concern__unit__path"))
    return shifts.filter(concern__due_date=F("due_date_before")).select_related("concern", "concern__unit")


def my_work(*, user, today: datetime.date | None = None, limit: int | None = None) -> dict:
    """What a signed-in person should look at first, in a fixed number of queries.

    Sections: overdue, due in the next 7 days, later, recently resolved or closed (30 days);
    for a leader also the active concerns nobody owns in the units they lead. Each section
    holds at most `limit` rows.
    """
    today = today or timezone.localdate()
    limit = MY_WORK_ROWS if limit is None else limit
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    # A reopened concern carries the person's words from the callback that reopened it, to stand out.
    words = Feedback.objects.filter(concern=OuterRef("pk"), satisfaction=Feedback.Satisfaction.DISSATISFIED)
    concerns = (
        Concern.objects.visible_to(user)
        .active()
        .filter(owner=user)
        .annotate(reopened_words=Subquery(words.order_by("-created_at", "-id").values("comment")[:1]))
        .select_related("unit")
        .order_by("due_date", "id")
    )
    actions = (
        actions_visible_to(user)
        .filter(owner=user, done_at__isnull=True)
        .select_related("concern__unit")
        .order_by("due_date", "id")
    )
    sections = {
        "overdue": _section(
            concerns.filter(due_date__lt=today), actions.filter(due_date__lt=today), today=today, limit=limit
        ),
        "due_soon": _section(
            concerns.filter(due_date__gte=today, due_date__lte=soon),
            actions.filter(due_date__gte=today, due_date__lte=soon),
            today=today,
            limit=limit,
        ),
        "later": _section(
            concerns.filter(due_date__gt=soon), actions.filter(due_date__gt=soon), today=today, limit=limit
        ),
    }
    start = timezone.make_aware(
        datetime.datetime.combine(today - datetime.timedelta(days=RECENTLY_CLOSED_DAYS), datetime.time.min)
    )
    recently_closed = list(
        Concern.objects.visible_to(user)
        .filter(owner=user, status__in=Concern.DONE_STATUSES)
        .annotate(finished_at=Coalesce("closed_at", "resolved_at"))
        .filter(finished_at__gte=start)
        .select_related("unit")
        .order_by("-finished_at", "-id")[:limit]
    )
    leads = scope.leads_anything(user)
    unassigned = None
    if leads:
        pool = Concern.objects.visible_to(user).active().filter(owner__isnull=True)
        if not user.is_superuser:
            pool = pool.filter(scope.subtree_q(leader_paths(user), field="unit__path"))
        unassigned = _section(pool.select_related("unit").order_by("due_date", "id"), None, today=today, limit=limit)
    extension_requests = None
    if leads:
        extension_requests = list(extensions_pending(user=user)[:limit])
    queue = callbacks_awaiting(user=user, today=today, direct=True)
    callbacks_count, callbacks_capped = count_capped(queue)
    return {
        "callbacks": callback_rows(with_attempts(queue)[:limit], user=user, today=today),
        "callbacks_count": callbacks_count,
        "callbacks_capped": callbacks_capped,
        "today": today,
        "limit": limit,
        **sections,
        "recently_closed": recently_closed,
        "is_leader": leads,
        "unassigned": unassigned,
        "extension_requests": extension_requests,
        "recent_visits": list(
            Visit.objects.visible_to(user).filter(author=user).select_related("unit").order_by("-date", "-id")[:5]
        ),
    }


def extensions_pending(*, user) -> QuerySet[ExtensionRequest]:
    """Extension requests waiting for this leader's decision: in the units they lead, asked by
    someone else (nobody decides on their own request), oldest first (index `extension_pending`)."""
    pending = ExtensionRequest.objects.filter(status=ExtensionRequest.Status.PENDING).exclude(requested_by=user)
    if not (user.is_authenticated and user.is_superuser):
        pending = pending.filter(scope.subtree_q(leader_paths(user), field="concern__unit__path"))
    return pending.select_related("concern__unit", "requested_by").order_by("created_at", "id")


# ---------------------------------------------------------------------------------------------
# Reminder digests (send_reminders)
# ---------------------------------------------------------------------------------------------


DIGEST_ROWS: Final = 50


@dataclass
class DigestPart:
    """Concerns or actions of a digest: the first rows, and how many there are in all."""

    rows: list
    total: int
    capped: bool = False

    @property
    def more(self) -> int:
        return self.total - len(self.rows)


def owner_digest(*, user, today: datetime.date, days: int, limit: int = DIGEST_ROWS) -> tuple[DigestPart, DigestPart]:
    """What a person owns that is overdue or due within `days` days: (concerns, actions)."""
    horizon = today + datetime.timedelta(days=days)
    concerns = (
        Concern.objects.visible_to(user)
        .active()
        .filter(owner=user, due_date__lte=horizon)
        .select_related("unit")
        .order_by("due_date", "id")
    )
    actions = (
        actions_visible_to(user)
        .filter(owner=user, done_at__isnull=True, due_date__lte=horizon)
        .select_related("concern__unit")
        .order_by("due_date", "id")
    )
    return _digest_part(concerns, limit), _digest_part(actions, limit)


def leader_digest(*, user, today: datetime.date, limit: int = DIGEST_ROWS) -> tuple[DigestPart, DigestPart]:
    """What is overdue in the units a person leads (their leader memberships' subtrees)."""
    paths = leader_paths(user)
    concerns = (
        Concern.objects.overdue(today)
        .filter(scope.subtree_q(paths, field="unit__path"))
        .select_related("unit", "owner")
        .order_by("due_date", "id")
    )
    actions = (
        FollowUpAction.objects.filter(
            scope.subtree_q(paths, field="unit__path"), done_at__isnull=True, due_date__lt=today
        )
        .select_related("concern__unit", "owner")
        .order_by("due_date", "id")
    )
    return _digest_part(concerns, limit), _digest_part(actions, limit)


def _digest_part(queryset: QuerySet, limit: int) -> DigestPart:
    rows = list(queryset[: limit + 1])
    if len(rows) <= limit:
        return DigestPart(rows=rows, total=len(rows))
    total, capped = count_capped(queryset)
    return DigestPart(rows=rows[:limit], total=total, capped=capped)


def absolute_url(path: str) -> str:
    """A link for a mail: the configured public base URL and a path."""
    return settings.FIELDWORK["PUBLIC_BASE_URL"].rstrip("/") + path


# ---------------------------------------------------------------------------------------------
# The monthly ledger (台账): views/reports.py
# ---------------------------------------------------------------------------------------------


def _ledger_bounds(first: datetime.date, last: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    from .rollups import day_start

    return day_start(first), day_start(last + datetime.timedelta(days=1))


def ledger_visits(*, unit: Unit, first: datetime.date, last: datetime.date) -> QuerySet[Visit]:
    """The visits of a unit's subtree dated in [first, last], oldest first (index visit_unit_date).

    Iterate with `.iterator(chunk_size=...)`: the cadres and principles are prefetched per chunk.
    """
    return (
        Visit.objects.in_subtree(unit)
        .filter(date__gte=first, date__lte=last)
        .select_related("unit")
        .prefetch_related("cadres", "principles")
        .order_by("date", "id")
    )


def ledger_concerns(*, unit: Unit, first: datetime.date, last: datetime.date) -> QuerySet[Concern]:
    """The concerns a ledger of [first, last] files: those raised in the period, and those raised
    earlier that were not resolved by the period's end (still open or in progress, or resolved
    after it). Oldest first; units, categories and owners joined, nothing prefetched."""
    start, end = _ledger_bounds(first, last)
    carried = Q(raised_at__lt=start) & (Q(status__in=Concern.ACTIVE_STATUSES) | Q(resolved_at__gte=end))
    return (
        Concern.objects.in_subtree(unit)
        .filter(Q(raised_at__gte=start, raised_at__lt=end) | carried)
        .select_related("unit", "category", "owner")
        .order_by("raised_at", "id")
    )


def ledger_concern_ids(*, unit: Unit, first: datetime.date, last: datetime.date) -> list[int]:
    """The ids of the concerns a ledger of [first, last] files, in its order: read once, then shared by
    its concern, action and callback sheets, which read them a chunk of ids at a time.

    The ledger's condition (raised in the period, or carried over) is an OR that no index serves: a
    scan of the concern table. Read once, not once per sheet (docs/benchmarks.md)."""
    return list(ledger_concerns(unit=unit, first=first, last=last).values_list("pk", flat=True))


def ledger_concerns_of(*, ids: list[int]) -> QuerySet[Concern]:
    """The ledger's concerns of these ids (a consecutive run of ledger_concern_ids), in the ledger's
    order; units, categories and owners joined."""
    return Concern.objects.filter(pk__in=ids).select_related("unit", "category", "owner").order_by("raised_at", "id")


def ledger_actions(*, ids: list[int]) -> QuerySet[FollowUpAction]:
    """The follow-up actions of the ledger's concerns of these ids (a consecutive run of
    ledger_concern_ids), in the concerns' order: one query."""
    return (
        FollowUpAction.objects.filter(concern_id__in=ids)
        .select_related("concern", "owner")
        .order_by("concern__raised_at", "concern_id", "due_date", "id")
    )


def ledger_callbacks(*, ids: list[int]):
    """The callbacks (回访) of the ledger's concerns of these ids (a consecutive run of
    ledger_concern_ids), in the concerns' order: one query."""
    from .models import Feedback

    return (
        Feedback.objects.filter(concern_id__in=ids)
        .select_related("concern")
        .order_by("concern__raised_at", "concern_id", "created_at", "id")
    )


# ---------------------------------------------------------------------------------------------
# Visits
# ---------------------------------------------------------------------------------------------


def visit_concern_counts(*, visit_ids: list[int]) -> dict[int, int]:
    """The number of concerns entered on each of these visits (a page of the list), withdrawn ones
    included; a visit without concerns is absent. One query over the page's rows only: counting for
    the whole list before taking a page would read every visit in scope."""
    if not visit_ids:
        return {}
    rows = (
        Concern.objects.filter(visit_id__in=visit_ids)
        .values("visit_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("visit_id", "n")
    )
    return dict(rows)
