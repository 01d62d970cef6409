"""Rotating the notes' keys: a new key first with the old kept still reads old notes; reencrypt_notes moves
every note under the new key (in batches, a second run changes nothing); then the old key can go."""

import io

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command

from fieldwork import talks
from fieldwork.models import ConfidentialNote, Visit
from fieldwork.services import talks as talk_services
from tests.factories import VisitFactory
from tests.talks.conftest import SECRET

OLD = Fernet.generate_key().decode()
NEW = Fernet.generate_key().decode()


@pytest.fixture
def old_key(settings):
    settings.FIELDWORK_NOTE_KEYS = [OLD]
    return settings


def _notes(author, unit, count):
    visits = [VisitFactory(unit=unit, author=author, form=Visit.Form.HEART_TO_HEART) for _ in range(count)]
    return [
        talk_services.note_save(visit=visit, by=author, text=f"{SECRET} #{n}", readers=[])
        for n, visit in enumerate(visits)
    ]


def _reencrypt(batch_size: int = 2) -> str:
    out = io.StringIO()
    call_command("reencrypt_notes", batch_size=batch_size, stdout=out)
    return out.getvalue()


def test_rotate_then_drop_the_old_key(old_key, cadre_a, team_a):
    notes = _notes(cadre_a, team_a, 5)
    visit = notes[0].visit
    Fernet(OLD).decrypt(notes[0].ciphertext.encode())  # written under the old key

    old_key.FIELDWORK_NOTE_KEYS = [NEW, OLD]  # the new key first, the old one kept
    assert talk_services.note_text_for(visit=visit, user=cadre_a) == f"{SECRET} #0"
    talk_services.note_save(visit=notes[1].visit, by=cadre_a, text="rewritten", readers=[])
    assert talks.under_newest_key(ConfidentialNote.objects.get(pk=notes[1].pk).ciphertext)

    assert _reencrypt().startswith("4 of 5 notes re-encrypted")  # 5 notes in batches of 2
    assert all(talks.under_newest_key(token) for token in ConfidentialNote.objects.values_list("ciphertext", flat=True))
    before = list(ConfidentialNote.objects.order_by("pk").values_list("ciphertext", flat=True))
    assert _reencrypt().startswith("0 of 5 notes re-encrypted")  # idempotent
    assert list(ConfidentialNote.objects.order_by("pk").values_list("ciphertext", flat=True)) == before

    old_key.FIELDWORK_NOTE_KEYS = [NEW]  # the old key dropped
    assert talk_services.note_text_for(visit=visit, user=cadre_a) == f"{SECRET} #0"
    assert talk_services.note_text_for(visit=notes[4].visit, user=cadre_a) == f"{SECRET} #4"


def test_dropping_a_key_too_early_is_an_error_not_a_wrong_text(old_key, cadre_a, team_a):
    (note,) = _notes(cadre_a, team_a, 1)
    old_key.FIELDWORK_NOTE_KEYS = [NEW]
    with pytest.raises(talks.NoteUnreadable):
        talk_services.note_text_for(visit=note.visit, user=cadre_a)


def test_missing_or_bad_keys_fail_the_system_check(settings):
    from fieldwork.checks import check_note_keys, check_note_keys_not_dev

    settings.FIELDWORK_NOTE_KEYS = []
    assert [error.id for error in check_note_keys(None)] == ["fieldwork.E030"]
    settings.FIELDWORK_NOTE_KEYS = [NEW, "not-a-key"]
    (error,) = check_note_keys(None)
    assert "Key 2" in error.msg
    settings.FIELDWORK_NOTE_KEYS = [NEW]
    assert check_note_keys(None) == [] and check_note_keys_not_dev(None) == []
    settings.FIELDWORK_NOTE_KEYS = [talks.DEV_NOTE_KEY]
    assert [error.id for error in check_note_keys_not_dev(None)] == ["fieldwork.E031"]


def test_production_refuses_to_run_without_note_keys():
    """DEBUG off and no FIELDWORK_NOTE_KEYS: no development key is used, the system check stops manage.py."""
    from tests.config.test_production_settings import PRODUCTION_ENV, manage

    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "FIELDWORK_NOTE_KEYS"}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "fieldwork.E030" in result.stderr and "FIELDWORK_NOTE_KEYS is empty" in result.stderr
    assert manage("check", env=PRODUCTION_ENV).returncode == 0
