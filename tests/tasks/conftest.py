import pytest


@pytest.fixture(autouse=True)
def _reminders_alone(settings):
    """These tests follow the reminders alone: the daily clean-up of prepared files is due only at the
    day's last minute here (tests/exports/test_expiry.py follows it)."""
    settings.FIELDWORK = {**settings.FIELDWORK, "EXPORTS_EXPIRE_AT": "23:59"}
