"""The monthly rollups always equal a full recount, whatever happened and in whatever order.

The property test drives the real services (visit_record, visit_update, concern_raise,
concern_start, concern_assess, concern_resolve, feedback_record, concern_withdraw, concern_set_due,
extension_request and extension_decide, and the chasing ladder's concern_ladder_advance) and the admin's
ways of moving a concern or a unit (Model.save), over a small tree and a clock that moves across
months, then compares what the rollups hold with a recount from the rows.
"""

import contextlib
import datetime
from dataclasses import dataclass

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fieldwork import ladder, rollups, workdays
from fieldwork.errors import DomainError
from fieldwork.models import Concern, ConcernEvent, Feedback, Membership, UnitMonth, UnitNow, Visit
from fieldwork.services import callbacks as callback_services
from fieldwork.services import concerns as concern_services
from fieldwork.services import extensions as extension_services
from fieldwork.services import visits as visit_services
from tests.factories import MembershipFactory, UnitFactory, UserFactory, category, principle

START = datetime.datetime(2026, 1, 20, 9, 0, tzinfo=timezone.get_default_timezone())


class Clock:
    """timezone.now() for the services, moved forward by the test."""

    def __init__(self, moment: datetime.datetime) -> None:
        self.moment = moment

    def __call__(self) -> datetime.datetime:
        return self.moment


@pytest.fixture
def clock(monkeypatch):
    clock = Clock(START)
    monkeypatch.setattr(timezone, "now", clock)
    return clock


@dataclass
class World:
    units: list
    cadre: object
    leader: object
    caller: object
    categories: list
    principles: list


@pytest.fixture
def world(company, branch, team_a, sub_a, team_b, other_branch):
    extra = UnitFactory(name="Team C", code="team-c", parent=other_branch)
    cadre = UserFactory(username="rollup_cadre")
    leader = UserFactory(username="rollup_leader")
    caller = UserFactory(username="rollup_caller")
    for user, role in ((cadre, Membership.Role.CADRE), (leader, Membership.Role.LEADER), (caller, "cadre")):
        MembershipFactory(user=user, unit=company, role=role)
    return World(
        units=[company, branch, team_a, sub_a, team_b, other_branch, extra],
        cadre=cadre,
        leader=leader,
        caller=caller,
        categories=[category("safety"), category("pay_benefits")],
        principles=[principle("pragmatism"), principle("integrity")],
    )


def _assert_in_step():
    monthly = rollups.recount()
    assert rollups.stored() == monthly
    assert rollups.stored_years() == rollups.years_of(monthly)
    assert rollups.stored_now() == rollups.recount_now()


# --- single paths, each a small story ------------------------------------------------------------


def test_a_visit_with_concerns_counts_in_every_ancestor(world, clock, team_a, branch, company, sub_a):
    visit_services.visit_record(
        by=world.cadre,
        unit=sub_a,
        date=datetime.date(2026, 1, 19),
        form=Visit.Form.HOME_VISIT,
        people_reached=7,
        principles=world.principles,
        concerns=[
            concern_services.ConcernInput(
                title="Canteen", category=world.categories[0], principles=world.principles[:1]
            )
        ],
    )
    january = datetime.date(2026, 1, 1)
    for unit in (sub_a, team_a, branch, company):
        row = UnitMonth.objects.get(unit=unit, month=january)
        assert (row.visits, row.people_reached, row.concerns_raised, row.not_taken_up) == (1, 7, 1, 1)
        assert row.visits_by_principle == {str(p.pk): 1 for p in world.principles}
        assert row.concerns_by_principle == {str(world.principles[0].pk): 1}
        assert row.concerns_by_category == {str(world.categories[0].pk): 1}
    _assert_in_step()


