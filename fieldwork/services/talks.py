"""Confidential notes of heart-to-heart talks: who may read them, writing them, re-encrypting them.

Plaintext leaves this module only through `note_text_for`, to the note's author and the readers the
author named; nobody else gets it — not another cadre in scope, not the unit's leader, not a superuser.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext as _

from .. import scope, talks
from ..errors import DomainError
from ..models import ConfidentialNote, Visit

REENCRYPT_BATCH = 500


def note_may_read(*, note: ConfidentialNote, user) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if note.author_id == user.pk:
        return True
    return note.readers.filter(pk=user.pk).exists()


def note_may_write(*, visit: Visit, user) -> bool:
    """The note's author writes it; a visit without one may get it from the visit's author."""
    note = ConfidentialNote.objects.filter(visit=visit).only("author_id").first()
    if note is not None:
        return note.author_id == user.pk
    return visit.author_id == user.pk


def note_text_for(*, visit: Visit, user) -> str | None:
    """The notes in plain text for someone allowed to read them; None for everyone else (or no notes)."""
    note = ConfidentialNote.objects.filter(visit=visit).first()
    if note is None or not note_may_read(note=note, user=user):
        return None
    return talks.decrypt(note.ciphertext)


def reader_refusals(*, unit, readers: Iterable[AbstractBaseUser]) -> list[str]:
    """Readers who could not open the visit (outside its unit's scope): named in a message each."""
    from ..display import display_name

    return [
        _("%(name)s does not work in or above this unit and could not open the talk.") % {"name": display_name(person)}
        for person in readers
        if not scope.visible_units(person).filter(pk=unit.pk).exists()
    ]


@transaction.atomic
def note_save(
    *, visit: Visit, by: AbstractBaseUser, text: str, readers: Iterable[AbstractBaseUser]
) -> ConfidentialNote | None:
    """Keep the notes of a heart-to-heart visit, encrypted, readable by `by` and `readers`.

    No notes and none kept: nothing is written. Emptied notes are kept as an empty encrypted text
    (nothing a person wrote is deleted outright, and the row says notes once existed)."""
    if visit.form != Visit.Form.HEART_TO_HEART:
        raise DomainError(_("Confidential notes are kept only for a heart-to-heart talk."))
    if not note_may_write(visit=visit, user=by):
        raise DomainError(_("Only the author of the notes can change them."))
    readers = [person for person in readers if person.pk != by.pk]
    refused = reader_refusals(unit=visit.unit, readers=readers)
    if refused:
        raise DomainError(" ".join(refused))
    note = ConfidentialNote.objects.select_for_update().filter(visit=visit).first()
    text = text.strip()
    if note is None:
        if not text:
            return None
        note = ConfidentialNote.objects.create(visit=visit, author=by, ciphertext=talks.encrypt(text))
    else:
        note.ciphertext = talks.encrypt(text)
        note.save(update_fields=["ciphertext", "updated_at"])
    note.readers.set(readers)
    return note


def notes_reencrypt(*, batch_size: int = REENCRYPT_BATCH) -> dict[str, int]:
    """Every note under the newest key (MultiFernet.rotate), a batch at a time (keyset on the id):
    memory stays flat however many notes there are.

    Idempotent: a note already under the newest key is left as it is, so a second run changes nothing.
    Each batch is its own transaction; an interrupted run is finished by running it again."""
    counts = {"checked": 0, "reencrypted": 0}
    last = 0
    while True:
        with transaction.atomic():
            notes = list(
                ConfidentialNote.objects.select_for_update()
                .filter(pk__gt=last)
                .order_by("pk")
                .only("pk", "ciphertext")[:batch_size]
            )
            if not notes:
                break
            last = notes[-1].pk
            changed = []
            for note in notes:
                if not talks.under_newest_key(note.ciphertext):
                    note.ciphertext = talks.rotate(note.ciphertext)
                    changed.append(note)
            ConfidentialNote.objects.bulk_update(changed, ["ciphertext"])
        counts["checked"] += len(notes)
        counts["reencrypted"] += len(changed)
    return counts
