"""What the overdue tests share: their day (Monday 15 June 2026), the page's and exports' addresses,
concerns a number of days overdue, and how to read the exports."""

import csv
import datetime
import io

import openpyxl
from django.urls import reverse

from fieldwork.models import Concern
from tests.factories import ConcernFactory

TODAY = datetime.date(2026, 6, 15)
URL = reverse("fieldwork:overdue-list")
CSV_URL = reverse("fieldwork:overdue-export-csv")
XLSX_URL = reverse("fieldwork:overdue-export-xlsx")


def ago(days: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=days)


def concern(unit, *, days_ago: int, status=Concern.Status.OPEN, owner=None, **kwargs) -> Concern:
    if status in (Concern.Status.RESOLVED, Concern.Status.CLOSED):
        kwargs.setdefault("resolution", "Fixed the lights.")
    return ConcernFactory(unit=unit, due_date=ago(days_ago), status=status, owner=owner, **kwargs)


def csv_rows(response) -> list[list[str]]:
    content = b"".join(response.streaming_content)
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def xlsx_book(response):
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
