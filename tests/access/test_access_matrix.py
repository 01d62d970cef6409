"""One table of who gets what: every URL name of the project × every role × objects in and out of scope.

A URL added without its row here fails test_every_url_has_a_row."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.factories import ConcernFactory, FollowUpActionFactory, UserFactory, VisitFactory
from tests.security.conftest import ready_export, scoped_records

ROLES = ["anonymous", "cadre_in", "cadre_out", "leader", "leader_other", "staff"]
SIGNED_IN = {"anonymous": 302, "cadre_in": 200, "cadre_out": 200, "leader": 200, "leader_other": 200, "staff": 200}
IN_SCOPE = {"anonymous": 302, "cadre_in": 200, "cadre_out": 404, "leader": 200, "leader_other": 404, "staff": 200}
LEADERS = {"anonymous": 302, "cadre_in": 403, "cadre_out": 403, "leader": 200, "leader_other": 200, "staff": 200}
EVERYONE = dict.fromkeys(ROLES, 200)
POST_ONLY = dict.fromkeys(ROLES, 405)
# a prepared file is the asker's alone (the leader's here), superusers included
ASKER_ONLY = {**dict.fromkeys(ROLES, 404), "anonymous": 302, "leader": 200}


# the navigation's Dashboard (dash): a leader is sent to the one unit they lead; no one else has one
MY_DASHBOARDS = {"anonymous": 302, "cadre_in": 404, "cadre_out": 404, "leader": 302, "leader_other": 302, "staff": 302}

# name: (arguments from the objects, expected status of a GET per role)
MATRIX = {
    # the home address: My work, or the dashboard a leader chose to land on (none chosen here)
    "fieldwork:home": (None, SIGNED_IN),
    "fieldwork:my-work": (None, SIGNED_IN),
    "fieldwork:my-dashboards": (None, MY_DASHBOARDS),
    "fieldwork:dashboard-landing": (lambda o: [o["team_a"].pk], POST_ONLY),
    "fieldwork:unit-search": (None, SIGNED_IN),
    "fieldwork:people-search": (None, SIGNED_IN),
    "fieldwork:visit-list": (None, SIGNED_IN),
    "fieldwork:visit-create": (None, SIGNED_IN),
    "fieldwork:visit-concern-form": (None, SIGNED_IN),
    "fieldwork:visit-detail": (lambda o: [o["visit"].pk], IN_SCOPE),
    "fieldwork:visit-edit": (lambda o: [o["visit"].pk], IN_SCOPE),
    "fieldwork:concern-list": (None, SIGNED_IN),
    "fieldwork:concern-create": (None, SIGNED_IN),
    "fieldwork:concern-supervised-list": (None, SIGNED_IN),
    "fieldwork:due-shift-list": (None, LEADERS),
    "fieldwork:concern-detail": (lambda o: [o["concern"].pk], IN_SCOPE),
    "fieldwork:concern-start": (lambda o: [o["concern"].pk], POST_ONLY),
    "fieldwork:concern-resolve": (lambda o: [o["concern"].pk], POST_ONLY),
    "fieldwork:concern-assess": (lambda o: [o["concern"].pk], POST_ONLY),
    "fieldwork:concern-callback": (lambda o: [o["concern"].pk], POST_ONLY),
    "fieldwork:concern-attempt": (lambda o: [o["concern"].pk], POST_ONLY),
    "fieldwork:concern-unreachable": (lambda o: [o["concern"].pk], POST_ONLY),
    "fieldwork:concern-withdraw": (lambda o: [o["concern"].pk], POST_ONLY),
    "fieldwork:concern-reassign": (lambda o: [o["concern"].pk], POST_ONLY),
    "fieldwork:concern-set-due": (lambda o: [o["concern"].pk], POST_ONLY),
    "fieldwork:concern-transfer": (lambda o: [o["concern"].pk], POST_ONLY),
    "fieldwork:concern-extension-request": (lambda o: [o["concern"].pk], POST_ONLY),
    "fieldwork:concern-extension-decide": (lambda o: [o["concern"].pk, 1], POST_ONLY),
    "fieldwork:concern-action-create": (lambda o: [o["concern"].pk], POST_ONLY),
    "fieldwork:concern-action-done": (lambda o: [o["concern"].pk, o["action"].pk], POST_ONLY),
    # photos: the file and its thumbnail only in scope; changes are POSTs
    "fieldwork:concern-photo-add": (lambda o: [o["concern"].pk], POST_ONLY),
    "fieldwork:photo": (lambda o: [o["photo"].pk], IN_SCOPE),
    "fieldwork:photo-thumbnail": (lambda o: [o["photo"].pk], IN_SCOPE),
    "fieldwork:photo-share": (lambda o: [o["photo"].pk], POST_ONLY),
    "fieldwork:photo-withdraw": (lambda o: [o["photo"].pk], POST_ONLY),
    # offline visit entry: the worker, the manifest and the session check answer everyone (the session
    # check says who is signed in, if anyone); the choices, the blank concern form and the waiting list
    # are the signed-in user's own
    "fieldwork:service-worker": (None, EVERYONE),
    "fieldwork:manifest": (None, EVERYONE),
    "fieldwork:offline-session": (None, EVERYONE),
    "fieldwork:offline-choices": (None, SIGNED_IN),
    "fieldwork:offline-concern-form": (None, SIGNED_IN),
    "fieldwork:offline-list": (None, SIGNED_IN),
    # contact points (联系点): a unit subtree's list in scope; ending one is a POST
    "fieldwork:unit-contact-points": (lambda o: [o["team_a"].pk], IN_SCOPE),
    "fieldwork:contact-point-end": (lambda o: [o["contact_point"].pk], POST_ONLY),
    # pairings (结对): the list and the form of the user's own scope; a pairing only for its cadre and
    # the leaders of its unit (or above); ending one is a POST
    "fieldwork:pairing-list": (None, SIGNED_IN),
    "fieldwork:pairing-create": (None, {**SIGNED_IN, "cadre_in": 404, "cadre_out": 404}),  # leaders pair
    "fieldwork:pairing-detail": (lambda o: [o["pairing"].pk], IN_SCOPE),
    "fieldwork:pairing-end": (lambda o: [o["pairing"].pk], POST_ONLY),
    "fieldwork:overdue-list": (None, SIGNED_IN),
    # the callback queue: everyone signed in sees the queue of their own scope (a leader, a subtree's)
    "fieldwork:callback-list": (None, SIGNED_IN),
    "fieldwork:callback-export-xlsx": (None, SIGNED_IN),
    "fieldwork:callback-prepare": (None, POST_ONLY),
    "fieldwork:overdue-export-csv": (None, SIGNED_IN),
    "fieldwork:overdue-export-xlsx": (None, SIGNED_IN),
    "fieldwork:public-track": (None, EVERYONE),
    "fieldwork:public-track-callback": (None, POST_ONLY),
    "fieldwork:public-track-forget": (None, POST_ONLY),
    # a public photo only for the browser that opened its concern with the receipt code, and only if shareable
    "fieldwork:public-photo": (lambda o: [o["photo"].pk], dict.fromkeys(ROLES, 404)),
    "fieldwork:public-photo-thumbnail": (lambda o: [o["photo"].pk], dict.fromkeys(ROLES, 404)),
    "fieldwork:public-raise": (lambda o: [o["team_a"].code], EVERYONE),
    # the receipt code is shown once, right after a submission; later visits say it was shown already
    "fieldwork:public-raise-receipt": (lambda o: [o["team_a"].code], EVERYONE),
    "fieldwork:unit-poster": (lambda o: [o["team_a"].pk], IN_SCOPE),
    "fieldwork:unit-list": (None, SIGNED_IN),
    "fieldwork:unit-dashboard": (lambda o: [o["team_a"].pk], IN_SCOPE),
    # without ?unit= the ledger is of the highest unit the user may see (tests/test_ledger.py: scope)
    "fieldwork:ledger": (None, SIGNED_IN),
    "fieldwork:ledger-xlsx": (None, SIGNED_IN),
    "fieldwork:ledger-prepare": (None, POST_ONLY),
    "fieldwork:overdue-prepare": (None, POST_ONLY),
    "fieldwork:export-list": (None, SIGNED_IN),
    "fieldwork:export-detail": (lambda o: [o["export"].pk], ASKER_ONLY),
    "fieldwork:export-download": (lambda o: [o["export"].pk], ASKER_ONLY),
    "login": (None, {**dict.fromkeys(ROLES, 302), "anonymous": 200}),
    "logout": (None, POST_ONLY),
    "set_language": (None, dict.fromkeys(ROLES, 302)),
    "healthz": (None, EVERYONE),
}


# POST-only URLs: an out-of-scope object is a 404 and an anonymous visitor is sent to sign in.
POST_SCOPED = [name for name, (_args, expected) in MATRIX.items() if expected is POST_ONLY and "concern" in name]


def url_names() -> set[str]:
    names = set()

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue  # Django's admin guards itself (staff only); see test_admin_is_staff_only
                walk(pattern.url_patterns, f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(namespace + pattern.name)

    walk(get_resolver().url_patterns)
    return names


@pytest.fixture
def world(
    team_a, team_b, other_branch, cadre_a, cadre_b_other_team, leader_branch, leader_other_branch, settings, tmp_path
):
    visit = VisitFactory(unit=team_a, author=cadre_a)
    concern = ConcernFactory(unit=team_a, owner=cadre_a, visit=visit)
    staff = UserFactory(username="staff", is_staff=True, is_superuser=True)
    settings.MEDIA_ROOT = tmp_path
    return {
        "team_a": team_a,
        "visit": visit,
        "concern": concern,
        "action": FollowUpActionFactory(concern=concern, owner=cadre_a),
        **scoped_records(settings, tmp_path, unit=team_a, cadre=cadre_a, leader=leader_branch, visit=visit),
        "export": ready_export(leader_branch, team_a),
        "users": {
            "anonymous": None,
            "cadre_in": cadre_a,
            "cadre_out": cadre_b_other_team,
            "leader": leader_branch,
            "leader_other": leader_other_branch,
            "staff": staff,
        },
    }


def test_every_url_has_a_row():
    assert url_names() - set(MATRIX) == set(), "add a row to MATRIX for each new URL"
    assert set(MATRIX) - url_names() == set()


@pytest.mark.parametrize("role", ROLES)
def test_access_matrix(client, world, role):
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    wrong = []
    for name, (arguments, expected) in MATRIX.items():
        url = reverse(name, args=arguments(world) if arguments else None)
        response = client.get(url)
        status = response.status_code
        if response.streaming:  # the exports: read them through, so the test client closes them cleanly
            b"".join(response.streaming_content)
        if status != expected[role]:
            wrong.append(f"{name} {url}: {status}, expected {expected[role]}")
        if status == 302 and expected[role] == 302 and role == "anonymous" and name.startswith("fieldwork:"):
            assert client.get(url)["Location"].startswith("/accounts/login/"), name
    assert wrong == []


@pytest.mark.parametrize("name", POST_SCOPED)
def test_posts_out_of_scope_are_404_and_anonymous_posts_sign_in(client, world, name):
    arguments, _expected = MATRIX[name]
    url = reverse(name, args=arguments(world))
    response = client.post(url, {"version": 1})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    client.force_login(world["users"]["cadre_out"])
    assert client.post(url, {"version": 1}).status_code == 404


@pytest.mark.parametrize(("role", "expected"), [("cadre_in", 302), ("leader", 302), ("staff", 200)])
def test_admin_is_staff_only(client, world, role, expected):
    client.force_login(world["users"][role])
    assert client.get(reverse("admin:index")).status_code == expected