def test_the_lifecycle_moves_counts_between_months(world, clock, team_a):
    concern = concern_services.concern_raise(
        by=world.cadre, unit=team_a, data=concern_services.ConcernInput(title="Lights", category=world.categories[0])
    )
    clock.moment += datetime.timedelta(days=1)
    concern_services.concern_start(concern=concern, by=world.cadre, version=concern.version)
    clock.moment += datetime.timedelta(days=20)  # February
    concern_services.concern_resolve(concern=concern, by=world.cadre, version=concern.version, resolution="Fixed")
    february = datetime.date(2026, 2, 1)
    row = UnitMonth.objects.get(unit=team_a, month=february)
    assert (row.resolved, row.resolved_on_time, row.days_to_resolve) == (1, 1, {"21": 1})
    clock.moment += datetime.timedelta(days=30)  # March: dissatisfied, reopened
    callback_services.feedback_record(
        concern=concern,
        by=world.caller,
        version=concern.version,
        satisfaction=Feedback.Satisfaction.DISSATISFIED,
        channel=Feedback.Channel.PHONE,
    )
    assert not UnitMonth.objects.filter(unit=team_a, month=february).exists()
    march = UnitMonth.objects.get(unit=team_a, month=datetime.date(2026, 3, 1))
    assert (march.callbacks, march.dissatisfied, march.resolved) == (1, 1, 0)
    january = UnitMonth.objects.get(unit=team_a, month=datetime.date(2026, 1, 1))
    assert (january.concerns_raised, january.resolved_now, january.taken_up, january.taken_up_in_time) == (1, 0, 1, 1)
    _assert_in_step()


def test_withdrawing_a_reopened_concern_takes_its_callback_out_of_a_later_month(world, clock, team_a, baseline):
    reopened = baseline[0][1]  # raised in December, dissatisfied callback on 5 January
    reopened.refresh_from_db()
    january = datetime.date(2026, 1, 1)
    before = UnitMonth.objects.get(unit=reopened.unit, month=january)  # with a satisfied one below it
    assert (before.callbacks, before.dissatisfied) == (2, 1)
    concern_services.concern_withdraw(concern=reopened, by=world.leader, version=reopened.version, reason="Duplicate")
    after = UnitMonth.objects.get(unit=reopened.unit, month=january)
    assert (after.callbacks, after.dissatisfied) == (1, 0)
    december = UnitMonth.objects.get(unit=reopened.unit, month=datetime.date(2025, 12, 1))
    assert (december.concerns_raised, december.concerns_withdrawn) == (1, 1)  # the other one is below
    _assert_in_step()


def test_a_new_due_date_moves_a_concern_out_of_overdue_now(world, clock, team_a, company, baseline):
    waiting = baseline[0][4]  # open since 1 December, never taken up
    waiting.refresh_from_db()
    Concern.objects.filter(pk=waiting.pk).update(due_date=datetime.date(2026, 1, 2))
    concern_services.concern_set_due(
        concern=waiting, by=world.leader, version=waiting.version, due_date=timezone.localdate()
    )
    root = UnitNow.objects.get(unit=company)
    assert root.open_by_due.get(timezone.localdate().isoformat()) == 1
    assert root.waiting_by_raised == {"2025-12-01": 1}
    _assert_in_step()


def _extend(world, concern, *, to: datetime.date, approve: bool = True):
    concern.refresh_from_db()
    request = extension_services.extension_request(
        concern=concern, by=world.cadre, requested_due_date=to, reason="Parts late"
    )
    concern.refresh_from_db()
    extension_services.extension_decide(
        request=request, by=world.leader, approve=approve, note="" if approve else "No", version=concern.version
    )
    concern.refresh_from_db()


def _climb(concern, *, first: datetime.date, runs: int) -> None:
    """send_reminders on `runs` working days from `first`: the ladder's rungs, one a day."""
    day = first
    for _run in range(runs):
        ladder.concern_ladder_advance(concern=concern, today=day)
        day = workdays.next_working_day(day)
    concern.refresh_from_db()


