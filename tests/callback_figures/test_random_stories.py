"""After random stories of callback-life changes through the services (raised, taken up, resolved with
or without a contact, called back in time or late, satisfied or not, closed as unreachable or no
answer, withdrawn, transferred, moved in the admin, days passing), the stored rollups, day rows and
UnitNow equal a recount after every step, and the callback figures of periods cutting into months
equal their definitions counted from the raw tables."""

import contextlib
import datetime

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fieldwork.errors import DomainError
from fieldwork.models import Concern, Feedback
from fieldwork.services import concerns as concern_services
from fieldwork.services import transfers as transfer_services
from tests.callback_figures.helpers import (
    assert_figures_match,
    assert_in_step,
    call_back,
    close_no_answer,
    close_unreachable,
    resolve,
)
from tests.rollups.helpers import START

pytestmark = pytest.mark.clock(2026, 1, 20, 9)

KINDS = [
    *("raise", "progress", "progress", "resolve", "callback", "callback"),
    *("unreachable", "no_answer", "withdraw", "transfer", "move", "advance"),
]
OPS = st.tuples(
    st.sampled_from(KINDS),
    st.integers(0, 8),  # a concern
    st.integers(0, 6),  # a unit
    st.integers(0, 6),  # days
    st.sampled_from(Feedback.Satisfaction.values),
    st.sampled_from(["contact", "later", "none"]),  # how a resolution joins the callback queue
)


class _Rollback(Exception):
    pass


def _step(world, clock, op, concerns: list[Concern]) -> None:
    kind, item, unit, days, satisfaction, joins = op
    if kind == "advance":
        clock.now += datetime.timedelta(days=days, hours=days % 5)
        return
    if kind == "raise":
        concerns.append(
            concern_services.concern_raise(
                by=world.cadre,
                unit=world.units[unit],
                data=concern_services.ConcernInput(title="A concern", category=world.categories[0]),
            )
        )
        return
    concern = concerns[item % len(concerns)]
    concern.refresh_from_db()
    if kind == "progress":
        kind = {"open": "start", "in_progress": "resolve", "resolved": "callback"}.get(concern.status, "none")
    if kind == "start":
        concern_services.concern_start(concern=concern, by=world.cadre, version=concern.version)
    elif kind == "resolve":
        resolve(world.cadre, concern, contact=joins != "none", joins_in=3 if joins == "later" else 0)
    elif kind == "callback":
        call_back(world.caller, concern, satisfaction, days_ago=days % 3)
    elif kind == "unreachable":
        close_unreachable(world.caller, world.leader, concern)
    elif kind == "no_answer":
        if concern.status != Concern.Status.RESOLVED:
            raise DomainError("only a resolved concern")
        close_no_answer(concern)
    elif kind == "withdraw":
        concern_services.concern_withdraw(concern=concern, by=world.leader, version=concern.version, reason="Twice")
    elif kind == "transfer":
        transfer_services.concern_transfer(
            concern=concern, by=world.leader, version=concern.version, unit=world.units[unit], reason="Theirs"
        )
    elif kind == "move":  # as the admin does, whatever its state
        concern.unit = world.units[unit]
        concern.save()


@settings(max_examples=15, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=st.lists(OPS, min_size=5, max_size=25))
def test_callback_figures_always_equal_their_definitions(world, clock, baseline, ops):
    for unit in world.units:
        unit.refresh_from_db()  # a move in an earlier example was rolled back
    clock.now = START
    concerns = list(baseline[0])
    try:
        with transaction.atomic():
            for op in ops:
                with contextlib.suppress(DomainError):
                    _step(world, clock, op, concerns)
                assert_in_step()  # after every step: a later refresh could hide a miss
            company, branch, team_a, _sub_a, _team_b, other_branch, _extra = world.units
            assert_figures_match([company, branch, team_a, other_branch], timezone.localdate())
            raise _Rollback
    except _Rollback:
        pass
