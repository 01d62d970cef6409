"""The people picker's shared steps: people with names in a unit, and a unit of more than 1,000 people."""

import pytest
from django.contrib.auth import get_user_model

from fieldwork.models import Membership
from fieldwork.services import people as people_services
from tests.factories import MembershipFactory, UserFactory

User = get_user_model()
CROWD = 1100


def person(unit, last: str, first: str, username: str | None = None, role=Membership.Role.CADRE):
    """A person with this Chinese name (family name first) who works in the unit."""
    user = UserFactory(username=username or f"p{User.objects.count() + 1}", last_name=last, first_name=first)
    MembershipFactory(user=user, unit=unit, role=role)
    return user


@pytest.fixture
def crowd(team_a):
    """More than 1,000 people in team A, loaded in bulk as seed_demo does, their keys rebuilt after."""
    users = User.objects.bulk_create(
        [User(username=f"crowd{n:04d}", last_name="甄", first_name=f"众{n:04d}") for n in range(CROWD)]
    )
    ids = list(User.objects.filter(username__startswith="crowd").values_list("pk", flat=True))
    Membership.objects.bulk_create([Membership(user_id=pk, unit=team_a, role=Membership.Role.CADRE) for pk in ids])
    people_services.person_keys_rebuild(user_ids=ids)
    return users