def test_supervision_and_extensions_count_in_their_months(world, clock, sub_a, team_a, branch, company):
    concern = concern_services.concern_raise(
        by=world.cadre, unit=sub_a, data=concern_services.ConcernInput(title="Pump", category=world.categories[0])
    )
    concern.refresh_from_db()
    due = concern.due_date  # 30 working days after 20 January: in March
    _extend(world, concern, to=due + datetime.timedelta(days=10), approve=False)  # refused: counts nowhere
    _extend(world, concern, to=due + datetime.timedelta(days=20))  # granted in January
    # granted again the day before the new due date (in March or April)
    clock.moment = datetime.datetime.combine(concern.due_date, datetime.time(9), tzinfo=START.tzinfo)
    clock.moment -= datetime.timedelta(days=1)
    _extend(world, concern, to=concern.due_date + datetime.timedelta(days=3))
    granted_in = rollups.month_of(timezone.localdate())
    chase = workdays.next_working_day(concern.due_date)
    _climb(concern, first=chase, runs=4)  # chased, then supervised three working days later
    assert concern.supervised_at is not None
    supervised_in = rollups.month_of(timezone.localtime(concern.supervised_at).date())
    january = datetime.date(2026, 1, 1)
    for unit in (sub_a, team_a, branch, company):
        rows = {row.month: row for row in UnitMonth.objects.filter(unit=unit)}
        assert rows[january].extensions_granted == 1 + (granted_in == january)
        assert rows[granted_in].extensions_granted == 1 + (granted_in == january)
        assert rows[supervised_in].supervised == 1
        assert sum(row.supervised for row in rows.values()) == 1
        assert UnitNow.objects.get(unit=unit).supervised_by_due == {concern.due_date.isoformat(): 1}
    _assert_in_step()
    concern.refresh_from_db()
    concern_services.concern_withdraw(concern=concern, by=world.leader, version=concern.version, reason="Twice")
    assert not UnitMonth.objects.filter(unit=company).exclude(supervised=0, extensions_granted=0).exists()
    assert not UnitNow.objects.filter(supervised_by_due__has_key=concern.due_date.isoformat()).exists()
    _assert_in_step()


@pytest.mark.parametrize("event_first", [True, False])
def test_a_service_may_write_its_event_before_or_after_the_rows_it_describes(world, clock, team_a, event_first):
    """The upkeep reads what an event touched from the concern as the service left it, not as it stood
    when the event was written: the order of statements inside a service does not matter."""
    concern = concern_services.concern_raise(
        by=world.cadre, unit=team_a, data=concern_services.ConcernInput(title="Cable", category=world.categories[0])
    )
    clock.moment += datetime.timedelta(days=45)  # in March; the concern comes under supervision from February
    february = clock.moment - datetime.timedelta(days=30)

    @rollups.in_step
    def supervise() -> None:
        def event():
            ConcernEvent.objects.create(concern=concern, kind=ConcernEvent.Kind.SUPERVISED, created_at=clock.moment)

        if event_first:
            event()
        Concern.objects.filter(pk=concern.pk).update(supervised_at=february)
        if not event_first:
            event()

    supervise()
    supervised_in = rollups.month_of(timezone.localtime(february).date())
    assert UnitMonth.objects.get(unit=team_a, month=supervised_in).supervised == 1
    _assert_in_step()


def test_a_finished_concern_leaves_supervised_now_but_stays_counted(world, clock, team_a, company, baseline):
    waiting = baseline[0][4]  # open since 1 December, due in January: overdue on 20 January
    _climb(waiting, first=timezone.localdate(), runs=4)
    assert waiting.supervised_at is not None
    assert sum(UnitNow.objects.get(unit=company).supervised_by_due.values()) == 1
    clock.moment += datetime.timedelta(days=7)
    concern_services.concern_start(concern=waiting, by=world.cadre, version=waiting.version)
    waiting.refresh_from_db()
    concern_services.concern_resolve(concern=waiting, by=world.cadre, version=waiting.version, resolution="Done")
    assert UnitNow.objects.get(unit=company).supervised_by_due == {}
    month = rollups.month_of(timezone.localtime(waiting.supervised_at).date())
    assert UnitMonth.objects.get(unit=company, month=month).supervised == 1
    _assert_in_step()


