"""An empty list says where its rows come from, or offers to reset the filters."""

from django.urls import reverse


def test_an_empty_concern_list_says_where_concerns_come_from(client_for, cadre_a, team_a):
    html = client_for(cadre_a).get(reverse("fieldwork:concern-list")).content.decode()
    assert "No concerns yet. They come from what people raise" in html
    assert f'href="{reverse("fieldwork:visit-create")}">Log a visit</a></div>' in html


def test_a_filtered_empty_concern_list_offers_to_reset(client_for, cadre_a, concern):
    html = client_for(cadre_a).get(reverse("fieldwork:concern-list"), {"status": "closed"}).content.decode()
    assert "No concerns match these filters." in html
    assert f'<a href="{reverse("fieldwork:concern-list")}">Reset the filters</a>' in html


def test_a_filtered_empty_supervised_list_offers_to_reset(client_for, leader_branch, team_a):
    url = reverse("fieldwork:concern-supervised-list")
    html = client_for(leader_branch).get(url, {"unit": team_a.pk}).content.decode()
    assert "No supervised concern matches these filters." in html
    assert f'<a href="{url}">Reset the filters</a>' in html


def test_a_unit_search_finding_nothing_says_what_to_try(client_for, leader_branch, team_a):
    html = client_for(leader_branch).get(reverse("fieldwork:unit-list"), {"q": "nowhere"}).content.decode()
    assert "Try part of the unit's name, or its code." in html
