"""Every page with a people field, for a unit of more than 1,000 people: the page carries the picker,
not the people. No <option> names a person, nobody's name is on the page unless chosen, and the HTML
stays small."""

import re

import pytest
from django.urls import reverse

from tests.factories import VisitFactory
from tests.people.conftest import CROWD

MAX_OPTIONS = 60  # unit, category, principle, form … selects: the person fields add none
MAX_BYTES = 120_000


def pages(concern, visit):
    return [
        reverse("fieldwork:visit-create"),
        reverse("fieldwork:visit-edit", args=[visit.pk]),
        reverse("fieldwork:visit-list"),
        reverse("fieldwork:concern-create"),
        reverse("fieldwork:concern-list"),
        reverse("fieldwork:overdue-list"),
        reverse("fieldwork:concern-detail", args=[concern.pk]),  # change owner, add an action
    ]


@pytest.fixture
def visit(team_a, leader_branch):
    return VisitFactory(unit=team_a, author=leader_branch)


def test_no_page_sends_the_people_of_a_large_unit(client_for, leader_branch, crowd, concern, visit):
    assert len(crowd) == CROWD > 1000
    client = client_for(leader_branch)
    for url in pages(concern, visit):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        options = re.findall(r"<option\b[^>]*>([^<]*)", html)
        assert len(options) <= MAX_OPTIONS, (url, len(options))
        assert not any("众" in text for text in options), url
        assert "甄众" not in html, url  # nobody of the crowd is listed at all
        assert len(response.content) < MAX_BYTES, (url, len(response.content))
        assert "data-person-picker" in html, url


def test_a_search_lists_at_most_twenty_of_them(client_for, leader_branch, crowd):
    html = client_for(leader_branch).get(reverse("fieldwork:concern-list"), {"owner__q": "甄"}).content.decode()
    assert html.count("甄众") == 20
