"""Rate limits that hold under concurrency: many raises at the same moment from one address.

Each request is its own HTTP connection to the app, served in its own thread with its own
database connection, as gunicorn's workers would be. On PostgreSQL (production and CI) the fifty are
sent at once; SQLite, the embedded development database, lets one writer in at a time, so there they
are sent one after another and the test checks the same count.
"""

import threading
from collections import Counter

import pytest
from django.db import connection, transaction
from django.db.transaction import TransactionManagementError

from fieldwork import public
from fieldwork.models import Concern, PublicAttempt
from tests.deploy.web import Person, hidden_fields
from tests.factories import category

RAISES = 50


def test_fifty_raises_at_once_from_one_address_make_exactly_five_concerns(settings, app_server, team_a):
    settings.TRUSTED_PROXY_COUNT = 0
    limit = public.RAISE_PER_ADDRESS.max_attempts
    fields = {
        "description": "The canteen closes before the night shift ends.",
        "category": str(category("working_conditions").pk),
        "anonymous": "on",
        "website": "",
    }
    # Fifty people at one address (a unit behind one NAT, or one phone), each with the form open.
    people = [Person(app_server, tls=False) for _ in range(RAISES)]
    forms = []
    for person in people:
        page = person.get("/s/team-a/")
        assert page.status == 200
        forms.append({**hidden_fields(page.text), **fields})

    answers: list[int] = []
    errors: list[BaseException] = []
    at_once = connection.vendor == "postgresql"
    start = threading.Barrier(RAISES if at_once else 1, timeout=60)

    def send(person: Person, form: dict) -> None:
        try:
            start.wait()
            answers.append(person.request("POST", "/s/team-a/", form=form).status)
        except BaseException as error:  # reported below, with every other thread's
            errors.append(error)

    if at_once:
        threads = [threading.Thread(target=send, args=pair) for pair in zip(people, forms, strict=True)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert not any(thread.is_alive() for thread in threads), "a request did not finish within 120 s"
    else:
        for person, form in zip(people, forms, strict=True):
            send(person, form)

    assert not errors, errors
    assert Counter(answers) == {302: limit, 429: RAISES - limit}
    assert Concern.objects.count() == limit
    assert PublicAttempt.objects.filter(kind=PublicAttempt.Kind.RAISE_ADDRESS).count() == limit


def test_the_rate_limit_is_only_asked_inside_the_transaction_that_records(transactional_db):
    """Outside a transaction the lock would end with the check itself: refused loudly, not ignored."""
    with pytest.raises(TransactionManagementError):
        public.rate_limit_wait(public.RAISE_PER_ADDRESS, public.attempt_key("address:127.0.0.1"))
    with transaction.atomic():
        assert public.rate_limit_wait(public.RAISE_PER_ADDRESS, public.attempt_key("address:127.0.0.1")) is None
