"""Steps posted as plain forms: the page comes back with the change, or the error beside its field."""

from fieldwork.models import Concern
from fieldwork.services import concerns as concern_services
from tests.concerns.helpers import fresh, start, url


def test_start_without_javascript(client_for, cadre_a, concern):
    client = client_for(cadre_a)
    response = start(client, concern)
    assert response.status_code == 302 and response["Location"] == concern.get_absolute_url()
    assert fresh(concern).status == Concern.Status.IN_PROGRESS
    page = client.get(response["Location"]).content.decode()
    assert "Work started." in page


def test_resolve_needs_text_and_shows_the_error_beside_the_field(client_for, cadre_a, concern):
    concern_services.concern_start(concern=concern, by=cadre_a, version=1)
    client = client_for(cadre_a)
    response = client.post(url("concern-resolve", concern), {"resolve-version": 2, "resolve-resolution": ""})
    assert response.status_code == 200
    page = response.content.decode()
    assert "This field is required." in page and "Please correct the errors below." in page
    assert "<html" in page  # the full page without JavaScript
    assert fresh(concern).status == Concern.Status.IN_PROGRESS
    response = client.post(
        url("concern-resolve", concern), {"resolve-version": 2, "resolve-resolution": "New ballast."}
    )
    assert response.status_code == 302
    concern = fresh(concern)
    assert concern.status == Concern.Status.RESOLVED and concern.resolution == "New ballast."


def test_domain_refusal_without_javascript_is_a_message(client_for, cadre_a, concern):
    concern_services.concern_start(concern=concern, by=cadre_a, version=1)
    # A hand-made request: start on a concern already in progress, with the current version.
    response = client_for(cadre_a).post(url("concern-start", concern), {"start-version": 2}, follow=True)
    assert "Only an open concern can be started" in response.content.decode()
    assert fresh(concern).version == 2
