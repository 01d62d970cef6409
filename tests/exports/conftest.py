"""The fixtures of tests/exports: the ledger's month of data, and those of files prepared in the
background (tests/exports/background.py)."""

from tests.exports.background import small_limit, storage  # noqa: F401
from tests.ledger.conftest import ledger_data  # noqa: F401
