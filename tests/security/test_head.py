"""Issue 15 item 8: HEAD is answered like GET on every URL of the URLconf that answers GET (same
status and headers, no body: uptime monitors probe with it), and it never starts work: no write,
no export made, no one-time page used up."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fieldwork.models import Concern, Unit
from tests.public.helpers import form_token

from .urlconf import endpoints, url_of
from .wsgi import wsgi_request

ENDPOINTS = endpoints()
# Headers that differ between any two requests, HEAD or not: cookies set anew (a session saved by a
# GET is not saved by a HEAD), and the clock in Expires.
PER_REQUEST = {"set-cookie", "expires"}
WRITES = ("INSERT", "UPDATE", "DELETE")
# The tables whose rows the exports write out.
EXPORTED = ("fieldwork_visit", "fieldwork_concern", "fieldwork_followupaction", "fieldwork_feedback")


def comparable(headers) -> dict[str, str]:
    # A CSP nonce (the ledger's print margins, views/reports.py) is new on every response, as it must be.
    return {
        key.lower(): re.sub(r"'nonce-[^']+'", "'nonce'", value)
        for key, value in headers
        if key.lower() not in PER_REQUEST
    }


def signed_in_cookies(client, user) -> dict[str, str]:
    client.force_login(user)
    return {key: morsel.value for key, morsel in client.cookies.items()}


@pytest.mark.parametrize("endpoint", [pytest.param(e, id=str(e)) for e in ENDPOINTS])
@pytest.mark.parametrize("who", ["anonymous", "leader"])
def test_head_answers_like_get_without_a_body_and_without_writing(client, world, fill, endpoint, who):
    url = url_of(endpoint, fill)
    cookies = signed_in_cookies(client, world["user"]) if who == "leader" else {}
    get = wsgi_request("GET", url, cookies=cookies)
    if get.status == 405:
        assert wsgi_request("HEAD", url, cookies=cookies).status == 405
        return
    with CaptureQueriesContext(connection) as queries:
        head = wsgi_request("HEAD", url, cookies=cookies)
    assert head.status == get.status, url
    assert comparable(head.headers) == comparable(get.headers), url
    assert head.body == b"", url
    writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(WRITES)]
    assert writes == [], url


DOWNLOADS = [
    "fieldwork:overdue-export-csv",
    "fieldwork:overdue-export-xlsx",
    "fieldwork:ledger-xlsx",
    "fieldwork:callback-export-xlsx",
]


@pytest.mark.parametrize("name", DOWNLOADS)
def test_head_of_a_download_does_not_make_it(client, world, team_a, name):
    """HEAD checks access as GET does, then stops: the rows a download writes out are never read. (Both
    first count the rows no further than EXPORT_IMMEDIATE_ROWS + 1, to choose between the file now and a
    file prepared in the background: a bounded COUNT, not the file's rows.)"""
    Concern.objects.filter(pk=world["concern"].pk).update(due_date=world["today"].replace(year=2020))
    if "callback" in name:  # a row of the callback queue: resolved, its callback due
        Concern.objects.filter(pk=world["concern"].pk).update(
            status=Concern.Status.RESOLVED, resolution="Done.", callback_due=world["today"]
        )
    cookies = signed_in_cookies(client, world["user"])
    query = f"unit={team_a.pk}&period=2026" if "ledger" in name else ""

    def reads_of_exported_rows(method):
        with CaptureQueriesContext(connection) as queries:
            answer = wsgi_request(method, reverse(name), query=query, cookies=cookies)
        assert answer.status == 200
        return answer, [
            q["sql"]
            for q in queries
            if any(f'"{table}"' in q["sql"] for table in EXPORTED) and not q["sql"].startswith("SELECT COUNT(*)")
        ]

    get, get_reads = reads_of_exported_rows("GET")
    head, head_reads = reads_of_exported_rows("HEAD")
    assert get_reads and len(get.body) > 0  # the GET did make the file
    assert head_reads == [] and head.body == b""
    assert head.header("Content-Disposition") == get.header("Content-Disposition")
    assert "attachment" in head.header("Content-Disposition")


def test_head_of_the_receipt_page_leaves_the_code_for_the_person(client, team_a, world):
    """The receipt page shows a new code once; a HEAD (a prefetch, a monitor) must not use it up."""
    Unit.objects.filter(pk=team_a.pk).update(active=True)
    raise_url = reverse("fieldwork:public-raise", args=[team_a.code])
    page = client.get(raise_url)
    token = form_token(page)
    category = page.context["form"].fields["category"].queryset.first()
    response = client.post(
        raise_url, {"description": "The lamp at gate 2 is out.", "category": category.pk, "form_token": token}
    )
    assert response.status_code == 302
    cookies = {key: morsel.value for key, morsel in client.cookies.items()}
    receipt_url = reverse("fieldwork:public-raise-receipt", args=[team_a.code])
    assert wsgi_request("HEAD", receipt_url, cookies=cookies).status == 200
    shown = client.get(receipt_url)
    assert shown.context["code"], "the HEAD used up the receipt code"