def test_moving_a_unit_carries_its_totals(world, clock, sub_a, team_a, team_b, branch):
    visit_services.visit_record(
        by=world.cadre, unit=sub_a, date=datetime.date(2026, 1, 10), form=Visit.Form.SYMPOSIUM, people_reached=4
    )
    sub_a.parent = team_b
    sub_a.save()
    january = datetime.date(2026, 1, 1)
    assert not UnitMonth.objects.filter(unit=team_a, month=january).exists()
    assert UnitMonth.objects.get(unit=team_b, month=january).visits == 1
    assert UnitMonth.objects.get(unit=branch, month=january).visits == 1
    _assert_in_step()


def test_moving_a_concern_in_the_admin_moves_its_counts(world, clock, team_a, other_branch):
    concern = concern_services.concern_raise(
        by=world.cadre, unit=team_a, data=concern_services.ConcernInput(title="Road", category=world.categories[0])
    )
    concern.refresh_from_db()
    concern.unit = other_branch
    concern.save()
    january = datetime.date(2026, 1, 1)
    assert not UnitMonth.objects.filter(unit=team_a, month=january).exists()
    assert UnitMonth.objects.get(unit=other_branch, month=january).concerns_raised == 1
    _assert_in_step()


def test_rows_written_past_the_hooks_are_absorbed_by_the_next_refresh(world, clock, team_a):
    with rollups.suspended():
        visit_services.visit_record(
            by=world.cadre, unit=team_a, date=datetime.date(2026, 1, 5), form=Visit.Form.SYMPOSIUM, people_reached=2
        )
    assert not UnitMonth.objects.exists()
    visit_services.visit_record(
        by=world.cadre, unit=team_a, date=datetime.date(2026, 1, 6), form=Visit.Form.SYMPOSIUM, people_reached=3
    )
    assert UnitMonth.objects.get(unit=team_a, month=datetime.date(2026, 1, 1)).visits == 2
    _assert_in_step()


def test_rebuild_command_recounts_everything_and_a_subtree(world, clock, team_a, branch, company):
    visit_services.visit_record(
        by=world.cadre, unit=team_a, date=datetime.date(2026, 1, 5), form=Visit.Form.SYMPOSIUM, people_reached=2
    )
    UnitMonth.objects.update(visits=99)  # spoil them
    call_command("rebuild_rollups", "--unit", branch.code, verbosity=0)
    assert UnitMonth.objects.get(unit=team_a, month=datetime.date(2026, 1, 1)).visits == 1
    assert UnitMonth.objects.get(unit=company, month=datetime.date(2026, 1, 1)).visits == 1  # carried up
    UnitMonth.objects.update(visits=99)
    call_command("rebuild_rollups", verbosity=0)
    _assert_in_step()


