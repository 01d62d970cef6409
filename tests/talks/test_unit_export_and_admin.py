"""The unit export carries a talk's notes only as ciphertext, and the import restores that ciphertext
with its author and readers, readable again under the same keys. The admin says "confidential" only."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from fieldwork.backup import subtree_export, subtree_import
from fieldwork.models import ConfidentialNote, Visit
from fieldwork.services import talks as talk_services
from fieldwork.services import visits as visit_services
from tests.talks.conftest import SECRET


def _talk(cadre_a, team_a, secretary):
    visit = visit_services.visit_record(
        by=cadre_a,
        unit=team_a,
        date=timezone.localdate(),
        form=Visit.Form.HEART_TO_HEART,
        people_reached=1,
        summary="谈了工作安排。",
    )
    return talk_services.note_save(visit=visit, by=cadre_a, text=SECRET, readers=[secretary])


@pytest.mark.django_db(transaction=True)
def test_the_unit_export_carries_ciphertext_and_the_import_restores_it(company, team_a, cadre_a, secretary):
    note = _talk(cadre_a, team_a, secretary)
    stream = io.StringIO()
    subtree_export(unit=company, stream=stream)
    text = stream.getvalue()
    assert SECRET not in text and note.ciphertext in text

    call_command("flush", interactive=False, verbosity=0)
    counts = subtree_import(stream=io.StringIO(text))
    assert counts["fieldwork.ConfidentialNote"] == 1
    restored = ConfidentialNote.objects.select_related("visit", "author").get()
    assert restored.ciphertext == note.ciphertext
    assert restored.author.username == "cadre_a"
    assert [person.username for person in restored.readers.all()] == ["secretary"]
    reader = restored.readers.get()
    assert talk_services.note_text_for(visit=restored.visit, user=reader) == SECRET
    assert talk_services.note_text_for(visit=restored.visit, user=restored.author) == SECRET


def test_the_admin_shows_confidential_only(client, company, team_a, cadre_a, secretary, superuser):
    note = _talk(cadre_a, team_a, secretary)
    client.force_login(superuser)
    for url in (
        f"/admin/fieldwork/confidentialnote/{note.pk}/change/",
        "/admin/fieldwork/confidentialnote/",
    ):
        response = client.get(url)
        assert response.status_code == 200
        body = response.content.decode()
        assert "confidential" in body
        assert SECRET not in body and note.ciphertext not in body
    # read-only: nothing is changed or deleted there
    assert client.post(f"/admin/fieldwork/confidentialnote/{note.pk}/change/", {}).status_code == 403
    assert client.post(f"/admin/fieldwork/confidentialnote/{note.pk}/delete/", {"post": "yes"}).status_code == 403
    assert ConfidentialNote.objects.filter(pk=note.pk).exists()
    # no history model: no history page of its own
    assert client.get(f"/admin/fieldwork/confidentialnote/{note.pk}/history/").status_code in (200, 404)
