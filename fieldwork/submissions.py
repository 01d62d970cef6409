"""Submission keys: a form that creates something is sent once.

Each opening of such a form carries a random key, rendered by the server in a hidden field
(`{% form_token "visit" %}`, so it works without JavaScript) and signed for the person it was made
for — or, on the public channel, for nobody: there the key itself is the binding. The key is used up
only when the record is made, in the same transaction (`submission_make`): a second POST with the
same key — a resend, a double tap, a retry after a lost answer, Back then Save, even with changed
fields — finds the record already made (`submission_made`) and answers with it, never making a
second one. A POST that is refused (bad input, a refused change) leaves its key unused.

Concurrent POSTs of one key: the first inserts the key's row; the others' inserts wait on the
unique index until it commits, then fail, roll back what they did, and answer with its record.

A POST without a key is served as before, once (scripts and old tests send none); a key that is not
this server's, or is another person's, is refused with a fresh one.

Keys made on the phone (the offline visit form, static/fieldwork/sw.js): a form page served from the
phone's cache cannot carry a server-made key for each opening, so the phone makes one itself,
`client.<uuid4>` from `crypto.randomUUID()`. Such a key is accepted only for the purposes of
CLIENT_PURPOSES, only from a signed-in user, and is bound to that user: its digest covers the purpose,
the user's id and the uuid, and its row names the user. It is then used up once like any other key:
the same item sent again (a retry after a lost answer, a second phone tab) finds its visit. The same
uuid sent by another user is another key of theirs, never the first user's record.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from django.core import signing
from django.db import IntegrityError, models, transaction
from django.utils.html import format_html
from django.utils.translation import gettext as _

from .models import SubmissionKey

FIELD = "form_token"  # the hidden field's name on every keyed form

# Each keyed form and whether its keys are bound to the signed-in user (False: the public channel).
PURPOSES = {
    "visit": True,
    "concern": True,
    "action": True,
    "callback": True,
    "attempt": True,
    "extension": True,
    "export": True,
    "photo": True,
    "public-raise": False,
    "public-callback": False,
}

# Forms whose keys may be made on the phone (see above): those the offline form sends.
CLIENT_PURPOSES = {"visit"}
CLIENT_PREFIX = "client."

_SALT = "fieldwork.submissions"
_NOBODY = "-"

Made = TypeVar("Made", bound=models.Model)

_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")


@dataclass(frozen=True)
class Key:
    """A submission key as read from a POST: its random part and what is stored of it."""

    purpose: str
    token: str  # the random part; on the public channel the seed of the receipt code
    digest: str


def _owner(purpose: str, user) -> str:
    if not PURPOSES[purpose] or user is None or not user.is_authenticated:
        return _NOBODY
    return str(user.pk)


def _bound_user(key: Key, user):
    """Who the key's row names: the signed-in user, or nobody on the public channel."""
    return user if _owner(key.purpose, user) != _NOBODY else None


def submission_key_new(purpose: str, user=None) -> str:
    """A fresh key for one opening of a form, as its hidden field carries it."""
    token = secrets.token_urlsafe(16)
    return signing.Signer(salt=_SALT).sign(f"{purpose}.{_owner(purpose, user)}.{token}")


def submission_key_read(data, purpose: str, user=None) -> Key | None:
    """The key a POST carries for this form and person; None when it has none or not a valid one."""
    raw = data.get(FIELD, "") if data is not None else ""
    if not raw:
        return None
    if raw.startswith(CLIENT_PREFIX):
        return _client_key_read(raw[len(CLIENT_PREFIX) :], purpose, user)
    try:
        value = signing.Signer(salt=_SALT).unsign(raw)
    except signing.BadSignature:
        return None
    parts = value.split(".", 2)
    if len(parts) != 3 or parts[0] != purpose or parts[1] != _owner(purpose, user):
        return None
    digest = hashlib.sha256(value.encode()).hexdigest()
    return Key(purpose=purpose, token=parts[2], digest=digest)


def _client_key_read(uuid: str, purpose: str, user) -> Key | None:
    """A key made on the phone (a uuid4 in lower case), for a purpose that allows one, from a signed-in user."""
    if purpose not in CLIENT_PURPOSES or not _UUID.fullmatch(uuid) or _owner(purpose, user) == _NOBODY:
        return None
    value = f"{CLIENT_PREFIX}{purpose}.{user.pk}.{uuid}"
    return Key(purpose=purpose, token=uuid, digest=hashlib.sha256(value.encode()).hexdigest())


def submission_key_refused(data) -> bool:
    """True when a POST carries a key that submission_key_read did not accept (forged, expired, another
    person's): the view refuses it and offers a fresh key."""
    return bool(data is not None and data.get(FIELD, ""))


def submission_made(key: Key | None, user=None) -> models.Model | None:
    """The record already made with this key, or None."""
    if key is None:
        return None
    row = SubmissionKey.objects.filter(digest=key.digest, user=_bound_user(key, user)).first()
    return row.target if row is not None else None


def submission_make(key: Key | None, user, make: Callable[[], Made]) -> tuple[Made, bool]:
    """Make the record once for this key: (the record, True) or, if the key was used already, (the
    record it made, False). Without a key, `make()` runs once as it is."""
    if key is None:
        return make(), True
    made = submission_made(key, user)
    if made is not None:
        return made, False
    try:
        with transaction.atomic():
            # The key's row first: a concurrent POST of the same key waits here, not halfway through.
            row = SubmissionKey.objects.create(digest=key.digest, user=_bound_user(key, user))
            record = make()
            row.target = record
            row.save(update_fields=["content_type", "object_id"])
    except IntegrityError:
        made = submission_made(key, user)
        if made is None:
            raise
        return made, False
    return record, True


def already_saved(url: str) -> str:
    """The answer to a form sent again: what it made is at `url`."""
    return format_html(
        '{} <a href="{}" data-already-saved>{}</a>',
        _("Already saved — this form was sent before, and nothing was saved twice."),
        url,
        _("Edit it here."),
    )


def refused_message() -> str:
    """A POST whose key is not this server's or not this person's (fieldwork.submissions)."""
    return _("This form could not be checked, so nothing was saved: send it again.")