def test_rebuild_command_refuses_an_unknown_unit(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("rebuild_rollups", "--unit", "no-such-unit", verbosity=0)


def test_upkeep_query_count_does_not_grow_with_the_data(
    world, clock, team_a, django_assert_num_queries, django_assert_max_num_queries
):
    def record(day):
        return visit_services.visit_record(
            by=world.cadre, unit=team_a, date=day, form=Visit.Form.SYMPOSIUM, people_reached=2
        )

    record(datetime.date(2026, 1, 2))
    with django_assert_max_num_queries(QUERIES_VISIT_RECORD) as small:
        record(datetime.date(2026, 1, 3))
    for day in range(4, 19):
        record(datetime.date(2026, 1, day))
    with django_assert_num_queries(len(small.captured_queries)):
        record(datetime.date(2026, 1, 19))


# A visit with no concern: insert, cadres and principles (several each), its history record with the
# cadres and principles read back and copied (5), then the upkeep (about 8).
QUERIES_VISIT_RECORD = 25


# --- the property: random stories, then stored == recount -----------------------------------------

# Weighted: steps that meet the baseline's concerns and units come often.
KINDS = (
    ["visit", "raise", "advance"] * 2
    + ["progress"] * 3
    + ["start", "assess", "resolve", "callback", "edit_visit"]
    + ["withdraw", "move_concern", "move_unit"] * 2
    + ["retag", "retag_visit"]
    + ["set_due"] * 2
    + ["chase", "extend"] * 2
)
OPS = st.tuples(
    st.sampled_from(KINDS),
    st.sampled_from(range(7)),  # a concern (of the baseline's five and those raised since), a visit or a unit
    st.sampled_from(range(7)),  # a unit
    st.integers(0, 40),  # days
    st.sampled_from(Feedback.Satisfaction.values),
    st.sampled_from(Concern.Solvability.values),
    st.sets(st.integers(0, 1)),  # principles
)


class _Rollback(Exception):
    pass


def _baseline(world: World, clock: Clock) -> tuple[list[Concern], list[Visit]]:
    """A visit in every unit and concerns in every state, spread over December and January.

    Every random step then meets counted rows: a unit moved carries totals, a concern withdrawn
    may have a callback in another month, and so on.
    """
    clock.moment = datetime.datetime(2025, 12, 1, 9, 0, tzinfo=timezone.get_default_timezone())
    visits = [
        visit_services.visit_record(
            by=world.cadre,
            unit=unit,
            date=datetime.date(2025, 12, 1),
            form=Visit.Form.HOME_VISIT,
            people_reached=index + 1,
            principles=world.principles[: index % 3],
        )
        for index, unit in enumerate(world.units)
    ]
    concerns = [
        concern_services.concern_raise(
            by=world.cadre,
            unit=world.units[2 + index],
            data=concern_services.ConcernInput(
                title=f"Baseline {index}",
                category=world.categories[index % 2],
                principles=world.principles[: index % 3],
            ),
        )
        for index in range(5)
    ]
    clock.moment += datetime.timedelta(days=1)
    for concern in concerns[1:]:
        concern_services.concern_start(concern=concern, by=world.cadre, version=concern.version)
    clock.moment += datetime.timedelta(days=19)
    for concern in concerns[2:]:
        concern_services.concern_resolve(concern=concern, by=world.cadre, version=concern.version, resolution="Done")
    clock.moment = datetime.datetime(2026, 1, 5, 9, 0, tzinfo=timezone.get_default_timezone())
    for concern, satisfaction in zip(concerns[3:], ["dissatisfied", "satisfied"], strict=True):
        callback_services.feedback_record(
            concern=concern,
            by=world.caller,
            version=concern.version,
            satisfaction=satisfaction,
            channel=Feedback.Channel.PHONE,
        )
    clock.moment = START
    # Hypothesis favours small indexes: the concerns with the longest stories first
    # (reopened with a callback in January, closed, resolved, in progress, open).
    return concerns[::-1], visits


def _play(world: World, clock: Clock, ops, concerns: list[Concern], visits: list[Visit]) -> None:
    concerns, visits = list(concerns), list(visits)
    for op in ops:
        with contextlib.suppress(DomainError):  # a refused step changes nothing, as in real life
            _step(world, clock, op, concerns, visits)
        # After every step, not only at the end: a later refresh of the same month would hide a miss.
        monthly = rollups.recount()
        assert rollups.stored() == monthly, op
        assert rollups.stored_years() == rollups.years_of(monthly), op
        assert rollups.stored_now() == rollups.recount_now(), op


def _pick(items, index):
    item = items[index % len(items)]
    item.refresh_from_db()
    return item


def _step(world: World, clock: Clock, op, concerns: list[Concern], visits: list[Visit]) -> None:
    kind, item, unit, days, satisfaction, solvability, tags = op
    principles = [world.principles[i] for i in sorted(tags)]
    if kind == "advance":
        clock.moment += datetime.timedelta(days=days, hours=days % 7)
    elif kind == "visit":
        visit = visit_services.visit_record(
            by=world.cadre,
            unit=world.units[unit],
            date=timezone.localdate() - datetime.timedelta(days=days),
            form=Visit.Form.HOME_VISIT,
            people_reached=days + 1,
            principles=principles,
        )
        visits.append(visit)
    elif kind == "edit_visit":
        visit = _pick(visits, item)
        visit_services.visit_update(
            visit=visit,
            by=world.cadre,
            unit=world.units[unit],
            date=timezone.localdate() - datetime.timedelta(days=days),
            form=visit.form,
            people_reached=visit.people_reached + 1,
            principles=principles,
            version=visit.version,  # issue 15: an edit names the version it was made on
        )
    elif kind == "retag_visit":  # as the admin does
        _pick(visits, item).principles.set(principles)
    elif kind == "raise":
        data = concern_services.ConcernInput(
            title="A concern", category=world.categories[days % 2], principles=principles
        )
        concerns.append(concern_services.concern_raise(by=world.cadre, unit=world.units[unit], data=data))
    elif kind == "move_unit":
        moved, parent = world.units[max(item, 1)], world.units[unit]
        moved.refresh_from_db()
        parent.refresh_from_db()
        if not parent.path.startswith(moved.path):
            moved.parent = parent
            moved.save()
    else:
        _concern_step(
            world,
            kind,
            _pick(concerns, item),
            unit=unit,
            satisfaction=satisfaction,
            solvability=solvability,
            principles=principles,
        )


def _concern_step(world: World, kind: str, concern: Concern, *, unit, satisfaction, solvability, principles) -> None:
    if kind == "progress":  # the next natural step, whatever the concern's state
        kind = {
            Concern.Status.OPEN: "start",
            Concern.Status.IN_PROGRESS: "resolve",
            Concern.Status.RESOLVED: "callback",
        }.get(concern.status, "none")
    if kind == "start":
        concern_services.concern_start(concern=concern, by=world.cadre, version=concern.version)
    elif kind == "assess":
        concern_services.concern_assess(
            concern=concern, by=world.leader, version=concern.version, solvability=solvability
        )
    elif kind == "resolve":
        concern_services.concern_resolve(concern=concern, by=world.cadre, version=concern.version, resolution="Done")
    elif kind == "callback":
        callback_services.feedback_record(
            concern=concern,
            by=world.caller,
            version=concern.version,
            satisfaction=satisfaction,
            channel=Feedback.Channel.PHONE,
        )
    elif kind == "set_due":
        due = timezone.localdate() + datetime.timedelta(days=unit - 1)  # unit: 0..6, so now and then refused
        concern_services.concern_set_due(concern=concern, by=world.leader, version=concern.version, due_date=due)
    elif kind == "withdraw":
        concern_services.concern_withdraw(concern=concern, by=world.leader, version=concern.version, reason="Twice")
    elif kind == "chase":  # send_reminders on the next few days: reminded, chased, supervised, noticed
        _climb(concern, first=timezone.localdate(), runs=unit + 4)
    elif kind == "extend":  # unit: 0..6 days more; a dissatisfied draw stands for a refusal
        _extend(
            world,
            concern,
            to=concern.due_date + datetime.timedelta(days=unit + 1),
            approve=satisfaction != Feedback.Satisfaction.DISSATISFIED,
        )
    elif kind == "move_concern":  # as the admin does
        concern.unit = world.units[unit]
        concern.save()
    elif kind == "retag":  # as the admin does
        concern.principles.set(principles)


@settings(max_examples=30, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=st.lists(OPS, min_size=5, max_size=30))
def test_rollups_always_equal_a_full_recount(world, clock, baseline, ops):
    for unit in world.units:
        unit.refresh_from_db()  # a move in an earlier example was rolled back
    clock.moment = START
    try:
        with transaction.atomic():
            _play(world, clock, ops, *baseline)
            raise _Rollback
    except _Rollback:
        pass


@pytest.fixture
def baseline(world, clock):
    story = _baseline(world, clock)
    assert rollups.stored() == rollups.recount()
    return story
