"""Resolving a concern (concern_resolve): only work in progress, only with a resolution, only by who may."""

import datetime

import pytest

from fieldwork.errors import DomainError
from fieldwork.models import Concern
from fieldwork.services import concerns as concern_services
from tests.concerns.helpers import NOW, started

pytestmark = pytest.mark.clock(2026, 11, 10)


def test_resolve_needs_work_in_progress(concern, cadre_a):
    with pytest.raises(DomainError, match="Only a concern in progress can be resolved; this one is “Open”"):
        concern_services.concern_resolve(concern=concern, by=cadre_a, version=1, resolution="Done.")


def test_resolve_needs_a_resolution(concern, cadre_a):
    started(concern, cadre_a)
    for blank in ("", "   \n"):
        with pytest.raises(DomainError, match="resolved only with a resolution"):
            concern_services.concern_resolve(concern=concern, by=cadre_a, version=concern.version, resolution=blank)
    concern.refresh_from_db()
    assert concern.status == Concern.Status.IN_PROGRESS and concern.version == 2


def test_resolve(concern, cadre_a, clock):
    started(concern, cadre_a)
    clock.move(days=2)
    concern_services.concern_resolve(concern=concern, by=cadre_a, version=2, resolution="  Replaced the ballast. ")
    concern.refresh_from_db()
    assert concern.status == Concern.Status.RESOLVED
    assert concern.resolution == "Replaced the ballast."
    assert concern.resolved_at == NOW + datetime.timedelta(days=2)
    event = concern.events.last()
    assert (event.kind, event.from_status, event.to_status, event.note) == (
        "resolved",
        "in_progress",
        "resolved",
        "Replaced the ballast.",
    )


def test_another_cadre_cannot_resolve(concern, cadre_a, cadre_a2):
    started(concern, cadre_a)
    with pytest.raises(DomainError, match="owner or a leader"):
        concern_services.concern_resolve(concern=concern, by=cadre_a2, version=2, resolution="Done.")
