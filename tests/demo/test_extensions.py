"""Extension requests of the demo are asked and decided as the services allow."""

from collections import Counter

from django.contrib.auth import get_user_model
from django.utils import timezone

from fieldwork import scope
from fieldwork.demo import texts
from fieldwork.models import (
    Concern,
    ConcernEvent,
    ExtensionRequest,
)

User = get_user_model()

EXTENSION_KINDS = {
    ConcernEvent.Kind.EXTENSION_REQUESTED,
    ConcernEvent.Kind.EXTENSION_APPROVED,
    ConcernEvent.Kind.EXTENSION_REFUSED,
}


def test_extension_requests_are_asked_and_decided_as_the_services_allow(friday_demo):
    events = {
        (event.concern_id, event.kind, event.created_at): event
        for event in ConcernEvent.objects.filter(kind__in=EXTENSION_KINDS)
    }
    counted = Counter()
    for request in ExtensionRequest.objects.select_related("concern__unit", "requested_by", "decided_by"):
        concern = request.concern
        assert request.requested_by_id == concern.owner_id
        assert timezone.localtime(request.created_at).date() < request.due_date_before < request.requested_due_date
        assert request.reason in texts.EXTENSION_REASONS
        asked = events[(concern.pk, ConcernEvent.Kind.EXTENSION_REQUESTED, request.created_at)]
        text = f"{request.due_date_before} → {request.requested_due_date}: {request.reason}"
        assert asked.note == text and asked.actor_id == request.requested_by_id and not asked.public
        if request.status == ExtensionRequest.Status.PENDING:
            assert request.decided_at is None and concern.status in Concern.ACTIVE_STATUSES
            continue
        assert request.decided_by_id != request.requested_by_id
        assert scope.is_leader_of(request.decided_by, concern.unit)
        assert request.created_at < request.decided_at
        kind = (
            ConcernEvent.Kind.EXTENSION_APPROVED
            if request.status == ExtensionRequest.Status.APPROVED
            else ConcernEvent.Kind.EXTENSION_REFUSED
        )
        decided = events[(concern.pk, kind, request.decided_at)]
        assert decided.actor_id == request.decided_by_id and decided.public
        if request.status == ExtensionRequest.Status.APPROVED:
            assert decided.note == (f"{text} ({request.decision_note})" if request.decision_note else text)
            assert request.requested_due_date >= timezone.localtime(request.decided_at).date()
            counted[concern.pk] += 1
        else:
            assert request.decision_note in texts.EXTENSION_REFUSALS
            assert decided.note == f"{request.requested_due_date}: {request.decision_note}"
    assert dict(Concern.objects.filter(extensions_granted__gt=0).values_list("pk", "extensions_granted")) == counted
    pending = ExtensionRequest.objects.filter(status=ExtensionRequest.Status.PENDING)
    assert pending.values("concern").distinct().count() == pending.count()
