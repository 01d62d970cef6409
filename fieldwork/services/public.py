"""The public channel's writes (views/public.py): a concern raised by someone who is not signed in.

The channel's machinery (receipt codes, rate limits, the public timeline) is fieldwork/public.py.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from .. import public as channel
from .. import scope
from ..errors import DomainError
from ..models import Category, Concern, Unit
from . import concerns as concern_services
from .concerns import ConcernInput

PUBLIC_TITLE_LENGTH = 60


def public_title(description: str) -> str:
    """A concern's title from what the person wrote: its first line, at most 60 characters.

    The public form asks for one text only; asking people to summarise their own problem is busywork.
    """
    lines = (description or "").strip().splitlines()
    first_line = " ".join(lines[0].split()) if lines else ""
    if len(first_line) <= PUBLIC_TITLE_LENGTH:
        return first_line
    return first_line[: PUBLIC_TITLE_LENGTH - 1].rstrip() + "…"


def public_concern_raise(
    *,
    unit: Unit,
    category: Category,
    description: str,
    anonymous: bool = True,
    name: str = "",
    contact: str = "",
    seed: str = "",
) -> tuple[Concern, str]:
    """Raise a concern through the public channel, with no signed-in user; returns it and its receipt code.

    It goes to the unit's designated receiver when that person is active and still works in the unit,
    otherwise to nobody, for a leader to assign. The receipt code is derived from `seed` (the public
    form's submission key), so that a resend of the form can show it again, or random without one;
    only its hash is stored.
    """
    if not unit.active:
        raise DomainError(_("This unit does not take concerns any more."))
    description = (description or "").strip()
    if not description:
        raise DomainError(_("Say what happened."))
    receiver = unit.receiver
    owner = receiver if receiver is not None and receiver.is_active and scope.is_member_of(receiver, unit) else None
    data = ConcernInput(
        title=public_title(description),
        category=category,
        description=description,
        raised_by_name=name,
        raised_by_contact=contact,
        anonymous=anonymous,
    )
    with transaction.atomic():
        concern = concern_services.concern_create(
            unit=unit, data=data, by=None, source=Concern.Source.PUBLIC, owner=owner
        )
        if seed:
            code = channel.receipt_code_from_seed(seed)  # 31**12 codes: two seeds practically never meet
        else:
            code = channel.receipt_code_new()
            while Concern.objects.filter(receipt_code=channel.receipt_code_hash(code)).exists():
                code = channel.receipt_code_new()  # practically never taken twice
        concern.receipt_code = channel.receipt_code_hash(code)
        Concern.objects.filter(pk=concern.pk).update(receipt_code=concern.receipt_code)
    return concern, code
