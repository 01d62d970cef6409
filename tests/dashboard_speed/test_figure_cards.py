"""The dashboard's figure cards written by `{% dashboard_figure %}` read as the `_figure.html` include
they replaced, with every optional part, escaped and in both languages."""

import pytest
from django.template import Context, Template
from django.test.html import parse_html
from django.utils import translation

# templates/fieldwork/dashboards/_figure.html before the tag, as it was included with `with`.
INCLUDED = (
    "{% load i18n %}{% get_current_language as LANGUAGE_CODE %}"
    "<div class=\"{{ column|default:'col-6 col-md-4 col-lg-2' }}\">"
    '<section class="card h-100 dash-card" aria-labelledby="fig-{{ key }}"><div class="card-body">'
    '<h3 class="h6 card-title" id="fig-{{ key }}">{{ title }}</h3>'
    '<p class="dash-value{% if not headline %} dash-value-sm{% endif %} mb-1"><a href="{{ url }}">{{ value }}</a></p>'
    '{% if line %}<p class="small mb-1">{% if line_url %}<a href="{{ line_url }}"'
    '{% if line_alert %} class="overdue"{% endif %}>{{ line }}</a>{% else %}{{ line }}{% endif %}</p>{% endif %}'
    # issue 20: one translated sentence, so Chinese reads "…，其中已办结：…" (no half-width colon)
    '{% if policy_url %}<p class="small mb-1"><a href="{{ policy_url }}">{{ policy_line }}</a>'
    '{% if LANGUAGE_CODE == "en" %}, of which resolved: {% else %}，其中已办结：{% endif %}'
    "{{ policy_percent }}</p>{% endif %}"
    # issue 20: what the card counts in plain words, no longer a folded definition in symbols
    '<p class="small text-body-secondary mb-0 dash-counts">{{ definition }}</p>'
    "</div></section></div>"
)
TAG = (
    "{% load dashboard %}{% dashboard_figure key=key title=title url=url value=value line=line "
    "line_url=line_url line_alert=line_alert column=column headline=headline policy_url=policy_url "
    "policy_line=policy_line policy_percent=policy_percent definition=definition %}"
)
BASE = {
    "key": "open",
    "title": "Open now",
    "url": "/concerns/?unit=1&status=open",
    "value": "1,234",
    "definition": 'Open or in progress <today> & "now"',
    "line": "",
    "line_url": "",
    "line_alert": 0,
    "column": "",
    "headline": False,
    "policy_url": "",
    "policy_line": "",
    "policy_percent": "",
}
CARDS = [
    {},
    {"line": "3 overdue now", "line_url": "/overdue/?unit=1", "line_alert": 3},
    {"line": "0 overdue now", "line_url": "/overdue/?unit=1", "line_alert": 0},
    {"line": "by a <dissatisfied> callback"},
    {"column": "col-12 col-md-4", "headline": True, "value": "87%", "key": "resolution"},
    {
        "policy_url": "/concerns/?unit=1&solvability=policy",
        "policy_line": "2 limited by policy",
        "policy_percent": "50%",
    },
    {"value": 12345, "title": "Visits <all>"},
]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("card", CARDS)
def test_a_card_reads_as_the_include(card, language):
    context = {**BASE, **card}
    with translation.override(language):
        written = Template(TAG).render(Context(context))
        included = Template(INCLUDED).render(Context(context))
    assert parse_html(written) == parse_html(included)
    assert "&lt;today&gt; &amp; &quot;now&quot;" in written


def test_the_cards_of_the_page_carry_their_links_and_definitions(client_for, leader_branch, branch):
    html = client_for(leader_branch).get(f"/units/{branch.pk}/dashboard/").content.decode()
    # 13, the callback figures (issue 18) and the contact points unvisited (issue 21)
    assert html.count('class="card h-100 dash-card"') == 18
    assert html.count('<p class="small text-body-secondary mb-0 dash-counts">') == 18
    assert 'small dash-definition"' not in html  # the exact definitions are in the page's foot only
    assert 'aria-labelledby="fig-on-time"' in html
