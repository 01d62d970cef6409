"""After random stories of service changes (visits, concerns raised, taken up, resolved, called
back, withdrawn, moved; units moved), the day rows equal a recount and every dashboard figure of a
period that cuts into months equals the figure counted from the rows over its exact days, at the
root, a branch, a team and a branch without grandchildren (counted live)."""

import contextlib

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fieldwork.errors import DomainError
from tests.cut_periods.helpers import assert_days_in_step, assert_figures_equal_the_rows
from tests.rollups.helpers import START
from tests.rollups.test_equal_a_recount import OPS, _step

pytestmark = pytest.mark.clock(2026, 1, 20, 9)


class _Rollback(Exception):
    pass


def test_the_baseline_figures_equal_the_rows(world, clock, baseline):
    company, branch, team_a, _sub_a, _team_b, other_branch, _extra = world.units
    assert_days_in_step()
    assert_figures_equal_the_rows([company, branch, team_a, other_branch], timezone.localdate())


@settings(max_examples=12, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=st.lists(OPS, min_size=5, max_size=25))
def test_cut_periods_always_equal_the_rows(world, clock, baseline, ops):
    for unit in world.units:
        unit.refresh_from_db()  # a move in an earlier example was rolled back
    clock.now = START
    concerns, visits = list(baseline[0]), list(baseline[1])
    try:
        with transaction.atomic():
            for op in ops:
                with contextlib.suppress(DomainError):
                    _step(world, clock, op, concerns, visits)
                assert_days_in_step()  # after every step: a later refresh could hide a miss
            company, branch, team_a, _sub_a, _team_b, other_branch, _extra = world.units
            assert_figures_equal_the_rows([company, branch, team_a, other_branch], timezone.localdate())
            raise _Rollback
    except _Rollback:
        pass
