"""What the public-channel tests share: the form's addresses, sending the form, following by code."""

import datetime
import re
import zoneinfo

from fieldwork.services import concerns as concern_services
from fieldwork.services import public as public_services
from tests.factories import category

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
NOW = datetime.datetime(2026, 11, 10, 10, 0, tzinfo=SHANGHAI)
RAISE_URL = "/s/team-a/"
TRACK_URL = "/s/track/"


def form_token(response) -> str:
    return re.search(r'name="form_token" value="([^"]+)"', response.content.decode()).group(1)


def send(client, url=RAISE_URL, *, description="The canteen closes before the night shift ends.", meta=None, **extra):
    """Open the public form and send it, as a phone would: the form's token comes from the page."""
    meta = meta or {}
    page = client.get(url, **meta)
    assert page.status_code == 200
    data = {
        "description": description,
        "category": category("working_conditions").pk,
        "anonymous": "on",
        "name": "",
        "contact": "",
        "website": "",
        "form_token": form_token(page),
    }
    data.update(extra)
    return client.post(url, {k: v for k, v in data.items() if v is not None}, **meta)


def raised(unit, *, description="The stairs to the substation are icy.", **kwargs):
    """A public concern raised through the service, with its receipt code."""
    return public_services.public_concern_raise(unit=unit, category=category(), description=description, **kwargs)


def resolve(concern, by, resolution="Salt is spread on the stairs every morning."):
    concern_services.concern_start(concern=concern, by=by, version=concern.version)
    concern_services.concern_resolve(concern=concern, by=by, version=concern.version, resolution=resolution)


def track(client, code, **extra):
    return client.post(TRACK_URL, {"code": code}, **extra)
