"""rebuild_rollups recounts everything or a subtree, and refuses an unknown unit."""

import datetime

import pytest
from django.core.management import call_command

from fieldwork.models import UnitMonth, Visit
from fieldwork.services import visits as visit_services
from tests.rollups.helpers import assert_in_step

pytestmark = pytest.mark.clock(2026, 1, 20, 9)


def test_rebuild_command_recounts_everything_and_a_subtree(world, clock, team_a, branch, company):
    visit_services.visit_record(
        by=world.cadre,
        unit=team_a,
        date=datetime.date(2026, 1, 5),
        form=Visit.Form.SYMPOSIUM,
        people_reached=2,
        summary="Canteen",
        confirmation_note="Back-dated on purpose: the test's story",
    )
    UnitMonth.objects.update(visits=99)  # spoil them
    call_command("rebuild_rollups", "--unit", branch.code, verbosity=0)
    assert UnitMonth.objects.get(unit=team_a, month=datetime.date(2026, 1, 1)).visits == 1
    assert UnitMonth.objects.get(unit=company, month=datetime.date(2026, 1, 1)).visits == 1  # carried up
    UnitMonth.objects.update(visits=99)
    call_command("rebuild_rollups", verbosity=0)
    assert_in_step()


def test_rebuild_command_refuses_an_unknown_unit(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("rebuild_rollups", "--unit", "no-such-unit", verbosity=0)
