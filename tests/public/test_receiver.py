"""The unit's receiver owns a public concern; one who left the unit gets nothing."""

import pytest

from fieldwork.models import Concern
from tests.public.helpers import raised, send

pytestmark = pytest.mark.clock(2026, 11, 10)


def test_the_units_receiver_owns_a_public_concern(anon, team_a, cadre_a):
    team_a.receiver = cadre_a
    team_a.save()
    send(anon)
    assert Concern.objects.get().owner == cadre_a


def test_a_receiver_who_left_the_unit_gets_nothing(team_a, cadre_b_other_team):
    team_a.receiver = cadre_b_other_team
    team_a.save()
    concern, _code = raised(team_a)
    assert concern.owner is None
