"""Closed as unreachable counts as resolved in the resolution and on-time rates (the work was done),
never in the satisfaction rate; attempts count in no rate; the stored rollups equal a recount."""

import pytest

from fieldwork import dashboard, rollups
from fieldwork.models import Feedback
from fieldwork.periods import Period
from fieldwork.services import callbacks as callback_services
from fieldwork.services import concerns as concern_services
from tests.callback_attempts.helpers import calls_on_days
from tests.factories import category

pytestmark = pytest.mark.clock(2026, 12, 1, 10)


def _raise(unit, owner, title):
    return concern_services.concern_create(
        unit=unit, data=concern_services.ConcernInput(title=title, category=category()), by=owner, owner=owner
    )


def _resolve(concern, owner):
    concern_services.concern_start(concern=concern, by=owner, version=concern.version)
    concern_services.concern_resolve(concern=concern, by=owner, version=concern.version, resolution="Done.")


def _assert_in_step():
    monthly = rollups.recount()
    assert rollups.stored() == monthly
    assert rollups.stored_years() == rollups.years_of(monthly)
    assert rollups.stored_now() == rollups.recount_now()


def test_unreachable_is_resolved_never_satisfied(clock, settings, team_a, cadre_a, cadre_a2, leader_team_a):
    settings.FIELDWORK = {**settings.FIELDWORK, "MIN_CASES": 1}
    satisfied = _raise(team_a, cadre_a, "Lights")
    unreachable = _raise(team_a, cadre_a, "Lockers")
    _raise(team_a, cadre_a, "Canteen")  # still open
    _resolve(satisfied, cadre_a)
    _resolve(unreachable, cadre_a)
    callback_services.feedback_record(
        concern=satisfied,
        by=cadre_a2,
        version=satisfied.version,
        satisfaction=Feedback.Satisfaction.SATISFIED,
        channel=Feedback.Channel.PHONE,
    )
    calls_on_days(clock, unreachable, cadre_a2, days=3)
    _assert_in_step()  # attempts change no figure
    before = dashboard.dashboard_figures(unit=team_a, period=Period.month(2026, 12), today=clock.today)
    unreachable.refresh_from_db()
    callback_services.concern_close_unreachable(
        concern=unreachable, by=leader_team_a, version=unreachable.version, reason="No answer three days"
    )
    _assert_in_step()  # the upkeep equals a rebuild
    d = dashboard.dashboard_figures(unit=team_a, period=Period.month(2026, 12), today=clock.today)
    assert (d.concerns_raised, d.resolution.numerator, d.resolution.denominator) == (3, 2, 3)
    assert (d.resolved, d.on_time.numerator, d.on_time.denominator) == (2, 2, 2)
    assert (d.callbacks, d.satisfaction.numerator, d.satisfaction.denominator) == (1, 1, 1)
    # resolved before and resolved now: the same figures, no callback added by the attempts or the closing
    assert (before.resolution.numerator, before.resolved, before.callbacks) == (2, 2, 1)
