"""Receipt codes are stored as an HMAC with a key of their own (FIELDWORK_RECEIPT_KEY), not a bare
sha256 and not SECRET_KEY; an older key is accepted during rotation, and a code stored the old way
(bare sha256) still works and is hashed again on its first look-up (issue 15, item 8)."""

import hashlib
import hmac
import os
import subprocess
import sys

from django.conf import settings as django_settings
from django.test import Client

from fieldwork import public
from fieldwork.models import Concern
from fieldwork.services import public as public_services
from tests.factories import ConcernFactory, category

KEY = "receipt-key-for-tests-" + "k" * 40
OLD = "receipt-key-retired-" + "o" * 40


def hmac_of(key: str, code: str) -> str:
    return hmac.new(key.encode(), code.encode(), hashlib.sha256).hexdigest()


def test_the_stored_hash_is_an_hmac_with_the_receipt_key(team_a, settings):
    settings.FIELDWORK_RECEIPT_KEY = KEY
    concern, code = public_services.public_concern_raise(unit=team_a, category=category(), description="Icy stairs")
    concern.refresh_from_db()
    assert concern.receipt_code == hmac_of(KEY, code)
    assert concern.receipt_code != hashlib.sha256(code.encode()).hexdigest()


def test_secret_key_plays_no_part(settings):
    settings.FIELDWORK_RECEIPT_KEY = KEY
    before = public.receipt_code_hash("ABCDEFGHJKMN")
    settings.SECRET_KEY = "another-secret-key-" + "s" * 40
    assert public.receipt_code_hash("ABCDEFGHJKMN") == before
    settings.FIELDWORK_RECEIPT_KEY = OLD
    assert public.receipt_code_hash("ABCDEFGHJKMN") != before


def test_a_code_hashed_with_the_retired_key_works_and_is_hashed_again(team_a, settings):
    settings.FIELDWORK_RECEIPT_KEY, settings.FIELDWORK_RECEIPT_KEYS_OLD = KEY, [OLD]
    concern = ConcernFactory(unit=team_a, source=Concern.Source.PUBLIC, receipt_code=hmac_of(OLD, "ABCDEFGHJKMN"))
    assert public.concern_by_receipt("abcd-efgh-jkmn") == concern
    concern.refresh_from_db()
    assert concern.receipt_code == hmac_of(KEY, "ABCDEFGHJKMN")
    settings.FIELDWORK_RECEIPT_KEYS_OLD = []
    assert public.concern_by_receipt("ABCDEFGHJKMN") == concern  # now stored with the current key


def test_a_retired_key_no_longer_listed_opens_nothing(team_a, settings):
    settings.FIELDWORK_RECEIPT_KEY, settings.FIELDWORK_RECEIPT_KEYS_OLD = KEY, []
    ConcernFactory(unit=team_a, source=Concern.Source.PUBLIC, receipt_code=hmac_of(OLD, "ABCDEFGHJKMN"))
    assert public.concern_by_receipt("ABCDEFGHJKMN") is None


def test_a_code_stored_the_old_way_still_works_and_is_hashed_again(team_a, settings):
    settings.FIELDWORK_RECEIPT_KEY = KEY
    legacy = hashlib.sha256(b"ABCDEFGHJKMN").hexdigest()
    concern = ConcernFactory(unit=team_a, source=Concern.Source.PUBLIC, receipt_code=legacy)
    phone = Client()
    found = phone.post("/s/track/", {"code": "ABCD-EFGH-JKMN"})
    assert found.status_code == 302
    assert concern.reference in phone.get("/s/track/").content.decode()
    concern.refresh_from_db()
    assert concern.receipt_code == hmac_of(KEY, "ABCDEFGHJKMN")
    assert public.concern_by_receipt("ABCDEFGHJKMN") == concern


def manage_check(env: dict) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "FIELDWORK_"))}
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=django_settings.BASE_DIR,
        env={
            **base,
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "x" * 60,
            "ALLOWED_HOSTS": "example.cn",
            # the confidential notes' key is another check's (tests/talks): present here, so only the
            # receipt key decides
            "FIELDWORK_NOTE_KEYS": "bm90LWEtcmVhbC1rZXktanVzdC0zMi1ieXRlcy0hISE=",
            **env,
        },
        capture_output=True,
        text=True,
    )


def test_production_refuses_to_start_without_a_receipt_key():
    refused = manage_check({})
    assert refused.returncode != 0 and "FIELDWORK_RECEIPT_KEY must be set" in refused.stderr
    assert manage_check({"FIELDWORK_RECEIPT_KEY": KEY}).returncode == 0
