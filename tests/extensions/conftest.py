"""The extension tests' concern: the shared open concern, due on DUE (Wednesday 30 September 2026)."""

import pytest

from fieldwork.models import Concern
from tests.extensions.helpers import DUE


@pytest.fixture
def concern(concern):
    """The shared open concern, due on DUE."""
    Concern.objects.filter(pk=concern.pk).update(due_date=DUE)
    concern.due_date = DUE
    return concern
