"""A small world for the URLconf-wide tests: one of each object, all in the scope of leader_branch,
and the filling of every path parameter with them."""

from __future__ import annotations

import datetime
import re

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.utils import timezone

from fieldwork.models import Export, ExtensionRequest, Pairing, Person, UnitWebhook
from fieldwork.services.contact_points import contact_point_assign
from fieldwork.services.pairings import pairing_start
from tests.factories import ConcernFactory, FollowUpActionFactory, UserFactory, VisitFactory
from tests.photos.helpers import photo_on


def ready_export(user, unit) -> Export:
    """A file prepared for `user` of `unit`'s data, ready to download (in MEDIA_ROOT)."""
    export = Export.objects.create(
        kind=Export.Kind.OVERDUE_CSV,
        title="Overdue",
        filename="overdue.csv",
        requested_by=user,
        language="en",
        status=Export.Status.READY,
        rows=1,
    )
    export.units.set([unit])
    export.file.save("overdue.csv", ContentFile(b"\xef\xbb\xbfType\r\n"))
    return export


def scoped_records(settings, tmp_path, *, unit, cadre, leader, visit) -> dict:
    """One of each record the later issues added, in `unit`: a shareable photo on `visit` (stored under
    `tmp_path`), a contact point of `cadre`, and a pairing of `cadre` with a worker, made by `leader`."""
    settings.STORAGES = {
        **settings.STORAGES,
        "photos": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    today = timezone.localdate()
    return {
        "photo": photo_on(by=cadre, visit=visit, shareable=True),
        "contact_point": contact_point_assign(by=leader, cadre=cadre, unit=unit, start=today),
        "pairing": pairing_start(
            by=leader,
            person=Person.objects.create(unit=unit, name="刘建国"),
            cadre=cadre,
            reason=Pairing.Reason.values[0],
            starts_on=today,
        ),
    }


ADMIN_MODEL = re.compile(r"^admin/(?P<app>\w+)/(?P<model>\w+)/")


@pytest.fixture
def world(team_a, cadre_a, leader_branch, settings, tmp_path):
    visit = VisitFactory(unit=team_a, author=cadre_a)
    concern = ConcernFactory(unit=team_a, owner=cadre_a, visit=visit)
    action = FollowUpActionFactory(concern=concern, owner=cadre_a)
    extension = ExtensionRequest.objects.create(
        concern=concern,
        requested_by=cadre_a,
        due_date_before=concern.due_date,
        requested_due_date=concern.due_date + datetime.timedelta(days=10),
        reason="Parts on order.",
    )
    superuser = UserFactory(username="root", is_staff=True, is_superuser=True)
    settings.MEDIA_ROOT = tmp_path
    export = ready_export(leader_branch, team_a)
    # a group robot, so that its admin pages (history included) are walked with a row (tests/webhooks)
    UnitWebhook.objects.create(unit=team_a, name="Team A group", platform="wecom", url="https://qyapi.weixin.qq.com/x")
    return {
        "unit": team_a,
        "visit": visit,
        "concern": concern,
        "action": action,
        "extension": extension,
        "export": export,
        **scoped_records(settings, tmp_path, unit=team_a, cadre=cadre_a, leader=leader_branch, visit=visit),
        "user": leader_branch,
        "superuser": superuser,
        "today": timezone.localdate(),
    }


@pytest.fixture
def fill(world):
    """fill(endpoint, parameter): a value for a path parameter, an object in the signed-in user's scope."""
    objects = {"unit": world["unit"], "visit": world["visit"], "concern": world["concern"], "export": world["export"]}
    # photo-…, public-photo-… (a photo); dashboard-landing (a unit); contact-point-end (a contact point)
    objects |= {"photo": world["photo"], "public": world["photo"], "dashboard": world["unit"]}
    objects["contact"] = world["contact_point"]
    objects["pairing"] = world["pairing"]

    def value(endpoint, parameter):
        name = endpoint.name
        if name.startswith("fieldwork:"):
            if parameter == "pk":
                return objects[name.removeprefix("fieldwork:").split("-")[0]].pk
            if parameter == "unit_code":
                return world["unit"].code
            if parameter == "request_pk":
                return world["extension"].pk
            if parameter == "action_pk":
                return world["action"].pk
        route = "".join(str(p) for p in endpoint.patterns)
        if route.startswith("admin/"):
            if parameter == "app_label":
                return "fieldwork"
            if parameter == "url":
                return "nowhere/"
            if parameter == "content_type_id":
                return ContentType.objects.get_for_model(world["concern"]).pk
            if parameter == "id":  # the user's password page
                return world["user"].pk
            match = ADMIN_MODEL.match(route)
            model = apps.get_model(match["app"], match["model"]) if match else None
            if parameter == "object_id" and model is None:  # view_on_site
                return world["concern"].pk
            row = model._default_manager.order_by("pk").first() if model else None
            if parameter in ("object_id", 1):
                return row.pk if row is not None else 1
            if parameter == 2:  # simple_history: a history row of that object
                history = row.history.order_by("history_id").first()
                return history.history_id if history is not None else 1
        raise AssertionError(f"no value for the path parameter {parameter!r} of {name}: teach this fixture")

    return value
