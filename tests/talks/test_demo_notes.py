"""The demo holds a few heart-to-heart talks with confidential notes, encrypted, readable by the talk's
author and a party cadre above the unit, not by the unit's leaders."""

from fieldwork import scope
from fieldwork.models import ConfidentialNote, Visit
from fieldwork.services import talks as talk_services
from tests.demo.conftest import run_seed

TODAY = "2026-11-28"


def test_the_demo_has_talks_with_notes(db):
    run_seed("--visits", "300", "--units", "60", "--today", TODAY)
    notes = list(ConfidentialNote.objects.select_related("visit__unit", "author"))
    assert 1 <= len(notes) <= 6
    assert any(note.readers.exists() for note in notes)  # the party cadre named
    for note in notes:
        assert note.visit.form == Visit.Form.HEART_TO_HEART and note.author_id == note.visit.author_id
        text = talk_services.note_text_for(visit=note.visit, user=note.author)
        assert text and text not in note.ciphertext
        for reader in note.readers.all():
            assert reader.username.startswith("party")
            assert talk_services.note_text_for(visit=note.visit, user=reader) == text
            assert scope.visible_units(reader).filter(pk=note.visit.unit_id).exists()
    leaders = [m.user for m in notes[0].visit.unit.memberships.filter(role="leader").select_related("user")]
    for leader in leaders:
        if leader != notes[0].author and not notes[0].readers.filter(pk=leader.pk).exists():
            assert talk_services.note_text_for(visit=notes[0].visit, user=leader) is None
