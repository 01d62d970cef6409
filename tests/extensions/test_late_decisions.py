"""A timely request may be approved after the due date, but not for a date already past."""

import datetime

import pytest

from fieldwork.errors import DomainError
from fieldwork.models import ExtensionRequest
from fieldwork.services import extensions as extension_services
from tests.extensions.helpers import LATER, fresh, requested

pytestmark = pytest.mark.clock(2026, 9, 14)


def test_a_timely_request_may_be_approved_after_the_due_date(cadre_a, leader_branch, concern, clock):
    request = requested(concern, cadre_a)
    clock.move(days=17)  # Thursday 1 October: the due date has passed meanwhile
    extension_services.extension_decide(request=request, by=leader_branch, approve=True, version=fresh(concern).version)
    assert fresh(concern).due_date == LATER


def test_a_date_already_past_is_not_approved(cadre_a, leader_branch, concern, clock):
    request = requested(concern, cadre_a, day=datetime.date(2026, 10, 2))
    clock.move(days=20)
    with pytest.raises(DomainError, match="The requested date has passed"):
        extension_services.extension_decide(
            request=request, by=leader_branch, approve=True, version=fresh(concern).version
        )
    extension_services.extension_decide(
        request=request, by=leader_branch, approve=False, note="Too late.", version=fresh(concern).version
    )
    assert ExtensionRequest.objects.get().status == "refused"
