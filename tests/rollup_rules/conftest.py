"""The rollup tests' world and baseline story (tests/rollups)."""

from tests.rollups.conftest import baseline, world

__all__ = ["baseline", "world"]
