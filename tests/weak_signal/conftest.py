"""The browser tests here use the e2e folder's Chromium."""

from tests.e2e.conftest import browser_type_launch_args, console_errors  # noqa: F401
