"""Public concerns of the demo have receipt codes, stored as the public channel stores them; seed_demo
prints a working one (the showcase's) only in development, never with DEBUG off."""

import re

from fieldwork import public
from fieldwork.models import Concern

from .conftest import TODAY, delete_everything_seeded, run_seed

SHOWCASE = "DEMA-TRAC-KXYZ"
A_CODE = re.compile(r"\b[A-Z2-9]{4}-?[A-Z2-9]{4}-?[A-Z2-9]{4}\b")


def _receipts() -> set[str]:
    return set(Concern.objects.filter(source=Concern.Source.PUBLIC).values_list("receipt_code", flat=True))


def test_public_concerns_and_only_they_have_receipt_codes(development, default_demo):
    public_concerns = Concern.objects.filter(source=Concern.Source.PUBLIC)
    assert public_concerns.exists() and not public_concerns.filter(receipt_code="").exists()
    assert not Concern.objects.exclude(source=Concern.Source.PUBLIC).exclude(receipt_code="").exists()
    assert len(_receipts()) == public_concerns.count()


def test_in_development_the_printed_code_follows_the_showcase_concern(development, default_demo):
    assert SHOWCASE in default_demo and "/s/bdyx-1/" in default_demo
    showcase = public.concern_by_receipt(SHOWCASE)
    assert showcase is not None
    assert showcase.unit.code == "bdyx-1" and showcase.owner is None and showcase.status == Concern.Status.OPEN


def test_in_production_no_working_code_is_printed(settings, db):
    settings.DEBUG = False
    out = run_seed("--today", TODAY.isoformat())
    assert "/s/bdyx-1/" in out  # the channel is still named
    assert not A_CODE.search(out), out
    assert public.concern_by_receipt(SHOWCASE) is None  # the code in the source code works nowhere


def test_in_production_the_codes_cannot_be_worked_out_from_the_seed(settings, db):
    """The same seed in development gives other codes: a production code is not the seed's."""
    settings.DEBUG = False
    run_seed("--visits", "300", "--today", TODAY.isoformat())
    production = _receipts()
    assert len(production) >= 5  # enough codes to compare (how many depends on the seed's random stream)
    delete_everything_seeded()
    settings.DEBUG = True
    run_seed("--visits", "300", "--today", TODAY.isoformat())
    assert not production & _receipts()
