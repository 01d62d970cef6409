"""我的工作: a cadre's contact points with the days since their last visit there, those beyond the
interval first; ended ones and other people's are not listed."""

import re

import pytest
from django.urls import reverse

from .helpers import assign, days_ago, visit

pytestmark = pytest.mark.clock(2026, 12, 1)
URL = reverse("fieldwork:my-work")


def test_beyond_the_interval_first_with_the_days_since_the_last_visit(
    client_for, leader_branch, cadre_a, team_a, sub_a, team_b, cadre_a2
):
    visited = assign(leader_branch, cadre_a, team_a, start=days_ago(200))
    visit(cadre_a, team_a, on=days_ago(3))
    never = assign(leader_branch, cadre_a, team_b, start=days_ago(40))  # 40 days, interval 30: beyond it
    long_ago = assign(leader_branch, cadre_a, sub_a, start=days_ago(200), interval_days=60)
    visit(cadre_a, sub_a, on=days_ago(75))  # beyond its 60 days by 15
    ended = assign(leader_branch, cadre_a, team_a.parent, start=days_ago(300), end=days_ago(100))
    theirs = assign(leader_branch, cadre_a2, team_a, start=days_ago(300))
    page = client_for(cadre_a).get(URL).content.decode()
    order = [page.index(f'data-contact-point="{point.pk}"') for point in (long_ago, never, visited)]
    assert order == sorted(order)
    assert f'data-contact-point="{ended.pk}"' not in page
    assert f'data-contact-point="{theirs.pk}"' not in page
    section = page[page.index('id="section-contact-points"') :]
    assert "Last visited" in section and "75 days ago" in section
    assert "Not visited since the term began 40 days ago" in section
    assert "3 days ago" in section
    assert section.count("Beyond the interval") == 2


def test_nothing_assigned_says_so(client_for, cadre_a):
    page = client_for(cadre_a).get(URL).content.decode()
    assert "You answer for no contact point now." in page


def test_no_count_of_visits_is_shown_or_ranked(client_for, leader_branch, cadre_a, cadre_a2, team_a):
    """Item 5 (杜绝盲目攀比政绩): the rows say how long since a visit, never how many visits anyone made."""
    assign(leader_branch, cadre_a, team_a, start=days_ago(100))
    for day in (1, 2, 3):
        visit(cadre_a, team_a, on=days_ago(day))
    page = client_for(cadre_a).get(URL).content.decode()
    section = page[
        page.index('id="section-contact-points"') : page.index("</section>", page.index('id="section-contact-points"'))
    ]
    text = re.sub(r"<[^>]+>", " ", section)
    assert not re.search(r"\d+\s*visits?\b", text), text
