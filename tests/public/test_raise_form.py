"""The public form: a name and contact if the person wishes, a title from the first line; a description
is required, sizes are limited, a form is sent once, an unknown unit is 404, each tree on its own."""

import pytest

from fieldwork.models import Concern, Membership, Unit
from fieldwork.services import public as public_services
from tests.factories import MembershipFactory, UnitFactory, UserFactory, category
from tests.public.helpers import RAISE_URL, form_token, send, track

pytestmark = pytest.mark.clock(2026, 11, 10)


def test_a_person_may_give_their_name_and_contact(anon, team_a):
    send(anon, anonymous=None, name="赵铁柱", contact="13800001234")
    concern = Concern.objects.get()
    assert not concern.anonymous
    assert (concern.raised_by_name, concern.raised_by_contact) == ("赵铁柱", "13800001234")


def test_anonymous_with_a_name_asks_first(anon, team_a):
    response = send(anon, name="赵铁柱")
    assert response.status_code == 200
    assert "untick" in response.content.decode()
    assert Concern.objects.count() == 0


def test_title_comes_from_the_first_line():
    assert public_services.public_title("  Short line \n and more") == "Short line"
    long = "x" * 100
    title = public_services.public_title(long)
    assert len(title) == 60 and title.endswith("…")


def test_a_form_is_sent_once(anon, team_a):
    page = anon.get(RAISE_URL)
    data = {
        "description": "Lockers are broken",
        "category": category().pk,
        "anonymous": "on",
        "form_token": form_token(page),
    }
    assert anon.post(RAISE_URL, data).status_code == 302
    again = anon.post(RAISE_URL, data)  # issue 15: a resend shows the receipt again, makes nothing
    assert again.status_code == 302
    assert Concern.objects.count() == 1


def test_sizes_are_limited(anon, team_a):
    response = send(anon, description="x" * 2001, anonymous=None, name="n" * 101, contact="c" * 101)
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"description", "name", "contact"}
    assert Concern.objects.count() == 0
    assert track(anon, "A" * 41).status_code == 200


def test_description_is_required(anon, team_a):
    response = send(anon, description="   ")
    assert response.status_code == 200
    assert "description" in response.context["form"].errors
    assert Concern.objects.count() == 0


def test_unknown_or_inactive_unit_is_404(anon, team_a):
    assert anon.get("/s/no-such-unit/").status_code == 404
    team_a.active = False
    team_a.save()
    assert anon.get(RAISE_URL).status_code == 404
    assert anon.post(RAISE_URL, {"description": "x"}).status_code == 404
    assert Concern.objects.count() == 0


def test_a_second_unit_under_another_tree_is_independent(anon, company):
    """A unit with the same receiver rules elsewhere: codes and limits are per unit and address only."""
    station = UnitFactory(name="Station 9", code="station-9", kind=Unit.Kind.STATION, parent=company)
    user = UserFactory(username="receiver_9")
    MembershipFactory(user=user, unit=station, role=Membership.Role.CADRE)
    station.receiver = user
    station.save()
    assert send(anon, "/s/station-9/").status_code == 302
    assert Concern.objects.get().owner == user
