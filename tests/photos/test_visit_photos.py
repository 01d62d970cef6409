"""Photos sent with the visit form: stored re-encoded, shown as thumbnails linking to the full image; one bad
photo refuses the whole form with a message beside the field, and its submission key stays unused."""

import io
import re

import pytest
from PIL import Image

from fieldwork.models import Photo, Visit
from fieldwork.services.photos import photo_storage
from tests.photos.helpers import body
from tests.photos.images import jpeg, png_bomb, upload
from tests.visits.helpers import visit_post

pytestmark = pytest.mark.clock(2026, 11, 10)


def form_token(client) -> str:
    page = client.get("/visits/new/").content.decode()
    return re.search(r'name="form_token" value="([^"]+)"', page).group(1)


def test_the_form_is_multipart_with_a_camera_input(client_for, cadre_a, team_a):
    html = client_for(cadre_a).get("/visits/new/").content.decode()
    assert '<form method="post" enctype="multipart/form-data"' in html
    assert re.search(
        r'<input type="file" name="photos" id="id_photos" accept="image/\*" capture="environment" multiple', html
    )
    assert "fieldwork/photos.js" in html


def test_a_visit_with_two_photos(client_for, cadre_a, team_a):
    client = client_for(cadre_a)
    data = visit_post(team_a, form_token=form_token(client))
    data["photos"] = [upload(jpeg(gps=True), "a.jpg"), upload(jpeg(colour=(0, 0, 200)), "b.jpg")]
    response = client.post("/visits/new/", data)
    assert response.status_code == 302
    visit = Visit.objects.get()
    photos = list(visit.photos.all())
    assert len(photos) == 2
    for photo in photos:
        assert photo.unit == team_a and photo.added_by == cadre_a and photo.stage == "" and not photo.shareable
        with photo_storage().open(photo.file) as handle:
            content = handle.read()
        assert len(content) == photo.bytes and b"Exif" not in content
        assert Image.open(io.BytesIO(content)).size == (photo.width, photo.height)
        assert photo_storage().exists(photo.thumbnail)
    page = client.get(visit.get_absolute_url()).content.decode()
    for photo in photos:
        assert f'<a href="/photos/{photo.pk}/" class="d-block" data-photo-link>' in page
        assert f'src="/photos/{photo.pk}/thumbnail/"' in page
    full = client.get(f"/photos/{photos[0].pk}/")
    assert full.status_code == 200 and full["Content-Type"] == "image/jpeg"
    assert body(full)[:2] == b"\xff\xd8"


def test_one_bad_photo_refuses_the_visit_and_leaves_the_key_unused(client_for, cadre_a, team_a, photo_folder):
    client = client_for(cadre_a)
    token = form_token(client)
    data = visit_post(team_a, form_token=token)
    data["photos"] = [upload(jpeg(), "good.jpg"), upload(b"not an image at all" * 20, "fake.jpg")]
    response = client.post("/visits/new/", data)
    assert response.status_code == 200
    html = response.content.decode()
    error = re.search(r'<div class="invalid-feedback d-block" id="id_photos-error"[^>]*>(.*?)</div></div>', html, re.S)
    assert error and "“fake.jpg” is not a photo that can be read here" in error.group(1)
    assert "Nothing was saved: choose the photos again." in error.group(1)
    assert 'class="form-control is-invalid" data-photo-input' in html
    assert Visit.objects.count() == 0 and Photo.objects.count() == 0
    assert not photo_folder.exists() or not any(path.is_file() for path in photo_folder.rglob("*"))
    # the same opening of the form, sent again with a good photo, is saved: the key was not used up
    data["photos"] = [upload(jpeg(), "good.jpg")]
    assert client.post("/visits/new/", data).status_code == 302
    assert Visit.objects.count() == 1 and Photo.objects.count() == 1


def test_a_bomb_gets_a_message_never_a_500(client_for, cadre_a, team_a):
    client = client_for(cadre_a)
    data = visit_post(team_a, form_token=form_token(client))
    data["photos"] = [upload(png_bomb(), "bomb.png", "image/png")]
    response = client.post("/visits/new/", data)
    assert response.status_code == 200
    assert "“bomb.png” has too many pixels to be opened safely" in response.content.decode()
    assert Visit.objects.count() == 0


def test_too_many_photos(client_for, cadre_a, team_a, settings):
    settings.FIELDWORK_PHOTO_MAX_COUNT = 2
    client = client_for(cadre_a)
    data = visit_post(team_a, form_token=form_token(client))
    data["photos"] = [upload(jpeg(), f"{n}.jpg") for n in range(3)]
    response = client.post("/visits/new/", data)
    assert response.status_code == 200
    assert "At most 2 more photos can be added here; 3 were chosen." in response.content.decode()
    assert Visit.objects.count() == 0


def test_a_photo_too_big(client_for, cadre_a, team_a, settings):
    settings.FIELDWORK_PHOTO_MAX_BYTES = 2000
    client = client_for(cadre_a)
    data = visit_post(team_a, form_token=form_token(client))
    data["photos"] = [upload(jpeg(800, 600), "big.jpg")]
    html = client.post("/visits/new/", data).content.decode()
    assert "“big.jpg” is" in html and "a photo may be at most 2.0" in html
    assert Visit.objects.count() == 0


def test_photos_added_when_editing_count_against_the_limit(client_for, cadre_a, team_a, settings):
    settings.FIELDWORK_PHOTO_MAX_COUNT = 2
    client = client_for(cadre_a)
    data = visit_post(team_a, form_token=form_token(client))
    data["photos"] = [upload(jpeg(), "1.jpg")]
    client.post("/visits/new/", data)
    visit = Visit.objects.get()
    page = client.get(f"/visits/{visit.pk}/edit/").content.decode()
    assert "Up to 1 photos" in page
    edit = visit_post(team_a, version=str(visit.version))
    edit["photos"] = [upload(jpeg(), "2.jpg"), upload(jpeg(), "3.jpg")]
    response = client.post(f"/visits/{visit.pk}/edit/", edit)
    assert "At most 1 more photo can be added here; 2 were chosen." in response.content.decode()
    edit["photos"] = [upload(jpeg(), "2.jpg")]
    assert client.post(f"/visits/{visit.pk}/edit/", edit).status_code == 302
    assert visit.photos.count() == 2


def test_photos_chosen_before_adding_a_concern_without_javascript_must_be_chosen_again(client_for, cadre_a, team_a):
    client = client_for(cadre_a)
    data = visit_post(team_a, add_concern="1")
    data["photos"] = [upload(jpeg(), "1.jpg")]
    html = client.post("/visits/new/", data).content.decode()
    assert "data-photo-again" in html
    assert Photo.objects.count() == 0
