"""manage.py seed_demo: the demo organisation, a year of consistent work, determinism, --if-empty."""

import datetime
import hashlib
import io
import re
import zoneinfo
from collections import Counter

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from fieldwork import demo, ladder, rollups, scope, workdays
from fieldwork.models import (
    Category,
    Concern,
    ConcernEvent,
    ExtensionRequest,
    Feedback,
    FollowUpAction,
    Membership,
    ReferenceCounter,
    Unit,
    UnitMonth,
    Visit,
)
from fieldwork.services import concerns as concern_services

User = get_user_model()
TODAY = datetime.date(2026, 11, 28)
TODAY_ARG = TODAY.isoformat()
STATUS_EVENTS = {
    ConcernEvent.Kind.RAISED,
    ConcernEvent.Kind.STARTED,
    ConcernEvent.Kind.RESOLVED,
    ConcernEvent.Kind.REOPENED,
    ConcernEvent.Kind.CLOSED,
    ConcernEvent.Kind.WITHDRAWN,
}


def seed(*args: str) -> str:
    out = io.StringIO()
    call_command("seed_demo", "--quiet", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def default_demo(db):
    return seed("--today", TODAY_ARG)


@pytest.fixture
def small_scaled(db):
    return seed("--visits", "200", "--units", "60", "--today", TODAY_ARG)


def test_default_demo_is_the_essays_kind_of_organisation(default_demo):
    units = {u.code: u for u in Unit.objects.all()}
    assert 28 <= len(units) <= 36
    assert {u.kind for u in units.values()} == set(Unit.Kind.values)
    assert units["gd"].name.endswith("供电分公司") and units["gd"].parent == units["jt"]
    assert {units[code].name for code in ("gd-dq", "gd-gh", "gd-aq")} == {"党群工作部", "工会", "安全监察部"}
    assert units["bdyx"].name == "变电运行工区" and units["ddkz"].name == "调度控制中心"
    assert all(re.fullmatch(r"[a-z0-9-]+", code) for code in units)
    assert all(re.search(r"[\u4e00-\u9fff]", u.name) for u in units.values())
    for workshop in Unit.objects.filter(kind__in=[Unit.Kind.WORKSHOP, Unit.Kind.STATION]):
        assert 2 <= workshop.children.count() <= 3


def test_default_demo_sign_ins(default_demo):
    assert "demo-pass-2026" in default_demo
    for username in ("admin", "leader", "leader_bdyx", "cadre", "cadre2"):
        assert username in default_demo
        user = User.objects.get(username=username)
        assert user.check_password(demo.PASSWORD)
        assert re.fullmatch(r"[\u4e00-\u9fff]+", user.last_name + user.first_name)
    assert User.objects.get(username="admin").is_superuser
    roles = {(m.user.username, m.unit.code): m.role for m in Membership.objects.select_related("user", "unit")}
    assert roles[("leader", "gd")] == Membership.Role.LEADER
    assert roles[("leader_bdyx", "bdyx")] == Membership.Role.LEADER
    assert roles[("cadre", "bdyx-1")] == Membership.Role.CADRE
    assert roles[("cadre2", "bdyx-2")] == Membership.Role.CADRE
    # One password hash for everyone: hashing is slow, and they all share the demo password.
    assert User.objects.values("password").distinct().count() == 1


def test_default_demo_covers_every_choice(default_demo):
    assert Visit.objects.count() == demo.DEFAULT_VISITS
    concerns = Concern.objects.count()
    assert 0.8 * demo.DEFAULT_VISITS <= concerns <= 1.2 * demo.DEFAULT_VISITS
    assert 1.6 * concerns <= FollowUpAction.objects.count() <= 2.6 * concerns
    assert set(Visit.objects.values_list("form", flat=True)) == set(Visit.Form.values)
    assert set(Concern.objects.values_list("status", flat=True)) == set(Concern.Status.values)
    assert set(Concern.objects.values_list("priority", flat=True)) == set(Concern.Priority.values)
    assert set(Concern.objects.values_list("source", flat=True)) == set(Concern.Source.values)
    assert set(Concern.objects.values_list("category", flat=True)) == set(Category.objects.values_list("pk", flat=True))
    assert set(Concern.Solvability.values) <= set(Concern.objects.values_list("solvability", flat=True))
    assert set(Feedback.objects.values_list("satisfaction", flat=True)) == set(Feedback.Satisfaction.values)
    assert Concern.objects.filter(reopen_count__gt=0).exists()
    active = Concern.objects.filter(status__in=Concern.ACTIVE_STATUSES)
    assert active.filter(due_date__lt=TODAY).exists()  # overdue
    assert active.filter(due_date__gte=TODAY).exists()
    assert FollowUpAction.objects.filter(done_at__isnull=True, due_date__lt=TODAY).exists()
    assert FollowUpAction.objects.filter(done_at__isnull=False).exclude(outcome="").exists()
    several = [v for v in Visit.objects.prefetch_related("cadres") if v.cadres.count() > 1]
    assert several


def test_the_demo_cadre_has_a_concern_in_every_state(default_demo):
    mine = Concern.objects.filter(owner__username="cadre")
    assert set(Concern.Status.values) - {Concern.Status.WITHDRAWN} <= set(mine.values_list("status", flat=True))
    assert Concern.objects.filter(unit__code="bdyx-1", status=Concern.Status.WITHDRAWN).exists()


def test_scaled_run_sizes(small_scaled):
    assert Unit.objects.count() == 60
    assert Unit.objects.filter(code="bdyx-1", name="110kV东山变电站").exists()  # the demo org is inside
    assert Visit.objects.count() == 200
    concerns = Concern.objects.count()
    assert 150 <= concerns <= 260
    assert 1.6 * concerns <= FollowUpAction.objects.count() <= 2.6 * concerns
    done = Concern.objects.filter(status__in=[Concern.Status.RESOLVED, Concern.Status.CLOSED]).count()
    assert Feedback.objects.count() >= 0.8 * Concern.objects.filter(status=Concern.Status.CLOSED).count()
    assert done > 0.5 * concerns
    leaves = Unit.objects.leaves()
    visited = set(Visit.objects.values_list("unit", flat=True))
    assert len(visited & set(leaves.values_list("pk", flat=True))) > 0.6 * leaves.count()


def test_scaled_tree_opens_more_branches(db):
    seed("--visits", "20", "--units", "400", "--today", TODAY_ARG)
    assert Unit.objects.count() == 400
    branches = Unit.objects.filter(kind=Unit.Kind.BRANCH)
    assert branches.count() >= 3
    assert all(b.parent.kind == Unit.Kind.COMPANY for b in branches)
    assert Unit.objects.values("code").distinct().count() == 400
    for branch in branches:
        assert Membership.objects.filter(unit=branch, role=Membership.Role.LEADER).exists()


def test_paths_and_depths_match_the_parents(small_scaled):
    units = {u.pk: u for u in Unit.objects.all()}
    for unit in units.values():
        chain, node = [], unit
        while node.parent_id is not None:
            node = units[node.parent_id]
            chain.append(node)
        assert unit.depth == len(chain)
        expected = "/" + "".join(f"{a.pk}/" for a in reversed(chain)) + f"{unit.pk}/"
        assert unit.path == expected
    branch = Unit.objects.get(code="gd")
    assert branch.subtree().filter(code="bdyx-1").exists()


def test_references_are_unique_and_the_counter_is_ahead(small_scaled):
    references = list(Concern.objects.values_list("reference", "raised_at"))
    assert len({ref for ref, _at in references}) == len(references)
    highest: dict[int, int] = {}
    for reference, raised_at in references:
        match = re.fullmatch(r"FW-(\d{4})-(\d{6})", reference)
        assert match
        year, number = int(match[1]), int(match[2])
        assert year == timezone.localtime(raised_at).year
        highest[year] = max(highest.get(year, 0), number)
    counters = dict(ReferenceCounter.objects.values_list("year", "last"))
    for year, number in highest.items():
        assert counters[year] >= number


def test_a_concern_raised_after_seeding_gets_a_fresh_reference(db):
    seed("--visits", "150", "--units", "40", "--today", timezone.localdate().isoformat())
    cadre = User.objects.get(username="cadre")
    concern = concern_services.concern_create(
        unit=Unit.objects.get(code="bdyx-1"),
        data=concern_services.ConcernInput(title="值班室门锁坏了", category=Category.objects.first()),
        by=cadre,
        owner=cadre,
    )
    year = timezone.localdate().year
    assert concern.reference == f"FW-{year}-{ReferenceCounter.objects.get(year=year).last:06d}"
    assert Concern.objects.filter(reference=concern.reference).count() == 1


def _status_events(concern_events):
    return [e for e in concern_events if e.kind in STATUS_EVENTS]


def test_events_tell_each_concerns_story(small_scaled):
    now = datetime.datetime.combine(TODAY, datetime.time(12), tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE))
    due_days = settings.FIELDWORK["DUE_DAYS"]
    events: dict[int, list[ConcernEvent]] = {}
    for event in ConcernEvent.objects.order_by("created_at", "id"):
        events.setdefault(event.concern_id, []).append(event)
    feedback: dict[int, list[Feedback]] = {}
    for item in Feedback.objects.order_by("created_at", "id"):
        feedback.setdefault(item.concern_id, []).append(item)

    concerns = list(Concern.objects.select_related("unit"))
    for concern in concerns:
        story = events[concern.pk]
        assert story[0].kind == ConcernEvent.Kind.RAISED and story[0].created_at == concern.raised_at
        assert all(e.created_at <= now for e in story)
        status = Concern.Status.OPEN
        for event in _status_events(story)[1:]:
            assert event.from_status == status, concern.reference
            status = event.to_status
        assert status == concern.status, concern.reference
        starts = [e for e in story if e.kind == ConcernEvent.Kind.STARTED]
        assert concern.taken_up_at == (starts[0].created_at if starts else None)
        resolves = [e for e in story if e.kind == ConcernEvent.Kind.RESOLVED]
        if concern.status in (Concern.Status.RESOLVED, Concern.Status.CLOSED):
            assert concern.resolution and concern.resolved_at == resolves[-1].created_at
        else:
            assert concern.resolved_at is None
        closes = [e for e in story if e.kind == ConcernEvent.Kind.CLOSED]
        assert concern.closed_at == (closes[0].created_at if closes else None)
        callbacks = feedback.get(concern.pk, [])
        assert len(callbacks) == len([e for e in story if e.kind == ConcernEvent.Kind.CALLBACK])
        dissatisfied = [f for f in callbacks if f.satisfaction == Feedback.Satisfaction.DISSATISFIED]
        assert concern.reopen_count == len(dissatisfied)
        assert concern.reopen_count == len([e for e in story if e.kind == ConcernEvent.Kind.REOPENED])
        if concern.status == Concern.Status.CLOSED:
            assert callbacks[-1].satisfaction in (Feedback.Satisfaction.SATISFIED, Feedback.Satisfaction.BASICALLY)
        for item in callbacks:
            assert item.recorded_by_id != concern.owner_id
            assert (item.recorded_by_id is None) == (item.channel == Feedback.Channel.SELF_SERVICE)
        if concern.status == Concern.Status.WITHDRAWN:
            withdrawn = story[-1] if story[-1].kind == ConcernEvent.Kind.WITHDRAWN else None
            withdrawn = withdrawn or next(e for e in story if e.kind == ConcernEvent.Kind.WITHDRAWN)
            assert withdrawn.note and scope.is_leader_of(withdrawn.actor, concern.unit)
        # Due dates in working days of the calendar, as concern_services.default_due_date counts them: on
        # raising, and on reopening from the day of the callback; an approved extension moves it.
        due = workdays.add_working_days(timezone.localtime(concern.raised_at).date(), due_days[concern.priority])
        for event in story:
            if event.kind == ConcernEvent.Kind.CALLBACK:
                called_on = timezone.localtime(event.created_at).date()
            elif event.kind == ConcernEvent.Kind.REOPENED:
                due = workdays.add_working_days(called_on, due_days[concern.priority])
                assert event.note == demo.NEW_DUE_DATE.format(due.isoformat())
            elif event.kind == ConcernEvent.Kind.EXTENSION_APPROVED:
                old, new = re.match(r"(\S+) → (\S+): ", event.note).groups()
                assert old == due.isoformat(), concern.reference
                due = datetime.date.fromisoformat(new)
        assert concern.due_date == due, concern.reference
        if concern.status in (Concern.Status.IN_PROGRESS, Concern.Status.RESOLVED, Concern.Status.CLOSED):
            assert concern.owner_id is not None
    statuses = Counter(c.status for c in concerns)
    assert statuses[Concern.Status.CLOSED] > statuses[Concern.Status.OPEN]


