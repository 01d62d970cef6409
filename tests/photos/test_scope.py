"""Photos reach no one out of scope: served only through views that check the unit (another unit's cadre
gets a 404, as for the visit itself), never from a public media address; withdrawn photos are not served."""

import pytest

from fieldwork.models import Photo
from fieldwork.services import photos as photo_services
from tests.factories import VisitFactory
from tests.photos.helpers import body, photo_on

pytestmark = pytest.mark.clock(2026, 11, 10)


@pytest.fixture
def visit_photo(team_a, cadre_a):
    return photo_on(by=cadre_a, visit=VisitFactory(unit=team_a, author=cadre_a))


@pytest.mark.parametrize("suffix", ["", "thumbnail/"])
def test_another_units_cadre_gets_404(client_for, visit_photo, cadre_b_other_team, suffix):
    assert client_for(cadre_b_other_team).get(f"/photos/{visit_photo.pk}/{suffix}").status_code == 404


@pytest.mark.parametrize("suffix", ["", "thumbnail/"])
def test_another_branchs_leader_gets_404(client_for, visit_photo, leader_other_branch, suffix):
    assert client_for(leader_other_branch).get(f"/photos/{visit_photo.pk}/{suffix}").status_code == 404


def test_a_leader_above_sees_it(client_for, visit_photo, leader_branch):
    response = client_for(leader_branch).get(f"/photos/{visit_photo.pk}/thumbnail/")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert "no-store" in response["Cache-Control"]
    assert body(response)[:2] == b"\xff\xd8"


def test_anonymous_is_sent_to_sign_in(client, visit_photo):
    response = client.get(f"/photos/{visit_photo.pk}/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_post_is_refused(client_for, visit_photo, cadre_a):
    assert client_for(cadre_a).post(f"/photos/{visit_photo.pk}/").status_code == 405


def test_no_public_media_address_serves_it(client_for, visit_photo, cadre_a):
    client = client_for(cadre_a)
    assert client.get(f"/media/photos/{visit_photo.file}").status_code == 404
    assert client.get(f"/media/{visit_photo.file}").status_code == 404


def test_a_withdrawn_photo_is_kept_but_no_longer_served(client_for, visit_photo, cadre_a):
    client = client_for(cadre_a)
    response = client.post(f"/photos/{visit_photo.pk}/withdraw/", {"reason": "A colleague's face"})
    assert response.status_code == 302 and response["Location"] == f"/visits/{visit_photo.visit_id}/"
    photo = Photo.objects.get(pk=visit_photo.pk)
    assert photo.withdrawn_by == cadre_a and photo.withdrawn_reason == "A colleague's face"
    assert photo_services.photo_storage().exists(photo.file)  # nothing is hard-deleted
    assert photo.history.count() == 2
    assert client.get(f"/photos/{photo.pk}/").status_code == 404
    assert f"/photos/{photo.pk}/thumbnail/" not in client.get(f"/visits/{photo.visit_id}/").content.decode()


def test_withdrawing_needs_a_reason(client_for, visit_photo, cadre_a):
    client = client_for(cadre_a)
    client.post(f"/photos/{visit_photo.pk}/withdraw/", {"reason": "  "})
    assert Photo.objects.get(pk=visit_photo.pk).withdrawn_at is None


def test_a_colleague_who_did_not_add_it_may_not_withdraw_it(client_for, visit_photo, cadre_a2):
    response = client_for(cadre_a2).post(f"/photos/{visit_photo.pk}/withdraw/", {"reason": "no"})
    assert response.status_code == 403
    assert Photo.objects.get(pk=visit_photo.pk).withdrawn_at is None


def test_out_of_scope_withdraw_is_404(client_for, visit_photo, cadre_b_other_team):
    response = client_for(cadre_b_other_team).post(f"/photos/{visit_photo.pk}/withdraw/", {"reason": "no"})
    assert response.status_code == 404


def test_in_production_nginx_sends_the_file(client_for, visit_photo, cadre_a, settings):
    settings.FIELDWORK_PHOTOS_ACCEL = True
    response = client_for(cadre_a).get(f"/photos/{visit_photo.pk}/")
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/_photos/{visit_photo.file}"
    assert response.content == b""
    assert client_for(cadre_a).get(f"/photos/{visit_photo.pk}/thumbnail/")["X-Accel-Redirect"].endswith("-thumb.jpg")
