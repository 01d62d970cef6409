"""The page: definitions in the design's words, headline cards first, no ranking, accessible charts."""

import re

import pytest

from fieldwork import dashboard
from tests.dashboard.page_helpers import url

pytestmark = pytest.mark.clock(2026, 8, 20)


def test_the_page_states_each_definition_in_design_words(client_for, leader_branch, branch):
    html = client_for(leader_branch).get(url(branch)).content.decode()
    for text in dashboard.DEFINITIONS.values():
        assert str(text) in html.replace("&#x27;", "'")
    assert str(dashboard.PREAMBLE).replace("“", "").replace("”", "")[:60] in html.replace("“", "").replace("”", "")
    assert "too few to compare" in html


def test_headline_cards_come_first_and_there_is_no_ranking(client_for, leader_branch, branch, team_a, team_b):
    html = client_for(leader_branch).get(url(branch)).content.decode()
    coverage, resolution, satisfaction, visits = (
        html.index('id="fig-coverage"'),
        html.index('id="fig-resolution"'),
        html.index('id="fig-satisfaction"'),
        html.index('id="fig-visits"'),
    )
    assert coverage < resolution < satisfaction < visits
    for word in ("ranking", "medal", "🥇", "leaderboard", "top 10"):
        assert word not in html.lower()


def test_charts_are_accessible_svg_with_a_table_and_no_inline_script_or_style(client_for, leader_branch, branch):
    html = client_for(leader_branch).get(url(branch)).content.decode()
    assert html.count("<svg") >= 2
    assert '<title id="chart-visits-title">' in html and '<desc id="chart-visits-desc">' in html
    assert "The trend as a table" in html
    assert "style=" not in html
    assert re.search(r"<script(?![^>]*\bsrc=)", html) is None
