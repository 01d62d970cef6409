"""A new due date or an extension starts the ladder again."""

import pytest

from fieldwork.services import concerns as concern_services
from fieldwork.services import extensions as extension_services
from tests.chasing.ladder_helpers import D, K, ladder, owned, run

pytestmark = pytest.mark.clock(2026, 9, 14, 7, 30)


def test_a_new_due_date_starts_the_ladder_again(clock, team_a, cadre_a, leader_branch):
    concern = owned(team_a, cadre_a)
    run(clock, D(2026, 10, 8))
    assert ladder(concern) == [(K.CHASED, D(2026, 10, 8))]
    concern.refresh_from_db()
    concern_services.concern_set_due(
        concern=concern, by=leader_branch, version=concern.version, due_date=D(2026, 10, 20)
    )
    for day in (D(2026, 10, 9), D(2026, 10, 12), D(2026, 10, 16), D(2026, 10, 20), D(2026, 10, 21)):
        run(clock, day)
    assert ladder(concern) == [
        (K.CHASED, D(2026, 10, 8)),
        (K.REMINDED, D(2026, 10, 16)),  # 19 and 20 October left
        (K.CHASED, D(2026, 10, 21)),
    ]


def test_an_extension_starts_the_reminder_again(clock, team_a, cadre_a, leader_branch):
    concern = owned(team_a, cadre_a)
    run(clock, D(2026, 9, 28))
    request = extension_services.extension_request(
        concern=concern, by=cadre_a, requested_due_date=D(2026, 10, 15), reason="Holiday week."
    )
    concern.refresh_from_db()
    extension_services.extension_decide(request=request, by=leader_branch, approve=True, version=concern.version)
    for day in (D(2026, 9, 29), D(2026, 9, 30), D(2026, 10, 8), D(2026, 10, 13), D(2026, 10, 14)):
        run(clock, day)
    assert ladder(concern) == [(K.REMINDED, D(2026, 9, 28)), (K.REMINDED, D(2026, 10, 13))]