def test_visits_and_actions_are_consistent(small_scaled):
    for visit in Visit.objects.prefetch_related("cadres"):
        assert visit.date <= TODAY and visit.people_reached >= 1
        cadres = {u.pk for u in visit.cadres.all()}
        assert visit.author_id in cadres
        assert scope.is_member_of(visit.author, visit.unit)
    for action in FollowUpAction.objects.select_related("concern"):
        assert action.created_at >= action.concern.raised_at
        assert bool(action.outcome) == (action.done_at is not None)
        if action.concern.resolved_at and action.done_at:
            assert action.done_at <= action.concern.resolved_at


def test_public_concerns_have_receipt_codes(default_demo):
    public = Concern.objects.filter(source=Concern.Source.PUBLIC)
    assert public.exists() and not public.filter(receipt_code="").exists()
    assert not Concern.objects.exclude(source=Concern.Source.PUBLIC).exclude(receipt_code="").exists()
    showcase = Concern.objects.get(receipt_code=hashlib.sha256(demo.SHOWCASE_RECEIPT.encode()).hexdigest())
    assert showcase.unit.code == "bdyx-1" and showcase.owner is None and showcase.status == Concern.Status.OPEN


def test_rollups_are_rebuilt_after_the_load(small_scaled):
    assert UnitMonth.objects.exists()
    assert rollups.stored() == rollups.recount()
    assert rollups.stored_now() == rollups.recount_now()
    assert UnitMonth.objects.filter(supervised__gt=0).exists()
    assert UnitMonth.objects.filter(extensions_granted__gt=0).exists()


