"""The search area's fixtures: concerns written in Chinese, Latin and digits."""

import pytest
from django.db import connection

from tests.factories import ConcernFactory

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="the token index is PostgreSQL's")


@pytest.fixture
def worded(team_a, team_b, other_branch):
    """Concerns whose words the searches below look for, by a name each."""
    return {
        "patrol": ConcernFactory(
            reference="FW-2026-000101", unit=team_a, title="夜间巡线照明不足", description="10kV线路巡视时头灯不够亮。"
        ),
        "gloves": ConcernFactory(
            reference="FW-2026-000102", unit=team_a, title="绝缘手套老化", description="ABB开关柜旁的手套已过期"
        ),
        "quote": ConcernFactory(
            reference="FW-2026-000103", unit=team_b, title="It's 50% done_now", description="a\\b: x&y !(z)"
        ),
        "line": ConcernFactory(reference="FW-2026-000104", unit=team_b, title="线", description=""),
        "far": ConcernFactory(
            reference="FW-2025-000105", unit=other_branch, title="夜间巡线补贴", description="巡线工区之外"
        ),
    }
