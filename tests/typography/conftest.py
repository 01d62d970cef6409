"""The browser tests' Chromium (Debian's, never skipped when missing): tests/e2e/conftest.py."""

from tests.e2e.conftest import browser_type_launch_args, console_errors  # noqa: F401
