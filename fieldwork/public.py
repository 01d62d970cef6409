"""The public channel's machinery: receipt codes, rate limits, the public timeline and the poster's QR
code. The writes that change a concern live in services/ (public.py for this channel); the client's
address that the rate limits count by is client.py's.

Receipt codes are stored hashed, as an HMAC-SHA256 with the receipt key (settings.FIELDWORK_RECEIPT_KEY,
not SECRET_KEY): the code is shown to the person who raised the concern and is never kept in clear,
so a copy of the database, even with a dictionary of every code, does not let anyone follow a
concern or give its callback. Codes stored before the key (a bare sha256) and codes hashed with a
retired key (FIELDWORK_RECEIPT_KEYS_OLD) still open their concern, and are hashed again with the
current key when they do.

A code raised through the public form is derived from the form's submission key with the receipt
key (receipt_code_from_seed): a resend of the same form shows the same code again.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

import segno
from django.conf import settings
from django.db import transaction
from django.db.models import Case, F, QuerySet, TextField, Value, When
from django.db.models.fields.json import KT
from django.db.transaction import TransactionManagementError
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac

from .client import client_address
from .models import Concern, ConcernEvent, PublicAttempt, Unit

# --- receipt codes ----------------------------------------------------------------------------------

# No 0/O, 1/I/L: a code read aloud or copied from paper is not misread. 31**12 ≈ 7.9 × 10**17 codes,
# so guessing one, even from many addresses at once, is hopeless.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12
CODE_GROUP = 4


def receipt_code_new() -> str:
    """A fresh random receipt code, 12 characters of CODE_ALPHABET (not grouped)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def receipt_code_display(code: str) -> str:
    """ABCDEFGHJKMN → ABCD-EFGH-JKMN, easier to copy by hand."""
    return "-".join(code[i : i + CODE_GROUP] for i in range(0, len(code), CODE_GROUP))


def receipt_code_normalise(raw: str) -> str | None:
    """What the person typed, in the stored form: upper case, without spaces or dashes; None if it
    cannot be a code (the caller treats that exactly like a code that matches nothing)."""
    code = "".join(ch for ch in (raw or "") if ch not in " -_\t\u3000－—").upper()
    if len(code) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in code):
        return None
    return code


def receipt_code_hash(code: str) -> str:
    """What Concern.receipt_code stores: the HMAC-SHA256 of the code with the current receipt key, in hex."""
    return _keyed_hash(settings.FIELDWORK_RECEIPT_KEY, code)


def _keyed_hash(key: str, code: str) -> str:
    return hmac.new(key.encode(), code.encode("ascii"), hashlib.sha256).hexdigest()


def _receipt_keys() -> list[str]:
    """The current receipt key first, then the retired ones still accepted."""
    return [settings.FIELDWORK_RECEIPT_KEY, *settings.FIELDWORK_RECEIPT_KEYS_OLD]


def _accepted_hashes(code: str) -> list[str]:
    """Every stored form that opens `code`, the current one first; the last is the legacy bare sha256."""
    return [*(_keyed_hash(key, code) for key in _receipt_keys()), hashlib.sha256(code.encode("ascii")).hexdigest()]


def concern_by_receipt(raw: str) -> Concern | None:
    """The concern a typed code belongs to, or None: one indexed look-up of the code's accepted hashes.

    A concern found through a retired key or the legacy hash is hashed again with the current key.
    """
    code = receipt_code_normalise(raw)
    if code is None:
        return None
    hashes = _accepted_hashes(code)
    concern = Concern.objects.select_related("unit", "category").filter(receipt_code__in=hashes).first()
    if concern is not None and concern.receipt_code != hashes[0]:
        Concern.objects.filter(pk=concern.pk, receipt_code=concern.receipt_code).update(receipt_code=hashes[0])
        concern.receipt_code = hashes[0]
    return concern


def receipt_code_from_seed(seed: str, *, key: str | None = None) -> str:
    """The receipt code of a public form's submission key: the same key always gives the same code.

    Derived with the receipt key, so knowing the submission key alone does not tell the code.
    """
    secret = key if key is not None else settings.FIELDWORK_RECEIPT_KEY
    digest = hmac.new(secret.encode(), b"fieldwork.receipt-seed:" + seed.encode(), hashlib.sha256).digest()
    number, chars = int.from_bytes(digest, "big"), []
    for _ in range(CODE_LENGTH):
        number, index = divmod(number, len(CODE_ALPHABET))
        chars.append(CODE_ALPHABET[index])
    return "".join(chars)


def receipt_code_again(concern: Concern, seed: str) -> str | None:
    """The code a resend of the form that raised `concern` shows again, or None if it no longer opens it
    (its receipt key was retired and dropped since)."""
    for key in _receipt_keys():
        code = receipt_code_from_seed(seed, key=key)
        if concern.receipt_code in _accepted_hashes(code):
            return code
    return None


# --- rate limits ---------------------------------------------------------------------------------


def attempt_key(value: str) -> str:
    """A keyed sha256 of an address or unit id: the table counts attempts without holding addresses."""
    return salted_hmac("fieldwork.public.attempt", value, algorithm="sha256").hexdigest()


