"""The person who raised a concern sees on the tracking page only the photos its owner marked as shareable,
served by the tracking page's own views to the browser that opened the concern with its receipt code."""

import pytest
from django.test import Client

from tests.photos.helpers import body, photo_on
from tests.public.helpers import TRACK_URL, raised, track

pytestmark = pytest.mark.clock(2026, 11, 10)


@pytest.fixture
def public_concern(team_a, cadre_a):
    concern, code = raised(team_a)
    concern.owner = cadre_a
    concern.save(update_fields=["owner"])
    return concern, code


def test_only_shareable_photos_on_the_tracking_page(public_concern, cadre_a):
    concern, code = public_concern
    shared = photo_on(by=cadre_a, concern=concern, stage="after", shareable=True)
    internal = photo_on(by=cadre_a, concern=concern, stage="before")
    withdrawn = photo_on(by=cadre_a, concern=concern, stage="before", shareable=True)
    withdrawn.withdrawn_at = withdrawn.added_at
    withdrawn.save(update_fields=["withdrawn_at"])
    person = Client()
    track(person, code)
    html = person.get(TRACK_URL).content.decode()
    assert "data-public-photos" in html
    assert f'src="/s/track/photos/{shared.pk}/thumbnail/"' in html
    assert f"/s/track/photos/{internal.pk}/" not in html and f"/s/track/photos/{withdrawn.pk}/" not in html
    assert "/photos/" not in html.replace("/s/track/photos/", "")  # no link to the cadres' photo views
    assert "/withdraw/" not in html and "/share/" not in html and "data-photo-shared" not in html
    response = person.get(f"/s/track/photos/{shared.pk}/")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert body(response)[:2] == b"\xff\xd8"
    assert person.get(f"/s/track/photos/{internal.pk}/").status_code == 404
    assert person.get(f"/s/track/photos/{withdrawn.pk}/thumbnail/").status_code == 404


def test_without_the_code_nothing_is_served(public_concern, cadre_a):
    concern, _code = public_concern
    shared = photo_on(by=cadre_a, concern=concern, stage="after", shareable=True)
    assert Client().get(f"/s/track/photos/{shared.pk}/").status_code == 404


def test_another_concerns_code_does_not_open_it(public_concern, cadre_a, team_b):
    concern, _code = public_concern
    shared = photo_on(by=cadre_a, concern=concern, stage="after", shareable=True)
    _other, other_code = raised(team_b, description="Lockers")
    person = Client()
    track(person, other_code)
    assert person.get(f"/s/track/photos/{shared.pk}/").status_code == 404
    assert person.get(f"/s/track/photos/{shared.pk}/thumbnail/").status_code == 404


def test_a_visit_photo_is_never_public(public_concern, cadre_a, team_a):
    from tests.factories import VisitFactory

    _concern, code = public_concern
    photo = photo_on(by=cadre_a, visit=VisitFactory(unit=team_a, author=cadre_a))
    photo.shareable = True
    photo.save(update_fields=["shareable"])
    person = Client()
    track(person, code)
    assert person.get(f"/s/track/photos/{photo.pk}/").status_code == 404
