"""The concern list: signed-in only, GET only, scoped to the user's units, its rows and the nav link."""

import datetime

import pytest
from django.urls import reverse

from tests.concerns.list_helpers import LIST, NEW, references


def test_anonymous_is_sent_to_login(client):
    for page in (LIST, NEW):
        response = client.get(page)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_post_on_the_list_is_405(client_for, cadre_a):
    assert client_for(cadre_a).post(LIST).status_code == 405


def test_list_is_scoped(client, spread, cadre_a, cadre_b_other_team, leader_branch, leader_other_branch):
    expected = {
        cadre_a: {"FW-2026-000001", "FW-2026-000002"},
        cadre_b_other_team: {"FW-2026-000003"},
        leader_branch: {"FW-2026-000001", "FW-2026-000002", "FW-2026-000003"},
        leader_other_branch: {"FW-2026-000004"},
    }
    for user, refs in expected.items():
        client.force_login(user)
        assert set(references(client.get(LIST))) == refs, user


@pytest.mark.clock(2026, 6, 15)  # Monday, a working day
def test_rows_show_the_public_badge_and_overdue_days(client_for, spread, leader_branch):
    assert spread["sub"].due_date == datetime.date(2026, 6, 9)  # Tuesday: 4 working days before Monday 15th
    page = client_for(leader_branch).get(LIST).content.decode()
    assert page.count("data-public-badge") == 1
    assert "4 working days overdue" in page
    assert "3 concerns" in page


def test_nav_links_to_concerns(client_for, cadre_a):
    page = client_for(cadre_a).get(LIST).content.decode()
    assert f'href="{LIST}"' in page and f'href="{NEW}"' in page
