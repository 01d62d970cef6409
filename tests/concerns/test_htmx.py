"""With htmx a step returns the page's fragment; without it the whole page shows the same body."""

import re

from fieldwork.models import Concern
from tests.concerns.helpers import HTMX, fresh, start, url


def test_htmx_post_returns_the_fragment(client_for, cadre_a, concern):
    response = start(client_for(cadre_a), concern, **HTMX)
    assert response.status_code == 200
    assert response.templates[0].name == "fieldwork/concerns/_detail_body.html"
    page = response.content.decode()
    assert "<html" not in page and 'id="concern-body"' not in page
    assert "In progress" in page and "Work started." in page
    assert 'name="resolve-version" value="2"' in page  # the next form carries the new version
    assert fresh(concern).status == Concern.Status.IN_PROGRESS


def test_htmx_and_full_page_show_the_same_body(client_for, cadre_a, concern):
    client = client_for(cadre_a)
    fragment = client.get(concern.get_absolute_url(), **HTMX).content.decode()
    full = client.get(concern.get_absolute_url()).content.decode()
    unmasked = re.compile(r'name="(csrfmiddlewaretoken|form_token)" value="[^"]+"')  # new on each render
    assert unmasked.sub("", fragment).strip() in unmasked.sub("", full)


def test_htmx_refusal_is_shown_in_the_fragment(client_for, cadre_a, concern):
    client = client_for(cadre_a)
    start(client, concern, **HTMX)
    response = start(client, concern, **HTMX)  # repeated, stale
    assert response.status_code == 200
    page = response.content.decode()
    assert "alert-danger" in page and "Someone else changed this concern" in page
    response = client.post(url("concern-resolve", concern), {"resolve-version": 2}, **HTMX)
    assert "This field is required." in response.content.decode() and "<html" not in response.content.decode()
    assert fresh(concern).version == 2


def test_forms_post_to_their_own_urls_with_htmx_and_without(client_for, leader_branch, concern):
    page = client_for(leader_branch).get(concern.get_absolute_url()).content.decode()
    for name in (
        "concern-start",
        "concern-assess",
        "concern-withdraw",
        "concern-reassign",
        "concern-set-due",
        "concern-action-create",
    ):
        target = url(name, concern)
        assert f'action="{target}" hx-post="{target}"' in page, name
    assert 'name="start-version" value="1"' in page
    assert page.count("csrfmiddlewaretoken") >= 6
