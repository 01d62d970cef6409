"""Assessing an active concern, and who may not."""

import pytest

from fieldwork.errors import DomainError
from fieldwork.models import Concern
from fieldwork.services import concerns as concern_services
from tests.concerns.helpers import resolved, started

pytestmark = pytest.mark.clock(2026, 11, 10)


@pytest.mark.parametrize("start_first", [False, True])
def test_assess_an_active_concern(concern, cadre_a, start_first):
    if start_first:
        started(concern, cadre_a)
    status = concern.status
    concern_services.concern_assess(
        concern=concern, by=cadre_a, version=concern.version, solvability="policy", note="Needs a group rule."
    )
    concern.refresh_from_db()
    assert concern.solvability == Concern.Solvability.POLICY and concern.status == status
    event = concern.events.last()
    assert event.kind == "assessed" and event.note == "Limited by policy: Needs a group rule."


def test_assess_refusals(concern, cadre_a, cadre_a2):
    with pytest.raises(DomainError, match="Choose how far"):
        concern_services.concern_assess(concern=concern, by=cadre_a, version=1, solvability="soon")
    with pytest.raises(DomainError, match="owner or a leader"):
        concern_services.concern_assess(concern=concern, by=cadre_a2, version=1, solvability="now")
    resolved(concern, cadre_a)
    with pytest.raises(DomainError, match="Only an open or in-progress concern can be assessed"):
        concern_services.concern_assess(concern=concern, by=cadre_a, version=concern.version, solvability="now")
    concern.refresh_from_db()
    assert concern.solvability == ""
