"""The digest tests' organisation: owners and leaders with work overdue, due soon and done."""

import pytest

from fieldwork.models import Concern
from tests.chasing.digest_helpers import DONE_AT, on
from tests.factories import ConcernFactory, FollowUpActionFactory


@pytest.fixture
def work(team_a, sub_a, team_b, cadre_a, cadre_b_other_team, leader_branch, leader_other_branch, settings):
    """cadre_a owns a late, a due-soon and a far-off concern, and a late action; cadre_b one late concern."""
    settings.FIELDWORK = {**settings.FIELDWORK, "PUBLIC_BASE_URL": "https://fw.example.cn/"}
    items = {
        "late": ConcernFactory(unit=team_a, owner=cadre_a, due_date=on(-4), title="食堂夜班饭菜凉"),
        "soon": ConcernFactory(unit=sub_a, owner=cadre_a, due_date=on(2), status=Concern.Status.IN_PROGRESS),
        "far": ConcernFactory(unit=team_a, owner=cadre_a, due_date=on(10)),
        "b_late": ConcernFactory(unit=team_b, owner=cadre_b_other_team, due_date=on(-1)),
        "unowned_late": ConcernFactory(unit=team_a, owner=None, due_date=on(-7)),
        "closed_late": ConcernFactory(
            unit=team_a, owner=cadre_a, due_date=on(-9), status=Concern.Status.CLOSED, resolution="Done."
        ),
    }
    items["action"] = FollowUpActionFactory(
        concern=items["far"], owner=cadre_a, due_date=on(-2), description="更换开关室灯具"
    )
    items["done_action"] = FollowUpActionFactory(
        concern=items["far"], owner=cadre_a, due_date=on(-2), description="Done already", done_at=DONE_AT
    )
    return items
