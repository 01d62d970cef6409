"""Visits logged before the confirmation existed are marked back-dated by the migration as the
service marks new ones: more than VISIT_BACKDATE_DAYS between the date and the day it was logged."""

import datetime
import importlib

import pytest
from django.apps import apps

from fieldwork.models import Visit
from tests.factories import VisitFactory

pytestmark = pytest.mark.clock(2026, 12, 1)

migration = importlib.import_module("fieldwork.migrations.0027_visit_confirmations")


def test_the_migration_marks_the_visits_logged_late(team_a, cadre_a, clock):
    on_time = VisitFactory(unit=team_a, author=cadre_a, date=datetime.date(2026, 11, 24))  # 7 days
    late = VisitFactory(unit=team_a, author=cadre_a, date=datetime.date(2026, 11, 23))  # 8 days
    old_and_late = VisitFactory(unit=team_a, author=cadre_a, date=datetime.date(2026, 3, 1))
    Visit.objects.filter(pk=old_and_late.pk).update(created_at=clock.now - datetime.timedelta(days=200))  # 75 days
    old_on_time = VisitFactory(unit=team_a, author=cadre_a, date=datetime.date(2026, 5, 1))
    Visit.objects.filter(pk=old_on_time.pk).update(created_at=clock.now - datetime.timedelta(days=213))  # logged 2 May
    migration.visits_backdated(apps, None)
    marked = set(Visit.objects.filter(backdated=True).values_list("pk", flat=True))
    assert marked == {late.pk, old_and_late.pk}
    assert on_time.pk not in marked and old_on_time.pk not in marked
