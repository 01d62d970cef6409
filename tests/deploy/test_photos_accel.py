"""Photos behind the repository's nginx: the app checks scope and answers with X-Accel-Redirect; nginx sends
the file from its internal location, which answers 404 to anyone who asks for it directly."""

import pytest

from fieldwork.services import photos as photo_services
from tests.deploy.test_behind_nginx import PASSWORD, person, sign_in
from tests.factories import VisitFactory
from tests.photos.images import jpeg, upload


@pytest.fixture
def photos_behind_nginx(settings, nginx, live_server):
    settings.FIELDWORK_PHOTOS_ACCEL = True
    settings.STORAGES = {
        **settings.STORAGES,
        "photos": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(nginx.prefix / "media" / "photos")},  # the alias of deploy/nginx.conf
        },
    }
    return nginx


@pytest.fixture
def visit_photo(photos_behind_nginx, team_a, cadre_a):
    prepared = photo_services.photo_prepare(upload(jpeg(1200, 900, gps=True)))
    [photo] = photo_services.photos_add(by=cadre_a, photos=[prepared], visit=VisitFactory(unit=team_a, author=cadre_a))
    with photo_services.photo_storage().open(photo.file) as handle:
        photo.content = handle.read()
    return photo


def raw_get(who, path: str) -> tuple[int, dict, bytes]:
    connection = who._connection()
    headers = {"Host": "localhost", "Cookie": "; ".join(f"{k}={v}" for k, v in who.cookies.items())}
    try:
        connection.request("GET", path, headers=headers)
        answer = connection.getresponse()
        return answer.status, {k.lower(): v for k, v in answer.getheaders()}, answer.read()
    finally:
        connection.close()


def test_the_photo_arrives_through_nginx(photos_behind_nginx, visit_photo, cadre_a):
    cadre = person(photos_behind_nginx, "127.0.0.2")
    assert sign_in(cadre, "cadre_a", PASSWORD) == 302
    status, headers, content = raw_get(cadre, f"/photos/{visit_photo.pk}/")
    assert status == 200
    assert content == visit_photo.content  # the file itself, sent by nginx from the alias folder
    assert headers["content-type"] == "image/jpeg"
    assert "x-accel-redirect" not in headers  # nginx consumed it
    assert b"Exif" not in content
    status, _headers, thumb = raw_get(cadre, f"/photos/{visit_photo.pk}/thumbnail/")
    assert status == 200 and thumb[:2] == b"\xff\xd8" and len(thumb) < len(content)


def test_the_internal_location_answers_404_to_a_direct_request(photos_behind_nginx, visit_photo, cadre_a):
    cadre = person(photos_behind_nginx, "127.0.0.3")
    assert sign_in(cadre, "cadre_a", PASSWORD) == 302
    status, _headers, content = raw_get(cadre, f"/_photos/{visit_photo.file}")
    assert status == 404 and content != visit_photo.content
    assert raw_get(person(photos_behind_nginx, "127.0.0.4"), f"/_photos/{visit_photo.file}")[0] == 404


def test_out_of_scope_gets_404_through_nginx_too(photos_behind_nginx, visit_photo, cadre_b_other_team):
    other = person(photos_behind_nginx, "127.0.0.5")
    assert sign_in(other, "cadre_b", PASSWORD) == 302
    status, _headers, content = raw_get(other, f"/photos/{visit_photo.pk}/")
    assert status == 404 and content != visit_photo.content