def address_attempt_key(request) -> str:
    """The key the per-address limits count by: the client's address behind the trusted proxies
    (client.client_address, as sign-in protection sees it); requests with none share one key."""
    return attempt_key(f"address:{client_address(request) or 'unknown'}")


@dataclass(frozen=True)
class Limit:
    kind: str
    max_attempts: int
    window: datetime.timedelta


RAISE_PER_ADDRESS = Limit(PublicAttempt.Kind.RAISE_ADDRESS, 5, datetime.timedelta(hours=1))
RAISE_PER_UNIT = Limit(PublicAttempt.Kind.RAISE_UNIT, 50, datetime.timedelta(hours=1))
LOOKUP_FAILURES_PER_ADDRESS = Limit(PublicAttempt.Kind.LOOKUP_FAILED, 10, datetime.timedelta(minutes=15))
LONGEST_WINDOW = max(limit.window for limit in (RAISE_PER_ADDRESS, RAISE_PER_UNIT, LOOKUP_FAILURES_PER_ADDRESS))


def rate_limit_wait(limit: Limit, key: str, *, now: datetime.datetime | None = None) -> datetime.datetime | None:
    """None if one more attempt is allowed; otherwise the moment the next one will be.

    Call it inside the transaction that then records the attempt (attempt_record). On PostgreSQL it
    first takes a lock on this limit and key, held until that transaction ends: concurrent attempts
    with one key are counted one after another, so fifty at once cannot all find room for one more.
    SQLite (development) takes no lock. Then one query: the times of the attempts still inside the
    window (never more than a few dozen).
    """
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise TransactionManagementError("rate_limit_wait() must run inside the transaction that records the attempt")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # A transaction-level advisory lock on a 64-bit hash of the limit and key; a rare collision
            # only makes two keys wait for each other.
            cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [f"{limit.kind}:{key}"])
    now = now or timezone.now()
    times = list(
        PublicAttempt.objects.filter(kind=limit.kind, key=key, created_at__gt=now - limit.window)
        .order_by("created_at")
        .values_list("created_at", flat=True)
    )
    if len(times) < limit.max_attempts:
        return None
    # Once this attempt leaves the window, one fewer than the maximum remain.
    return times[len(times) - limit.max_attempts] + limit.window


def attempt_record(limit: Limit, key: str, *, now: datetime.datetime | None = None) -> None:
    """Count one attempt, and forget attempts older than any window while at it."""
    now = now or timezone.now()
    PublicAttempt.objects.filter(created_at__lt=now - LONGEST_WINDOW).delete()
    PublicAttempt.objects.create(kind=limit.kind, key=key, created_at=now)


# --- what the public may see of a concern ------------------------------------------------------------


def public_timeline(concern: Concern) -> QuerySet:
    """The concern's public events as bare values: kind, time and statuses, and nothing else.

    Reading only these columns is what keeps actors' names and internal notes off the public page.
    The one exception is a granted extension, whose note is read for its new due date only
    (`public_new_due_date`); every other note stays in the database.
    """
    return (
        ConcernEvent.objects.filter(concern=concern, public=True)
        .order_by("created_at", "id")
        .annotate(
            extension_note=Case(
                When(kind=ConcernEvent.Kind.EXTENSION_APPROVED, then=F("note")),
                default=Value(""),
                output_field=TextField(),
            ),
            extension_due=Case(
                When(kind=ConcernEvent.Kind.EXTENSION_APPROVED, then=KT("data__new_due")),
                default=Value(""),
                output_field=TextField(),
            ),
        )
        .values("kind", "created_at", "from_status", "to_status", "extension_note", "extension_due")
    )


# services.extensions.extension_decide writes "<old date> → <new date>: ..." for a granted extension.
_NEW_DUE_DATE = re.compile(r"^\d{4}-\d{2}-\d{2} → (\d{4}-\d{2}-\d{2})")


def public_new_due_date(note: str, new_due: str | None = "") -> datetime.date | None:
    """The new due date of a granted extension: from its event's data (`new_due`), or for an event
    written before the data existed, from its note; nothing else of the note."""
    if new_due:
        try:
            return datetime.date.fromisoformat(new_due)
        except ValueError:
            return None
    match = _NEW_DUE_DATE.match(note or "")
    if match is None:
        return None
    try:
        return datetime.date.fromisoformat(match.group(1))
    except ValueError:
        return None


# --- the poster ------------------------------------------------------------------------------------


def public_raise_url(unit: Unit) -> str:
    """The channel's address for a unit, as printed on its poster (FIELDWORK["PUBLIC_BASE_URL"])."""
    path = reverse("fieldwork:public-raise", args=[unit.code])
    return settings.FIELDWORK["PUBLIC_BASE_URL"].rstrip("/") + path


def qr_code(url: str) -> segno.QRCode:
    """The QR code of an address; error level M survives a poster's wear and a phone's glare."""
    return segno.make(url, error="m", micro=False)


def qr_svg(url: str) -> str:
    """The QR code as inline SVG that scales with its box (viewBox, no width or height)."""
    return qr_code(url).svg_inline(scale=1, border=4, omitsize=True, svgclass="poster-qr-svg", lineclass=None)


def public_track_url() -> str:
    """Where a person follows their concern with the receipt code."""
    return settings.FIELDWORK["PUBLIC_BASE_URL"].rstrip("/") + reverse("fieldwork:public-track")
