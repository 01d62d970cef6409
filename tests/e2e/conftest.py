"""Browser tests: Playwright drives Debian's Chromium against the live test server.

A missing browser fails these tests (and CI): they never skip.
"""

import os
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

# Not under test-results/: pytest-playwright empties that folder at the start of a run.
SCREENSHOTS = Path(os.environ.get("FIELDWORK_SCREENSHOTS", "test-screenshots"))
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    executable = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    assert Path(executable).exists(), f"Chromium not found at {executable}: install Debian's chromium package"
    return {
        **browser_type_launch_args,
        "executable_path": executable,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


def listen_for_errors(page, errors: list[str]) -> None:
    """Collect the page's console errors and CSP violations into `errors`."""
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))


@pytest.fixture
def console_errors(page):
    """Console errors and CSP violations seen by the page; tests assert it stays empty."""
    errors = []
    listen_for_errors(page, errors)
    return errors


def shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def sign_in(page, live_server, username: str, password: str = "pass-for-tests-1") -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def accessibility_problems(page) -> list[str]:
    """Basic checks every page must pass: labelled inputs, landmarks, a lang attribute."""
    return page.evaluate(
        """() => {
        const problems = [];
        if (!document.documentElement.lang) problems.push("no lang attribute");
        for (const landmark of ["main", "header", "nav"]) {
          if (!document.querySelector(landmark)) problems.push("no <" + landmark + "> landmark");
        }
        const fields = document.querySelectorAll(
          "input:not([type=hidden]):not([type=submit]):not([type=button]), select, textarea");
        for (const field of fields) {
          if (field.closest(".fw-hp") || field.classList.contains("ts-hidden-accessible")) continue;
          const labelled = (field.id && document.querySelector(`label[for="${field.id}"]`))
            || field.closest("label") || field.getAttribute("aria-label") || field.getAttribute("aria-labelledby")
            || field.getAttribute("title");
          if (!labelled) problems.push("unlabelled " + field.tagName.toLowerCase() + " " + (field.name || field.id));
        }
        return problems;
      }"""
    )
