"""Transfers among the other steps of concerns, in any order and across months: the rollups the upkeep
keeps always equal a full recount (the months, the years and the figures of today)."""

import datetime

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fieldwork import rollups
from fieldwork.errors import DomainError
from fieldwork.models import Concern, Feedback, Membership
from fieldwork.services import callbacks as callback_services
from fieldwork.services import concerns as concern_services
from fieldwork.services import extensions as extension_services
from fieldwork.services import transfers
from tests.factories import MembershipFactory, UserFactory, category

STEPS = st.sampled_from(["raise", "start", "resolve", "satisfied", "dissatisfied", "withdraw", "extend", "transfer"])
OPS = st.tuples(STEPS, st.integers(0, 5), st.integers(0, 2), st.integers(0, 40))


class _Rollback(Exception):
    pass


def _assert_in_step():
    monthly = rollups.recount()
    assert rollups.stored() == monthly
    assert rollups.stored_years() == rollups.years_of(monthly)
    assert rollups.stored_now() == rollups.recount_now()


@pytest.fixture
def people(branch, leader_branch):
    caller = UserFactory(username="caller")
    MembershipFactory(user=caller, unit=branch, role=Membership.Role.LEADER)
    return leader_branch, caller


def _step(op, concerns, units, leader, caller, clock):
    kind, item, unit, _days = op
    concern = concerns[item % len(concerns)] if concerns else None
    if kind == "raise" or concern is None:
        data = concern_services.ConcernInput(title="Road", category=category())
        concerns.append(concern_services.concern_raise(by=leader, unit=units[unit], data=data))
    elif kind == "start":
        concern_services.concern_start(concern=concern, by=leader, version=concern.version)
    elif kind == "resolve":
        concern_services.concern_resolve(concern=concern, by=leader, version=concern.version, resolution="Done")
    elif kind in ("satisfied", "dissatisfied"):
        callback_services.feedback_record(
            concern=concern,
            by=caller,
            version=concern.version,
            satisfaction=Feedback.Satisfaction.SATISFIED if kind == "satisfied" else Feedback.Satisfaction.DISSATISFIED,
            channel=Feedback.Channel.PHONE,
            new_due_date=clock.today + datetime.timedelta(days=30),
        )
    elif kind == "withdraw":
        concern_services.concern_withdraw(concern=concern, by=leader, version=concern.version, reason="Twice")
    elif kind == "extend":
        request = extension_services.extension_request(
            concern=concern,
            by=concern.owner,
            requested_due_date=concern.due_date + datetime.timedelta(days=9),
            reason="x",
        )
        concern.refresh_from_db()
        extension_services.extension_decide(request=request, by=caller, approve=True, version=concern.version)
    else:
        transfers.concern_transfer(
            concern=concern, by=leader, version=concern.version, unit=units[unit], reason="Theirs"
        )


@settings(max_examples=25, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=st.lists(OPS, min_size=3, max_size=20))
def test_rollups_always_equal_a_full_recount_with_transfers(clock, team_a, team_b, sub_a, people, ops):
    leader, caller = people
    units = [team_a, team_b, sub_a]
    start = clock.now
    try:
        with transaction.atomic():
            concerns: list[Concern] = []
            for op in ops:
                clock.move(days=op[3])
                try:
                    with transaction.atomic():
                        _step(op, concerns, units, leader, caller, clock)
                except DomainError:
                    pass
                for concern in concerns:
                    concern.refresh_from_db()
            _assert_in_step()
            raise _Rollback
    except _Rollback:
        pass
    finally:
        clock.now = start