# --- the chasing ladder and extension requests ----------------------------------------------------

FRIDAY = datetime.date(2026, 11, 27)  # a working day: the demo's last run of send_reminders is at 07:30
LADDER = set(ladder.LADDER_KINDS)
EXTENSION_KINDS = {
    ConcernEvent.Kind.EXTENSION_REQUESTED,
    ConcernEvent.Kind.EXTENSION_APPROVED,
    ConcernEvent.Kind.EXTENSION_REFUSED,
}


@pytest.fixture
def friday_demo(db):
    return seed("--today", FRIDAY.isoformat())


def test_the_demo_has_chased_and_extended_concerns(friday_demo):
    events = Counter(ConcernEvent.objects.filter(kind__in=LADDER | EXTENSION_KINDS).values_list("kind", flat=True))
    assert all(events[kind] for kind in LADDER | EXTENSION_KINDS), events
    requests = Counter(ExtensionRequest.objects.values_list("status", flat=True))
    assert requests[ExtensionRequest.Status.APPROVED] > requests[ExtensionRequest.Status.REFUSED] > 0
    concerns = Concern.objects.count()
    supervised = Concern.objects.filter(supervised_at__isnull=False)
    assert 0.02 * concerns <= supervised.count() <= 0.3 * concerns  # a realistic share, not all
    assert 0.02 * concerns <= Concern.objects.filter(extensions_granted__gt=0).count() <= 0.3 * concerns
    assert supervised.filter(status__in=Concern.ACTIVE_STATUSES).exists()  # the supervised list has rows
    assert supervised.filter(status=Concern.Status.CLOSED).exists()  # and the record of finished ones
    # The demo leader sees some of it in their own units.
    leader = User.objects.get(username="leader")
    assert scope_concerns(leader).filter(supervised_at__isnull=False).exists()
    assert scope_concerns(leader).filter(extensions_granted__gt=0).exists()


