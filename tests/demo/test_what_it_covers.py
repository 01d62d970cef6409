"""The default demo has every choice, state and case a page or figure can show."""

from collections import Counter

from django.contrib.auth import get_user_model

from fieldwork import demo, ladder
from fieldwork.models import (
    Category,
    Concern,
    ConcernEvent,
    ExtensionRequest,
    Feedback,
    FollowUpAction,
    Visit,
)

from .conftest import TODAY

User = get_user_model()

LADDER = set(ladder.LADDER_KINDS)
EXTENSION_KINDS = {
    ConcernEvent.Kind.EXTENSION_REQUESTED,
    ConcernEvent.Kind.EXTENSION_APPROVED,
    ConcernEvent.Kind.EXTENSION_REFUSED,
}


def test_default_demo_covers_every_choice(default_demo):
    assert Visit.objects.count() == demo.DEFAULT_VISITS
    concerns = Concern.objects.count()
    assert 0.8 * demo.DEFAULT_VISITS <= concerns <= 1.2 * demo.DEFAULT_VISITS
    assert 1.6 * concerns <= FollowUpAction.objects.count() <= 2.6 * concerns
    assert set(Visit.objects.values_list("form", flat=True)) == set(Visit.Form.values)
    assert set(Concern.objects.values_list("status", flat=True)) == set(Concern.Status.values)
    assert set(Concern.objects.values_list("priority", flat=True)) == set(Concern.Priority.values)
    assert set(Concern.objects.values_list("source", flat=True)) == set(Concern.Source.values)
    assert set(Concern.objects.values_list("category", flat=True)) == set(Category.objects.values_list("pk", flat=True))
    assert set(Concern.Solvability.values) <= set(Concern.objects.values_list("solvability", flat=True))
    assert set(Feedback.objects.values_list("satisfaction", flat=True)) == set(Feedback.Satisfaction.values)
    assert Concern.objects.filter(reopen_count__gt=0).exists()
    active = Concern.objects.filter(status__in=Concern.ACTIVE_STATUSES)
    assert active.filter(due_date__lt=TODAY).exists()  # overdue
    assert active.filter(due_date__gte=TODAY).exists()
    assert FollowUpAction.objects.filter(done_at__isnull=True, due_date__lt=TODAY).exists()
    assert FollowUpAction.objects.filter(done_at__isnull=False).exclude(outcome="").exists()
    several = [v for v in Visit.objects.prefetch_related("cadres") if v.cadres.count() > 1]
    assert several


def test_the_demo_cadre_has_a_concern_in_every_state(default_demo):
    mine = Concern.objects.filter(owner__username="cadre")
    assert set(Concern.Status.values) - {Concern.Status.WITHDRAWN} <= set(mine.values_list("status", flat=True))
    assert Concern.objects.filter(unit__code="bdyx-1", status=Concern.Status.WITHDRAWN).exists()


def test_the_demo_has_chased_and_extended_concerns(friday_demo):
    events = Counter(ConcernEvent.objects.filter(kind__in=LADDER | EXTENSION_KINDS).values_list("kind", flat=True))
    assert all(events[kind] for kind in LADDER | EXTENSION_KINDS), events
    requests = Counter(ExtensionRequest.objects.values_list("status", flat=True))
    assert requests[ExtensionRequest.Status.APPROVED] > requests[ExtensionRequest.Status.REFUSED] > 0
    concerns = Concern.objects.count()
    supervised = Concern.objects.filter(supervised_at__isnull=False)
    assert 0.02 * concerns <= supervised.count() <= 0.3 * concerns  # a realistic share, not all
    assert 0.02 * concerns <= Concern.objects.filter(extensions_granted__gt=0).count() <= 0.3 * concerns
    assert supervised.filter(status__in=Concern.ACTIVE_STATUSES).exists()  # the supervised list has rows
    assert supervised.filter(status=Concern.Status.CLOSED).exists()  # and the record of finished ones
    # The demo leader sees some of it in their own units.
    leader = User.objects.get(username="leader")
    assert scope_concerns(leader).filter(supervised_at__isnull=False).exists()
    assert scope_concerns(leader).filter(extensions_granted__gt=0).exists()


def scope_concerns(user):
    return Concern.objects.visible_to(user)
