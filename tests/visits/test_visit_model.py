"""A visit reaches at least one person; its name and address."""

import datetime

import pytest
from django.db import IntegrityError

from fieldwork.models import Visit
from tests.factories import VisitFactory


def test_visit_needs_one_person_reached(team_a, cadre_a):
    with pytest.raises(IntegrityError):
        VisitFactory(unit=team_a, author=cadre_a, people_reached=0)


def test_visit_str_and_url(team_a, cadre_a):
    visit = VisitFactory(unit=team_a, author=cadre_a, date=datetime.date(2026, 7, 1))
    assert "2026-07-01" in str(visit)
    assert visit.get_absolute_url() == f"/visits/{visit.pk}/"
    assert Visit.objects.count() == 1
