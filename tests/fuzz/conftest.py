"""The fuzz tests' world: a visit of team A and a concern whose title is a script, to aim at."""

import pytest

from tests.factories import ConcernFactory, VisitFactory


@pytest.fixture
def world(team_a, cadre_a, leader_branch):
    visit = VisitFactory(unit=team_a, author=cadre_a)
    concern = ConcernFactory(unit=team_a, owner=cadre_a, visit=visit, title="<script>alert('t')</script>")
    return {"visit": visit, "concern": concern}
