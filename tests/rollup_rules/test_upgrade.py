"""An upgrade that adds a figure: `migrate` rebuilds the stored rollups once, so the new figure is right
for the past as well, and leaves them alone when they were counted by today's rules."""

import io

from django.core.management import call_command

from fieldwork import rollups
from fieldwork.models import RollupStamp, UnitMonth, UnitNow
from fieldwork.rollups import counting, days


def _counted_by_older_rules() -> None:
    """What an installation upgraded past migration 0026 holds: the callback figures' columns empty."""
    UnitMonth.objects.update(callbacks_due=0, callbacks_in_time=0)
    UnitNow.objects.update(callbacks_by_from={}, callbacks_by_due={})
    RollupStamp.objects.filter(pk=1).update(rules=1)


def _migrate() -> str:
    out = io.StringIO()
    call_command("migrate", "--noinput", stdout=out)
    return out.getvalue()


def test_migrate_rebuilds_rollups_counted_by_older_rules(world, baseline):
    assert any(bucket["callbacks_due"] for bucket in rollups.recount().values())  # the baseline has some
    _counted_by_older_rules()
    assert rollups.stored() != rollups.recount()

    said = _migrate()

    assert "Rebuilding the dashboard rollups" in said
    assert rollups.stored() == rollups.recount()
    assert rollups.stored_now() == rollups.recount_now()
    assert days.stored() == days.recount()
    assert RollupStamp.objects.get(pk=1).rules == counting.RULES


def test_migrate_leaves_rollups_of_todays_rules_alone(world, baseline):
    rollups.rebuild()
    assert RollupStamp.objects.get(pk=1).rules == counting.RULES
    UnitMonth.objects.update(visits=12345)  # would be undone by a rebuild

    said = _migrate()

    assert "Rebuilding" not in said
    assert set(UnitMonth.objects.values_list("visits", flat=True)) == {12345}


def test_a_new_installation_records_the_rules_without_a_rebuild(db):
    RollupStamp.objects.all().delete()
    said = _migrate()
    assert "Rebuilding" not in said
    assert RollupStamp.objects.get(pk=1).rules == counting.RULES