def scope_concerns(user):
    return Concern.objects.visible_to(user)


def test_each_rung_is_the_one_the_ladder_gives_on_its_day(friday_demo):
    """Replayed with ladder.ladder_next_rung: every rung the demo wrote is the one the daily run
    would have written that day, and the run of the last day has nothing left to write."""
    stories: dict[int, list[ConcernEvent]] = {}
    for event in ConcernEvent.objects.order_by("created_at", "id"):
        stories.setdefault(event.concern_id, []).append(event)
    due_days = settings.FIELDWORK["DUE_DAYS"]
    rungs = 0
    for concern in Concern.objects.all():
        story = stories[concern.pk]
        due = workdays.add_working_days(timezone.localtime(concern.raised_at).date(), due_days[concern.priority])
        seen: list[tuple[str, datetime.datetime]] = []
        for event in story:
            if event.kind == ConcernEvent.Kind.REOPENED:
                due = datetime.date.fromisoformat(event.note.rsplit("：", 1)[1])
            elif event.kind == ConcernEvent.Kind.EXTENSION_APPROVED:
                due = datetime.date.fromisoformat(event.note.split(" → ")[1].split(":")[0])
            elif event.kind in LADDER:
                local = timezone.localtime(event.created_at)
                assert (local.hour, local.minute // 15) == (7, 2), event.created_at  # 07:30 to 07:45
                assert workdays.is_working_day(local.date())
                done = ladder.ladder_rungs_done(seen)
                assert ladder.ladder_next_rung(due_date=due, done=done, today=local.date()) == event.kind
                assert event.actor is None and event.public == (event.kind == ConcernEvent.Kind.SUPERVISED)
                assert due.isoformat() in event.note
                rungs += 1
            if event.kind in LADDER or event.kind in ladder.DUE_SETTING_KINDS:
                seen.append((event.kind, event.created_at))
        first = next((e for e in story if e.kind == ConcernEvent.Kind.SUPERVISED), None)
        assert concern.supervised_at == (first.created_at if first else None), concern.reference
    assert rungs
    out = io.StringIO()
    call_command("send_reminders", "--today", FRIDAY.isoformat(), "--dry-run", stdout=out)
    assert f"Would write ladder events for {FRIDAY}: 0 reminded, 0 chased, 0 supervised, 0 notice." in out.getvalue()


def test_extension_requests_are_asked_and_decided_as_the_services_allow(friday_demo):
    events = {
        (event.concern_id, event.kind, event.created_at): event
        for event in ConcernEvent.objects.filter(kind__in=EXTENSION_KINDS)
    }
    counted = Counter()
    for request in ExtensionRequest.objects.select_related("concern__unit", "requested_by", "decided_by"):
        concern = request.concern
        assert request.requested_by_id == concern.owner_id
        assert timezone.localtime(request.created_at).date() < request.due_date_before < request.requested_due_date
        assert request.reason in demo.EXTENSION_REASONS
        asked = events[(concern.pk, ConcernEvent.Kind.EXTENSION_REQUESTED, request.created_at)]
        text = f"{request.due_date_before} → {request.requested_due_date}: {request.reason}"
        assert asked.note == text and asked.actor_id == request.requested_by_id and not asked.public
        if request.status == ExtensionRequest.Status.PENDING:
            assert request.decided_at is None and concern.status in Concern.ACTIVE_STATUSES
            continue
        assert request.decided_by_id != request.requested_by_id
        assert scope.is_leader_of(request.decided_by, concern.unit)
        assert request.created_at < request.decided_at
        kind = (
            ConcernEvent.Kind.EXTENSION_APPROVED
            if request.status == ExtensionRequest.Status.APPROVED
            else ConcernEvent.Kind.EXTENSION_REFUSED
        )
        decided = events[(concern.pk, kind, request.decided_at)]
        assert decided.actor_id == request.decided_by_id and decided.public
        if request.status == ExtensionRequest.Status.APPROVED:
            assert decided.note == (f"{text} ({request.decision_note})" if request.decision_note else text)
            assert request.requested_due_date >= timezone.localtime(request.decided_at).date()
            counted[concern.pk] += 1
        else:
            assert request.decision_note in demo.EXTENSION_REFUSALS
            assert decided.note == f"{request.requested_due_date}: {request.decision_note}"
    assert dict(Concern.objects.filter(extensions_granted__gt=0).values_list("pk", "extensions_granted")) == counted
    pending = ExtensionRequest.objects.filter(status=ExtensionRequest.Status.PENDING)
    assert pending.values("concern").distinct().count() == pending.count()


def _digest() -> str:
    """Key columns of everything the seed writes, ids included (the same seed must give the same rows)."""
    parts = [
        list(Unit.objects.order_by("pk").values_list("pk", "code", "name", "path", "receiver_id")),
        list(User.objects.order_by("pk").values_list("pk", "username", "first_name", "last_name")),
        list(Membership.objects.order_by("pk").values_list("user_id", "unit_id", "role")),
        list(Visit.objects.order_by("pk").values_list("pk", "unit_id", "date", "form", "people_reached", "author_id")),
        list(Visit.cadres.through.objects.order_by("pk").values_list("visit_id", "user_id")),
        list(
            Concern.objects.order_by("pk").values_list(
                "reference", "unit_id", "status", "due_date", "owner_id", "raised_at", "resolved_at", "title"
            )
        ),
        list(ConcernEvent.objects.order_by("pk").values_list("concern_id", "kind", "actor_id", "created_at", "note")),
        list(FollowUpAction.objects.order_by("pk").values_list("concern_id", "owner_id", "due_date", "done_at")),
        list(Feedback.objects.order_by("pk").values_list("concern_id", "satisfaction", "recorded_by_id", "date")),
        list(ExtensionRequest.objects.order_by("pk").values_list("concern_id", "status", "requested_due_date")),
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()


REFERENCE_DATA = {"Principle", "Category", "CalendarDay"}  # seeded by migrations, not by seed_demo


def _delete_everything_seeded() -> None:
    """Empty every table seed_demo fills or that follows from it (rollups), as `flush` would, but
    keep the data the migrations seeded. Foreign keys are deferred: the order does not matter."""
    tables = [User._meta.db_table]
    for model in apps.get_app_config("fieldwork").get_models(include_auto_created=True):
        if model.__name__ not in REFERENCE_DATA:
            tables.append(model._meta.db_table)
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")


def test_the_same_seed_gives_the_same_data(db):
    args = ["--visits", "120", "--units", "45", "--today", TODAY_ARG]
    seed(*args)
    first = _digest()
    _delete_everything_seeded()
    assert not Unit.objects.exists()
    seed(*args)
    assert _digest() == first
    _delete_everything_seeded()
    seed(*args, "--seed", "7")
    assert _digest() != first


def test_if_empty_leaves_existing_data_alone(default_demo):
    visits = Visit.objects.count()
    out = seed("--if-empty", "--visits", "50")
    assert Visit.objects.count() == visits
    assert "cadre" in out and demo.PASSWORD in out


def test_if_empty_loads_an_empty_database(db):
    out = seed("--if-empty", "--visits", "30", "--today", TODAY_ARG)
    assert Visit.objects.count() == 30
    assert "leader_bdyx" in out


def test_without_if_empty_a_second_load_is_refused(default_demo):
    with pytest.raises(CommandError, match="empty"):
        seed("--visits", "10")


def test_bad_months_are_refused(db):
    with pytest.raises(CommandError, match="months"):
        seed("--months", "0")


def test_an_existing_account_with_a_demo_name_is_reused(db):
    admin = User.objects.create_superuser("admin", "admin@example.com", "my-own-password-1")
    seed("--visits", "20", "--today", TODAY_ARG)
    admin.refresh_from_db()
    assert admin.check_password("my-own-password-1")
    assert User.objects.filter(username="admin").count() == 1
    assert User.objects.get(username="cadre").check_password(demo.PASSWORD)


def test_months_spread_the_visits(db):
    seed("--visits", "60", "--months", "2", "--today", TODAY_ARG)
    first = Visit.objects.order_by("date").first().date
    assert first >= TODAY - datetime.timedelta(days=62)


def test_demo_texts_can_go_to_copy_unescaped():
    for table in demo.TEXT_TABLES:
        for text in table:
            assert not set(text) & {"\t", "\n", "\r", "\\"}, text


def test_sign_in_table_lines_up_chinese():
    lines = demo.format_table([("unit", "role"), ("变电站", "cadre"), ("x", "leader")]).splitlines()
    columns = {
        demo._width(line[: line.index(word)]) for line, word in zip(lines, ["role", "cadre", "leader"], strict=True)
    }
    assert columns == {8}
