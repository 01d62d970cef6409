"""What the callback queue tests share: the queue's addresses, resolved concerns awaiting a callback
with a given deadline, and how to read the export."""

import datetime
import io

import openpyxl
from django.urls import reverse
from django.utils import timezone

from fieldwork.models import Concern
from tests.factories import ConcernFactory

URL = reverse("fieldwork:callback-list")
XLSX_URL = reverse("fieldwork:callback-export-xlsx")
PREPARE_URL = reverse("fieldwork:callback-prepare")
MY_WORK = reverse("fieldwork:my-work")


def awaiting(unit, *, due: datetime.date, owner=None, **kwargs) -> Concern:
    """A resolved concern of `unit` whose callback is due on `due`, in the queue since the day it was
    resolved (callback_from, as services.concerns.callback_window sets it for a concern not raised in public)."""
    kwargs.setdefault("resolution", "Fixed the lights.")
    kwargs.setdefault("resolved_at", timezone.now())
    kwargs.setdefault("callback_from", min(due, timezone.localdate(kwargs["resolved_at"])))
    return ConcernFactory(unit=unit, status=Concern.Status.RESOLVED, owner=owner, callback_due=due, **kwargs)


def workbook_rows(response) -> list[list]:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]
