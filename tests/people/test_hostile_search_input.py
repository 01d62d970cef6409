"""Hostile values in /people/search/ and in a picker's search box never give a 500 or reach the page raw."""

import pytest
from django.urls import reverse

URL = reverse("fieldwork:people-search")
HOSTILE = ["\x00", "a\x00b", "9" * 30, "２", "%", "_", "\\", "'; --", "<b>x</b>", "王" * 500, " ", "\u202e"]


@pytest.mark.parametrize("value", HOSTILE)
def test_the_endpoint_never_fails(client_for, leader_branch, value):
    client = client_for(leader_branch)
    for params in ({"q": value}, {"within": value, "q": "w"}, {"field": value, "q": "w"}, {"kind": value}):
        response = client.get(URL, params)
        assert response.status_code in (200, 404), params
        assert "<b>x</b>" not in response.content.decode()


def test_like_wildcards_are_taken_literally(client_for, leader_branch, cadre_a):
    client = client_for(leader_branch)
    assert client.get(URL, {"q": "%", "format": "json"}).json()["results"] == []
    assert client.get(URL, {"q": "_", "format": "json"}).json()["results"] == []


@pytest.mark.parametrize("value", HOSTILE)
def test_a_pickers_box_on_a_list_never_fails(client_for, leader_branch, value):
    response = client_for(leader_branch).get(reverse("fieldwork:concern-list"), {"owner__q": value, "owner": value})
    assert response.status_code == 200
    assert "<b>x</b>" not in response.content.decode()
