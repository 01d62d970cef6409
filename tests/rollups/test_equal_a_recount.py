"""The property: after random stories of visits and concern steps, the stored rollups equal a full recount."""

import contextlib
import datetime

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fieldwork import rollups
from fieldwork.errors import DomainError
from fieldwork.models import Concern, Feedback, Visit
from fieldwork.services import callbacks as callback_services
from fieldwork.services import concerns as concern_services
from fieldwork.services import visits as visit_services
from tests.rollups.helpers import START, World, climb, extend_due

pytestmark = pytest.mark.clock(2026, 1, 20, 9)


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


def _play(world: World, clock, ops, concerns: list[Concern], visits: list[Visit]) -> None:
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


def _step(world: World, clock, op, concerns: list[Concern], visits: list[Visit]) -> None:
    kind, item, unit, days, satisfaction, solvability, tags = op
    principles = [world.principles[i] for i in sorted(tags)]
    if kind == "advance":
        clock.now += datetime.timedelta(days=days, hours=days % 7)
    elif kind == "visit":
        visit = visit_services.visit_record(
            by=world.cadre,
            unit=world.units[unit],
            date=timezone.localdate() - datetime.timedelta(days=days),
            form=Visit.Form.HOME_VISIT,
            people_reached=days + 1,
            summary="Heard about the canteen.",
            principles=principles,
            confirmation_note="Back-dated on purpose: the test's story",
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
        climb(concern, first=timezone.localdate(), runs=unit + 4)
    elif kind == "extend":  # unit: 0..6 days more; a dissatisfied draw stands for a refusal
        extend_due(
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
    clock.now = START
    try:
        with transaction.atomic():
            _play(world, clock, ops, *baseline)
            raise _Rollback
    except _Rollback:
        pass
