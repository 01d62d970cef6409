"""The public timeline tells the person of a new date or a refusal, without names or notes."""

import pytest
from django.test import Client

from fieldwork.models import Concern
from fieldwork.services import extensions as extension_services
from fieldwork.services import public as public_services
from tests.extensions.helpers import DUE, fresh, requested
from tests.factories import category

pytestmark = pytest.mark.clock(2026, 9, 14)


def public_concern(team_a, cadre_a):
    concern, code = public_services.public_concern_raise(
        unit=team_a, category=category(), description="The stairs to the substation are icy.", name="刘师傅"
    )
    Concern.objects.filter(pk=concern.pk).update(owner=cadre_a, due_date=DUE)
    return fresh(concern), code


def track_page(code) -> str:
    client = Client()
    client.post("/s/track/", {"code": code})
    return client.get("/s/track/").content.decode()


def test_public_timeline_shows_the_new_date_without_names(team_a, cadre_a, leader_branch):
    concern, code = public_concern(team_a, cadre_a)
    request = requested(concern, cadre_a, reason="王伟 waits for 李芳's budget.")
    extension_services.extension_decide(
        request=request, by=leader_branch, approve=True, note="李芳 agrees.", version=fresh(concern).version
    )

    html = track_page(code)

    assert "Extension granted" in html and "New due date: 15 Oct 2026" in html
    assert "Extension requested" not in html  # the asking is internal; the decision is public
    for private in ("王伟", "李芳", "budget", "agrees", "伟", "芳"):
        assert private not in html


def test_public_timeline_shows_a_refusal_without_names_or_note(team_a, cadre_a, leader_branch):
    concern, code = public_concern(team_a, cadre_a)
    request = requested(concern, cadre_a)
    extension_services.extension_decide(
        request=request, by=leader_branch, approve=False, note="李芳: finish it first.", version=fresh(concern).version
    )

    html = track_page(code)

    assert "Extension refused" in html and "New due date" not in html
    for private in ("李芳", "finish it first", "Parts on order"):
        assert private not in html
