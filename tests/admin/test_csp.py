"""The admin's own pages load in Chromium without a Content Security Policy violation: the index, change
lists, change forms (with inlines, autocomplete and date widgets) and history pages, as a superuser.

Violations are caught twice: the page's `securitypolicyviolation` events, and the console's errors."""

import pytest
from django.urls import reverse

from fieldwork.models import Concern, Unit
from fieldwork.services import concerns as concern_services
from tests.e2e.conftest import browser_type_launch_args, listen_for_errors  # noqa: F401 (a fixture)
from tests.factories import UserFactory, category

pytestmark = pytest.mark.django_db(transaction=True)

WATCH_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.violatedDirective} ${event.blockedURI || "inline"} ${event.sample}`);
});
"""


def _pages() -> dict[str, str]:
    concern = Concern.objects.get()
    team = Unit.objects.get(code="team-a")
    record = concern.history.order_by("history_id").first()
    return {
        "index": reverse("admin:index"),
        "concern list": reverse("admin:fieldwork_concern_changelist"),
        "unit list": reverse("admin:fieldwork_unit_changelist"),
        "concern form": reverse("admin:fieldwork_concern_change", args=[concern.pk]),
        "unit form": reverse("admin:fieldwork_unit_change", args=[team.pk]),
        "unit add": reverse("admin:fieldwork_unit_add"),
        "concern history": reverse("admin:fieldwork_concern_history", args=[concern.pk]),
        "concern history record": reverse(
            "admin:fieldwork_concern_simple_history", args=[concern.pk, record.history_id]
        ),
        "category delete": reverse("admin:fieldwork_category_delete", args=[concern.category_id]),
    }


@pytest.fixture
def a_concern_with_history(team_a, cadre_a, leader_branch):
    concern = concern_services.concern_raise(
        by=cadre_a, unit=team_a, data=concern_services.ConcernInput(title="Canteen", category=category())
    )
    concern_services.concern_start(concern=concern, by=cadre_a, version=concern.version)
    return concern


@pytest.mark.parametrize(
    "name",
    [
        "index",
        "concern list",
        "unit list",
        "concern form",
        "unit form",
        "unit add",
        "concern history",
        "concern history record",
        "category delete",
    ],
)
def test_admin_pages_raise_no_csp_violation(page, live_server, a_concern_with_history, name):
    UserFactory(username="keeper", is_staff=True, is_superuser=True)
    errors: list[str] = []
    listen_for_errors(page, errors)
    page.add_init_script(WATCH_VIOLATIONS)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("input[name=username]", "keeper")
    page.fill("input[name=password]", "pass-for-tests-1")
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    response = page.goto(live_server.url + _pages()[name])
    assert response.status == 200
    page.wait_for_load_state("networkidle")
    if page.locator(".select2-selection").count():
        page.locator(".select2-selection").first.click()  # the autocomplete widget draws its dropdown
        page.wait_for_selector(".select2-results__option")
    violations = page.evaluate("window.__violations")
    assert violations == [], violations
    assert errors == [], errors


def test_the_admins_exception_is_one_style_attribute_under_admin_only(client, a_concern_with_history):
    client.force_login(UserFactory(username="keeper", is_staff=True, is_superuser=True))
    admin_policy = client.get(reverse("admin:index"))["Content-Security-Policy"]
    app_policy = client.get("/")["Content-Security-Policy"]
    assert "style-src-attr 'unsafe-hashes' 'sha256-XMXSevYjgSjXgRafBFDvtjwX+yyWLrxfso9DcNZ9UXM='" in admin_policy
    assert "style-src-attr" not in app_policy
    directives = {part.strip() for part in admin_policy.split(";")}
    assert directives - {part.strip() for part in app_policy.split(";")} == {
        "style-src-attr 'unsafe-hashes' 'sha256-XMXSevYjgSjXgRafBFDvtjwX+yyWLrxfso9DcNZ9UXM='"
    }  # the rest is the app's policy
    for policy in (admin_policy, app_policy):
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
        assert "script-src 'self'" in policy and "style-src 'self'" in policy
