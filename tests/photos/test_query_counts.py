"""The pages that show photos ask the same number of questions however many photos there are."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fieldwork.services import photos as photo_services
from tests.factories import FollowUpActionFactory, VisitFactory
from tests.photos.helpers import prepared

pytestmark = pytest.mark.clock(2026, 11, 10)


def queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_visit_page(client_for, team_a, cadre_a):
    client = client_for(cadre_a)
    visit = VisitFactory(unit=team_a, author=cadre_a)
    photo_services.photos_add(by=cadre_a, photos=prepared(1), visit=visit)
    one = queries(client, visit.get_absolute_url())
    photo_services.photos_add(by=cadre_a, photos=prepared(5), visit=visit)
    assert queries(client, visit.get_absolute_url()) == one


def test_concern_page(client_for, concern, cadre_a):
    client = client_for(cadre_a)
    action = FollowUpActionFactory(concern=concern, owner=cadre_a)
    photo_services.photos_add(by=cadre_a, photos=prepared(1), concern=concern, stage="before")
    one = queries(client, concern.get_absolute_url())
    photo_services.photos_add(by=cadre_a, photos=prepared(4), concern=concern, stage="before")
    photo_services.photos_add(by=cadre_a, photos=prepared(3), action=action)
    assert queries(client, concern.get_absolute_url()) == one
