"""factory-boy factories for the domain. Units get their materialised path through Unit.save."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from fieldwork.models import (
    Category,
    Concern,
    ConcernEvent,
    Feedback,
    FollowUpAction,
    Membership,
    Principle,
    Unit,
    Visit,
)

User = get_user_model()


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Sequence(lambda n: f"名{n}")
    last_name = "张"
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password("pass-for-tests-1")


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    name = factory.Sequence(lambda n: f"Unit {n}")
    code = factory.Sequence(lambda n: f"u{n}")
    kind = Unit.Kind.TEAM
    parent = None


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    unit = factory.SubFactory(UnitFactory)
    role = Membership.Role.CADRE


def category(code: str = "safety") -> Category:
    return Category.objects.get(code=code)


def principle(code: str = "pragmatism") -> Principle:
    return Principle.objects.get(code=code)


class VisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Visit
        skip_postgeneration_save = True

    unit = factory.SubFactory(UnitFactory)
    date = factory.LazyFunction(timezone.localdate)
    form = Visit.Form.HOME_VISIT
    location = "Substation yard"
    people_reached = 3
    summary = "Heard about the night shift canteen."
    author = factory.SubFactory(UserFactory)


class ConcernFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Concern
        skip_postgeneration_save = True

    reference = factory.Sequence(lambda n: f"FW-2026-9{n:05d}")
    unit = factory.SubFactory(UnitFactory)
    category = factory.LazyFunction(category)
    title = factory.Sequence(lambda n: f"Concern {n}")
    description = "The lights in the switch room flicker."
    priority = Concern.Priority.NORMAL
    due_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))
    status = Concern.Status.OPEN
    owner = None


class ConcernEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConcernEvent

    concern = factory.SubFactory(ConcernFactory)
    kind = ConcernEvent.Kind.RAISED


class FollowUpActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowUpAction

    concern = factory.SubFactory(ConcernFactory)
    description = "Call the maintenance team."
    owner = factory.SubFactory(UserFactory)
    created_by = factory.SelfAttribute("owner")
    due_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=7))


class FeedbackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Feedback

    concern = factory.SubFactory(ConcernFactory)
    channel = Feedback.Channel.PHONE
    satisfaction = Feedback.Satisfaction.SATISFIED
