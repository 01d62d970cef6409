"""The installable app's manifest and service worker, the phone's session check, the choices the phone
keeps (scoped like the data, bounded) and the blank concern form it numbers."""

import json
import re

import pytest
from django.contrib.staticfiles import finders

from fieldwork.models import Unit
from fieldwork.views import offline
from tests.factories import MembershipFactory, UserFactory


def test_the_manifest_makes_the_app_installable(client):
    answer = client.get("/manifest.webmanifest")
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/manifest+json"
    data = json.loads(answer.content)
    assert data["display"] == "standalone"
    assert data["start_url"] == "/"
    assert data["theme_color"] == "#9b1c1c"
    sizes = {icon["sizes"] for icon in data["icons"]}
    assert {"192x192", "512x512", "any"} <= sizes
    for icon in data["icons"]:
        assert finders.find(icon["src"].removeprefix("/static/")), icon["src"]


def test_the_service_worker_is_served_from_the_root_with_its_shell(client):
    answer = client.get("/sw.js")
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("application/javascript")
    assert answer["Service-Worker-Allowed"] == "/"
    assert answer["Cache-Control"] == "no-cache"
    assert "Content-Security-Policy" in answer  # served under the site's policy like every answer
    body = answer.content.decode()
    first, rest = body.split("\n", 1)
    assert first.startswith("const FIELDWORK = ") and first.endswith(";")
    config = json.loads(first.removeprefix("const FIELDWORK = ").removesuffix(";"))
    assert "/static/fieldwork/app.css" in config["shell"]
    assert "/static/fieldwork/offline.js" in config["shell"]
    assert config["formPage"] == "/visits/new/"
    assert 'self.addEventListener("fetch"' in rest
    for url in config["shell"]:
        assert finders.find(url.removeprefix("/static/")), url


def test_an_unchanged_worker_is_answered_not_modified(client):
    first = client.get("/sw.js")
    again = client.get("/sw.js", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again["Service-Worker-Allowed"] == "/"


def test_the_worker_learns_the_hashed_names_of_collected_files(client, settings, tmp_path):
    """In production the static files carry their hash: the worker keeps those very addresses."""
    from django.core.management import call_command

    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    config = json.loads(client.get("/sw.js").content.decode().split("\n", 1)[0][len("const FIELDWORK = ") : -1])
    app_css = [url for url in config["shell"] if url.startswith("/static/fieldwork/app.") and url.endswith(".css")]
    assert len(app_css) == 1 and app_css[0] != "/static/fieldwork/app.css"
    assert (tmp_path / app_css[0].removeprefix("/static/")).exists()


def test_the_session_check_gives_the_user_and_a_fresh_csrf_token(client_for, cadre_a, client):
    assert client.get("/offline/session/").json()["user"] is None
    answer = client_for(cadre_a).get("/offline/session/")
    assert answer.json()["user"] == cadre_a.pk
    assert answer.json()["csrf"]
    assert "no-cache" in answer["Cache-Control"]


def test_choices_are_signed_in_only(client):
    assert client.get("/offline/choices/").status_code == 302
    assert client.get("/offline/concern-form/").status_code == 302
    assert client.get("/offline/").status_code == 302


@pytest.mark.usefixtures("cadre_a2", "leader_team_a", "cadre_b_other_team", "leader_other_branch")
def test_choices_hold_the_own_units_colleagues_with_their_keys_and_the_units_in_scope(client_for, cadre_a, sub_a):
    data = client_for(cadre_a).get("/offline/choices/").json()
    names = {person["text"] for person in data["colleagues"]}
    assert names == {"王伟", "赵强", "陈军"}  # team A: not team B's cadre, not another branch's leader
    wang = next(person for person in data["colleagues"] if person["text"] == "王伟")
    keys = {key for key, _start in wang["keys"]}
    assert {"王伟", "wangwei", "ww", "伟", "wei"} <= keys
    units = {unit["text"] for unit in data["units"]}
    assert units == set(Unit.objects.visible_to(cadre_a).filter(active=True).values_list("name", flat=True))
    assert "Team B" not in units
    assert data["principles"] and data["categories"]
    assert data["user"] == cadre_a.pk


def test_choices_are_bounded(client_for, cadre_a, team_a, monkeypatch):
    monkeypatch.setattr(offline, "MAX_COLLEAGUES", 5)
    monkeypatch.setattr(offline, "MAX_KEYS_PER_PERSON", 3)
    for number in range(8):
        MembershipFactory(user=UserFactory(username=f"many{number}"), unit=team_a)
    data = client_for(cadre_a).get("/offline/choices/").json()
    assert len(data["colleagues"]) == 5
    assert all(len(person["keys"]) <= 3 for person in data["colleagues"])


def test_the_blank_concern_form_is_numbered_for_the_worker(client_for, cadre_a):
    page = client_for(cadre_a).get("/offline/concern-form/").content.decode()
    assert 'name="concerns-987654-title"' in page
    assert 'value="987655"' in page  # the next total, swapped in by htmx
    assert "__prefix__" not in page


def test_the_waiting_list_page_and_the_badge(client_for, cadre_a):
    page = client_for(cadre_a).get("/offline/").content.decode()
    assert "data-offline-list" in page
    assert "data-offline-badge" in page
    assert 'rel="manifest"' in page
    assert f'data-fieldwork-user="{cadre_a.pk}"' in page


def test_a_shell_file_that_is_gone_is_left_out_rather_than_failing_the_worker(client, monkeypatch):
    monkeypatch.setattr(offline, "SHELL", [*offline.SHELL, "vendor/renamed-by-another-change.css"])
    config = json.loads(client.get("/sw.js").content.decode().split("\n", 1)[0][len("const FIELDWORK = ") : -1])
    assert "/static/fieldwork/app.css" in config["shell"]
    assert not any("renamed-by-another-change" in url for url in config["shell"])


def test_the_shell_holds_every_file_the_visit_form_loads(client_for, cadre_a):
    """Offline, the form comes with what it loads: a stylesheet or script added to base.html or the form
    (or renamed) without its line in views/offline.py SHELL would be missing on a phone without a signal."""
    page = client_for(cadre_a).get("/visits/new/").content.decode()
    loaded = set(re.findall(r'(?:href|src)="(/static/[^"]+)"', page))
    loaded |= set(re.search(r'name="fw-picker-assets" content="([^"]+)"', page).group(1).split())
    assert any(url.endswith(".css") for url in loaded) and any(url.endswith(".js") for url in loaded)
    body = client_for(cadre_a).get("/sw.js").content.decode()
    shell = set(json.loads(body.split("\n", 1)[0].removeprefix("const FIELDWORK = ").removesuffix(";"))["shell"])
    assert loaded - shell == set()
