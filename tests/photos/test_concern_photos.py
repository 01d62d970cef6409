"""Photos on a concern: before (from its page), after (with the resolution), with each follow-up action; the
owner marks which ones the person who raised it may see."""

import re

import pytest

from fieldwork.models import Concern, FollowUpAction, Photo
from tests.concerns.helpers import HTMX, started, url
from tests.photos.helpers import photo_on
from tests.photos.images import jpeg, upload

pytestmark = pytest.mark.clock(2026, 11, 10)


def token(client, concern, purpose):
    page = client.get(concern.get_absolute_url()).content.decode()
    form = re.search(rf'action="{re.escape(url(purpose, concern))}".*?</form>', page, re.S).group(0)
    return re.search(r'name="form_token" value="([^"]+)"', form).group(1)


def test_the_page_offers_the_photo_inputs(client_for, concern, cadre_a):
    started(concern, cadre_a)
    html = client_for(cadre_a).get(concern.get_absolute_url()).content.decode()
    for input_id in ("before-photos", "resolve-photos", "action-photos"):
        assert re.search(rf'name="photos" id="{input_id}" accept="image/\*" capture="environment" multiple', html)
    assert html.count('enctype="multipart/form-data"') == 3


def test_resolved_with_photos_after_the_work(client_for, concern, cadre_a):
    started(concern, cadre_a)
    client = client_for(cadre_a)
    data = {"resolve-version": concern.version, "resolve-resolution": "Salt on the stairs.", "photos": [upload(jpeg())]}
    assert client.post(url("concern-resolve", concern), data).status_code == 302
    concern.refresh_from_db()
    assert concern.status == Concern.Status.RESOLVED
    photo = Photo.objects.get()
    assert (photo.concern, photo.stage, photo.action) == (concern, "after", None)
    assert photo.event == concern.events.get(kind="resolved")
    html = client.get(concern.get_absolute_url()).content.decode()
    assert "Photos after the work" in html and f'src="/photos/{photo.pk}/thumbnail/"' in html
    timeline = re.search(r'<li class="mb-2" data-event="resolved">.*?</li>\s*(?=<li class="mb-2"|</ol>)', html, re.S)
    assert f'src="/photos/{photo.pk}/thumbnail/"' in timeline.group(0)


def test_a_bad_photo_leaves_the_concern_unresolved(client_for, concern, cadre_a):
    started(concern, cadre_a)
    client = client_for(cadre_a)
    data = {
        "resolve-version": concern.version,
        "resolve-resolution": "Salt on the stairs.",
        "photos": [upload(b"GIF89a but not really", "x.jpg")],
    }
    response = client.post(url("concern-resolve", concern), data, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "“x.jpg” is not a photo that can be read here" in html
    assert re.search(r'<details class="card card-body mb-2" open data-step="resolve">', html)
    concern.refresh_from_db()
    assert concern.status == Concern.Status.IN_PROGRESS and Photo.objects.count() == 0


def test_an_action_with_photos(client_for, concern, cadre_a):
    client = client_for(cadre_a)
    data = {
        "action-description": "Ask the canteen to stay open",
        "action-owner": cadre_a.pk,
        "action-due_date": "2026-11-20",
        "form_token": token(client, concern, "concern-action-create"),
        "photos": [upload(jpeg(), "a.jpg"), upload(jpeg(), "b.jpg")],
    }
    assert client.post(url("concern-action-create", concern), data).status_code == 302
    action = FollowUpAction.objects.get()
    assert sorted(action.photos.values_list("concern_id", "stage")) == [(concern.pk, ""), (concern.pk, "")]
    html = client.get(concern.get_absolute_url()).content.decode()
    block = re.search(rf'data-action="{action.pk}">.*?</li>\s*</ul>', html, re.S).group(0)
    assert block.count("data-photo-thumb") == 2
    assert {photo.event.kind for photo in action.photos.all()} == {"action_added"}
    assert html.count("data-event-photos") == 1


def test_a_bad_photo_refuses_the_action(client_for, concern, cadre_a):
    client = client_for(cadre_a)
    data = {
        "action-description": "Ask the canteen",
        "action-owner": cadre_a.pk,
        "action-due_date": "2026-11-20",
        "form_token": token(client, concern, "concern-action-create"),
        "photos": [upload(b"nope", "a.jpg")],
    }
    response = client.post(url("concern-action-create", concern), data)
    assert response.status_code == 200 and "“a.jpg” is not a photo" in response.content.decode()
    assert FollowUpAction.objects.count() == 0 and Photo.objects.count() == 0


def test_photos_of_the_problem_sent_once(client_for, concern, cadre_a):
    client = client_for(cadre_a)
    data = {"form_token": token(client, concern, "concern-photo-add"), "photos": [upload(jpeg())]}
    assert client.post(url("concern-photo-add", concern), data).status_code == 302
    data["photos"] = [upload(jpeg())]
    client.post(url("concern-photo-add", concern), data)  # Back, then send again
    assert list(Photo.objects.values_list("stage", flat=True)) == ["before"]


def test_photos_of_the_problem_need_a_photo(client_for, concern, cadre_a):
    client = client_for(cadre_a)
    response = client.post(
        url("concern-photo-add", concern), {"form_token": token(client, concern, "concern-photo-add")}
    )
    assert "Choose at least one photo." in response.content.decode()


def test_out_of_scope_cannot_add_photos(client_for, concern, cadre_b_other_team):
    response = client_for(cadre_b_other_team).post(url("concern-photo-add", concern), {"photos": [upload(jpeg())]})
    assert response.status_code == 404 and Photo.objects.count() == 0


def test_the_owner_marks_a_photo_shareable(client_for, concern, cadre_a):
    photo = photo_on(by=cadre_a, concern=concern, stage="before")
    client = client_for(cadre_a)
    response = client.post(f"/photos/{photo.pk}/share/", {"shareable": "1"})
    assert response.status_code == 302 and response["Location"] == concern.get_absolute_url()
    photo.refresh_from_db()
    assert photo.shareable
    assert photo.history.latest().history_user == cadre_a
    client.post(f"/photos/{photo.pk}/share/", {"shareable": "0"})
    photo.refresh_from_db()
    assert not photo.shareable


def test_a_colleague_who_does_not_own_the_concern_may_not_share(client_for, concern, cadre_a, cadre_a2):
    photo = photo_on(by=cadre_a2, concern=concern, stage="before")
    assert client_for(cadre_a2).post(f"/photos/{photo.pk}/share/", {"shareable": "1"}).status_code == 403
    photo.refresh_from_db()
    assert not photo.shareable


def test_a_leader_may_share(client_for, concern, cadre_a, leader_branch):
    photo = photo_on(by=cadre_a, concern=concern, stage="before")
    client_for(leader_branch).post(f"/photos/{photo.pk}/share/", {"shareable": "1"})
    photo.refresh_from_db()
    assert photo.shareable


def test_a_transfer_moves_the_photos_along(concern, cadre_a, leader_branch, team_b):
    from fieldwork.services import transfers

    photo = photo_on(by=cadre_a, concern=concern, stage="before")
    transfers.concern_transfer(concern=concern, by=leader_branch, version=concern.version, unit=team_b, reason="Theirs")
    photo.refresh_from_db()
    assert photo.unit == team_b
