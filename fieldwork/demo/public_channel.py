"""The public channel's concerns: raised by someone who did not sign in, at a grassroots unit, each with
its receipt code, stored as fieldwork.public stores it.

In development (DEBUG on) the codes are drawn from the seed and the showcase's public concern has
SHOWCASE_RECEIPT, which seed_demo prints to try the tracking page with. With DEBUG off nobody may
work a code out from the seed or the source: each code is a fresh random one (public.receipt_code_new),
never shown, and the rest of the rows are the same.
"""

from __future__ import annotations

import bisect

from .. import public as channel
from ..models import Concern
from .clock import DAY, HOUR
from .texts import SHOWCASE_RECEIPT
from .values import PUBLIC
from .values import SAT as SATISFIED


class PublicChannel:
    """The public channel's part of the Generator (generator.py), whose state it shares."""

    def public_concern(self, day: int) -> None:
        """Someone used the public channel that day, at a grassroots unit; it goes to the unit's receiver."""
        r = self.rng.random
        leaf = self.leaves[bisect.bisect(self.leaves_cum, r() * self.leaves_cum[-1])]
        self.concern(
            day=day,
            raised=min(day * DAY + 7 * HOUR + r() * 15 * HOUR, self.clock.now - 600),
            unit=leaf,
            visit_id=None,
            source=PUBLIC,
            owner=leaf.receiver,
            created_by=None,
            principles=[],
        )

    def showcase_public_concern(self, *, day: int, raised: float, unit) -> None:
        """The showcase's public concern, open and unassigned, with the receipt code seed_demo prints."""
        self.concern(
            day=day,
            raised=raised,
            unit=unit,
            visit_id=None,
            source=PUBLIC,
            owner=unit.receiver,
            created_by=None,
            principles=[],
            category="working_conditions",
            priority="normal",
            plan=(None, [], None, ""),
            receipt=SHOWCASE_RECEIPT,
        )

    def showcase_silent_public_concern(self, *, day: int, raised: float, unit) -> None:
        """The showcase's public concern raised anonymously, resolved, and never answered on the tracking
        page: the daily run closed it as no answer (lifecycle.py)."""
        self.concern(
            day=day,
            raised=raised,
            unit=unit,
            visit_id=None,
            source=PUBLIC,
            owner=unit.receiver,
            created_by=None,
            principles=[],
            category="daily_hardship",
            priority="normal",
            plan=(2 * HOUR, [(3 * DAY, 365 * DAY, SATISFIED)], None, "now"),
            anonymous=True,
        )

    def receipt_code(self, code: str = "") -> str:
        """What Concern.receipt_code stores for a public concern: the hash of its code (`code`, or one drawn)."""
        if not code:
            r, alphabet = self.rng.random, channel.CODE_ALPHABET
            code = "".join(alphabet[int(r() * len(alphabet))] for _ in range(channel.CODE_LENGTH))
        if not self.codes_shown:
            code = channel.receipt_code_new()
        return channel.receipt_code_hash(code)


def showcase_receipt_line() -> str:
    """What seed_demo says about the public channel: in development, the showcase's code to try it with."""
    if not Concern.objects.filter(source=Concern.Source.PUBLIC).exists():
        return ""
    found = channel.concern_by_receipt(SHOWCASE_RECEIPT)
    if found is None:
        return "Public channel: /s/bdyx-1/ (receipt codes are shown only to the person who raised a concern)"
    code = channel.receipt_code_display(SHOWCASE_RECEIPT)
    return f"Public channel: /s/{found.unit.code}/ ; follow a demo concern at /s/track/ with the code {code}"
