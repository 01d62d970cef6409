"""The concern list's filters as a person uses them: statuses as toggle chips (checkboxes), the rarely
used filters folded away, and no empty parameter in the address (dropped by app.js before the form is
sent; redirected away by the server when they arrive anyway, so it holds without JavaScript)."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from fieldwork.models import Concern
from tests.e2e.conftest import DESKTOP, PHONE, sign_in
from tests.factories import ConcernFactory

URL = reverse("fieldwork:concern-list")


def test_empty_parameters_are_redirected_to_the_clean_address(client_for, leader_branch, team_a):
    client = client_for(leader_branch)
    response = client.get(URL + "?q=&status=open&status=in_progress&unit=&owner=&raised_from=&sort=due")
    assert response.status_code == 302
    assert response["Location"] == URL + "?status=open&status=in_progress&sort=due"
    response = client.get(URL + "?q=&unit=")
    assert response.status_code == 302 and response["Location"] == URL
    assert client.get(URL + "?status=open").status_code == 200


def test_statuses_are_checkboxes_and_the_rare_filters_are_folded(client_for, leader_branch, team_a):
    client = client_for(leader_branch)
    html = client.get(URL).content.decode()
    assert "<select" not in re.search(r"<fieldset[^>]*concern-status-chips.*?</fieldset>", html, re.S).group()
    boxes = re.findall(r'<input class="btn-check" type="checkbox" name="status" value="([a-z_]+)"', html)
    assert boxes == list(Concern.Status.values)
    folded = re.search(r"<details class=\"col-12 concern-more-filters\">(.*?)</details>", html, re.S)
    assert folded, "the rarely used filters are folded (and closed) when none of them is set"
    for name in ("raised_from", "callback_limit", "extended_to", "principle", "source"):
        assert f'name="{name}"' in folded.group(1)
    for name in ("q", "unit", "owner", "overdue"):
        assert f'name="{name}"' not in folded.group(1)
    opened = client.get(URL + "?raised_from=2026-07-01").content.decode()
    assert '<details class="col-12 concern-more-filters" open>' in opened
    chosen = client.get(URL + "?status=resolved").content.decode()
    assert re.search(r'name="status" value="resolved" id="[^"]+" checked', chosen)


def test_a_bad_status_is_said_beside_the_field_not_a_500(client_for, leader_branch, team_a):
    response = client_for(leader_branch).get(URL + "?status=nonsense")
    assert response.status_code == 200
    assert "status" in response.context["filter"].form.errors
    assert "invalid-feedback d-block" in response.content.decode()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_a_person_filters_by_two_statuses_and_the_address_says_only_that(
    browser, live_server, leader_branch, team_a, cadre_a, javascript
):
    ConcernFactory(unit=team_a, title="Waiting one", status=Concern.Status.OPEN)
    ConcernFactory(unit=team_a, title="Being done", status=Concern.Status.IN_PROGRESS)
    ConcernFactory(unit=team_a, title="Finished one", status=Concern.Status.WITHDRAWN)
    for viewport in (PHONE, DESKTOP):
        context = browser.new_context(java_script_enabled=javascript, viewport=viewport)
        page = context.new_page()
        requested = []
        page.on("request", lambda request, seen=requested: seen.append(request.url))
        sign_in(page, live_server, "leader_branch")
        page.goto(live_server.url + URL)
        page.get_by_text("Filter", exact=True).click()
        filters = page.get_by_role("search")
        filters.get_by_text("Open", exact=True).click()  # a chip: the label of a checkbox
        filters.get_by_text("In progress", exact=True).click()
        expect(filters.get_by_role("checkbox", name="Open")).to_be_checked()
        expect(page.get_by_label("Raised from")).not_to_be_visible()  # folded away
        page.get_by_role("button", name="Apply").click()
        page.wait_for_load_state()
        assert page.url == f"{live_server.url}{URL}?status=open&status=in_progress"
        expect(page.get_by_text("Waiting one")).to_be_visible()
        expect(page.get_by_text("Being done")).to_be_visible()
        expect(page.get_by_text("Finished one")).to_have_count(0)
        sent = [url for url in requested if "status=open" in url]
        if javascript:
            assert all("=&" not in url and not url.endswith("=") for url in sent), sent  # nothing empty was sent
        else:
            assert any("q=&" in url for url in sent)  # sent empty, then redirected to the clean address
        context.close()
