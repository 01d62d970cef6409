"""Supervision shows wherever the concern is listed, and on the public timeline without names."""

import pytest
from django.test import Client
from django.urls import reverse

from fieldwork.models import Concern
from fieldwork.services import public as public_services
from tests.chasing.ladder_helpers import DUE, D, owned, run, supervise
from tests.factories import FollowUpActionFactory, category

pytestmark = pytest.mark.clock(2026, 9, 14, 7, 30)


def test_the_flag_shows_wherever_the_concern_is_listed(clock, client_for, team_a, cadre_a, leader_branch):
    clock.set(2026, 10, 13)
    supervised = supervise(owned(team_a, cadre_a, title="督办件"))
    plain = owned(team_a, cadre_a, title="普通件")
    FollowUpActionFactory(concern=supervised, owner=cadre_a, due_date=D(2026, 10, 1), description="督办的措施")
    FollowUpActionFactory(concern=plain, owner=cadre_a, due_date=D(2026, 10, 1), description="普通的措施")
    client = client_for(leader_branch)

    assert "data-supervised" in client.get(supervised.get_absolute_url()).content.decode()
    assert "data-supervised" not in client.get(plain.get_absolute_url()).content.decode()
    concern_list = client.get(reverse("fieldwork:concern-list"), {"supervised": "1"})
    assert [c.title for c in concern_list.context["rows"]] == ["督办件"]
    assert "data-supervised" in concern_list.content.decode()
    not_supervised = client.get(reverse("fieldwork:concern-list"), {"supervised": "0"})
    assert [c.title for c in not_supervised.context["rows"]] == ["普通件"]
    overdue = client.get(reverse("fieldwork:overdue-list"), {"supervised": "1"})
    assert [c.title for c in overdue.context["concerns"]] == ["督办件"]
    assert [a.description for a in overdue.context["actions"]] == ["督办的措施"]
    assert "data-supervised" in overdue.content.decode()
    everything = client.get(reverse("fieldwork:overdue-list"))
    assert len(everything.context["concerns"]) == 2
    my_work = client_for(cadre_a).get(reverse("fieldwork:my-work")).content.decode()
    assert my_work.count("data-supervised") == 1


def test_the_public_timeline_shows_supervision_without_names(clock, team_a, cadre_a, leader_branch):
    concern, code = public_services.public_concern_raise(
        unit=team_a, category=category(), description="The stairs to the substation are icy."
    )
    Concern.objects.filter(pk=concern.pk).update(owner=cadre_a, due_date=DUE)
    for day in (D(2026, 10, 8), D(2026, 10, 12)):
        run(clock, day)
    client = Client()
    client.post("/s/track/", {"code": code})
    html = client.get("/s/track/").content.decode()
    assert "Supervised by the unit&#x27;s leaders" in html or "Supervised by the unit's leaders" in html
    assert "Chased" not in html  # internal
    for private in ("李芳", "王伟", "Substation workshop:"):
        assert private not in html
