"""The unit export carries the photos: their files travel inside the file and import restores them."""

import io
import json

import pytest
from django.core.management import call_command

from fieldwork.backup import subtree_export, subtree_import
from fieldwork.models import Concern, FollowUpAction, Photo, Visit
from fieldwork.services.photos import photo_storage
from tests.factories import FollowUpActionFactory, VisitFactory
from tests.photos.helpers import photo_on


def content(name: str) -> bytes:
    with photo_storage().open(name) as handle:
        return handle.read()


@pytest.mark.django_db(transaction=True)
def test_photos_round_trip(branch, team_a, cadre_a, concern, other_branch, leader_other_branch):
    visit = VisitFactory(unit=team_a, author=cadre_a)
    action = FollowUpActionFactory(concern=concern, owner=cadre_a)
    on_visit = photo_on(by=cadre_a, visit=visit)
    on_action = photo_on(by=cadre_a, action=action)
    before = photo_on(by=cadre_a, concern=concern, stage="before", shareable=True)
    withdrawn = photo_on(by=cadre_a, concern=concern, stage="after")
    withdrawn.withdrawn_at, withdrawn.withdrawn_by, withdrawn.withdrawn_reason = withdrawn.added_at, cadre_a, "Blurred"
    withdrawn.save()
    photo_on(by=leader_other_branch, visit=VisitFactory(unit=other_branch, author=leader_other_branch))
    files = {
        photo.pk: (content(photo.file), content(photo.thumbnail)) for photo in (on_visit, on_action, before, withdrawn)
    }

    stream = io.StringIO()
    counts = subtree_export(unit=branch, stream=stream)
    assert counts["fieldwork.Photo"] == 4
    lines = stream.getvalue().splitlines()
    assert json.loads(lines[0])["version"] == 3

    call_command("flush", interactive=False, verbosity=0)
    for name in photo_storage().listdir("")[0]:
        assert name  # the old files stay in the old storage; import writes new ones
    imported = subtree_import(stream=io.StringIO(stream.getvalue()))
    assert imported["fieldwork.Photo"] == 4

    restored = {photo.stage or ("action" if photo.action_id else "visit"): photo for photo in Photo.objects.all()}
    assert restored["visit"].visit == Visit.objects.get()
    assert restored["action"].action == FollowUpAction.objects.get()
    assert restored["action"].concern == Concern.objects.get()
    assert restored["before"].shareable and restored["before"].concern == Concern.objects.get()
    assert restored["after"].withdrawn_reason == "Blurred" and restored["after"].withdrawn_by.username == "cadre_a"
    originals = {"visit": on_visit, "action": on_action, "before": before, "after": withdrawn}
    for key, photo in restored.items():
        assert photo.unit.code == "team-a" and photo.added_by.username == "cadre_a"
        assert photo.file.startswith("imported/branch/")
        assert (content(photo.file), content(photo.thumbnail)) == files[originals[key].pk]
        assert (photo.width, photo.height, photo.bytes) == (
            originals[key].width,
            originals[key].height,
            originals[key].bytes,
        )


@pytest.mark.django_db(transaction=True)
def test_a_format_2_file_is_still_read(branch, team_a, cadre_a):
    stream = io.StringIO()
    subtree_export(unit=branch, stream=stream)
    header, *rest = stream.getvalue().splitlines()
    old = json.dumps({**json.loads(header), "version": 2})
    call_command("flush", interactive=False, verbosity=0)
    subtree_import(stream=io.StringIO("\n".join([old, *rest]) + "\n"))
    assert Photo.objects.count() == 0
