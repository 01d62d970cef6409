"""The database keeps a resolved concern's resolution and its events as written."""

import pytest
from django.db import IntegrityError

from fieldwork.models import Concern, ConcernEvent
from tests.factories import ConcernFactory


def test_resolved_concern_needs_a_resolution(team_a):
    with pytest.raises(IntegrityError):
        ConcernFactory(unit=team_a, status=Concern.Status.RESOLVED, resolution="")


def test_events_are_immutable(team_a):
    event = ConcernEvent.objects.create(concern=ConcernFactory(unit=team_a), kind=ConcernEvent.Kind.RAISED)
    event.note = "rewritten"
    with pytest.raises(Exception, match="immutable"):
        event.save()
    with pytest.raises(Exception, match="immutable"):
        event.delete()
