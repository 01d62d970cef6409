"""Concern references of the demo: unique, by year, and the counter ahead of them."""

import re

from django.contrib.auth import get_user_model
from django.utils import timezone

from fieldwork.models import (
    Category,
    Concern,
    ReferenceCounter,
    Unit,
)
from fieldwork.services import concerns as concern_services

from .conftest import run_seed

User = get_user_model()


def test_references_are_unique_and_the_counter_is_ahead(small_scaled):
    references = list(Concern.objects.values_list("reference", "raised_at"))
    assert len({ref for ref, _at in references}) == len(references)
    highest: dict[int, int] = {}
    for reference, raised_at in references:
        match = re.fullmatch(r"FW-(\d{4})-(\d{6})", reference)
        assert match
        year, number = int(match[1]), int(match[2])
        assert year == timezone.localtime(raised_at).year
        highest[year] = max(highest.get(year, 0), number)
    counters = dict(ReferenceCounter.objects.values_list("year", "last"))
    for year, number in highest.items():
        assert counters[year] >= number


def test_a_concern_raised_after_seeding_gets_a_fresh_reference(db):
    run_seed("--visits", "150", "--units", "40", "--today", timezone.localdate().isoformat())
    cadre = User.objects.get(username="cadre")
    concern = concern_services.concern_create(
        unit=Unit.objects.get(code="bdyx-1"),
        data=concern_services.ConcernInput(title="值班室门锁坏了", category=Category.objects.first()),
        by=cadre,
        owner=cadre,
    )
    year = timezone.localdate().year
    assert concern.reference == f"FW-{year}-{ReferenceCounter.objects.get(year=year).last:06d}"
    assert Concern.objects.filter(reference=concern.reference).count() == 1
