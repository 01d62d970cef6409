"""Shared fixtures and the one frozen clock. The organisation used across tests:

company (root)      leader_company leads the company
├── branch          leader_branch leads the branch
│   ├── team_a      cadre_a, cadre_a2 (cadres), leader_team_a leads the team
│   │   └── sub_a   a team below team_a
│   └── team_b      cadre_b_other_team (cadre)
└── other_branch    leader_other_branch

concern: an open concern of team A owned by cadre_a; resolved_concern: the same, resolved by cadre_a.
"""

import datetime
import importlib
import zoneinfo

import pytest
from django.core.cache import cache
from django.utils import timezone

from fieldwork import workdays
from fieldwork.models import Membership, Unit
from fieldwork.services import concerns as concern_services
from tests.factories import MembershipFactory, UnitFactory, UserFactory, category

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


@pytest.fixture(scope="session", autouse=True)
def _no_session_left_on_the_test_database(django_db_setup, django_db_blocker):
    """At the end of a run, end the sessions that servers started by the tests (live servers' threads, the
    task worker of the export tests) may still hold on the test database, so that pytest-django can drop
    it; otherwise the run ends with "database … is being accessed by other users"."""
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture(autouse=True)
def _fast_and_english(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.AXES_ENABLED = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.LANGUAGE_CODE = "en"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def _fresh_working_day_calendar():
    """The working-day calendar is cached per thread (fieldwork.workdays); a test that edits it is
    rolled back afterwards, so no test may see what another one read."""
    workdays.clear_cache()
    yield
    workdays.clear_cache()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rendered dashboards are cached under the dashboard stamp, which a rolled-back test returns to
    its value before: no test may be served a page rendered from another test's data."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _reference_data(request):
    """The rows the data migrations seed (principles, categories, the 2025–2027 calendar), for every test
    that uses the database.

    A transactional test (transaction=True, the live server) empties the tables when it ends, and Django
    re-creates only the content types and permissions; any test finding these rows missing seeds them
    again. No test uses serialized rollback: restoring a serialized copy collided with content types
    re-created in between ("UNIQUE constraint failed: django_content_type"), and these three data
    migrations are the only rows it brought back.
    """
    if not request.node.get_closest_marker("django_db") and not {"db", "transactional_db", "live_server"} & set(
        request.fixturenames
    ):
        return
    request.getfixturevalue("transactional_db" if "live_server" in request.fixturenames else "db")
    from django.apps import apps

    from fieldwork.models import CalendarDay, Category

    if not Category.objects.exists():
        importlib.import_module("fieldwork.migrations.0002_seed_principles_categories").seed(apps, None)
    if not CalendarDay.objects.exists():
        importlib.import_module("fieldwork.migrations.0006_workdays").load_holidays(apps, None)
        importlib.import_module("fieldwork.migrations.0012_calendar_sources").fill_years(apps, None)


class Clock:
    """The one frozen clock: `timezone.now()` returns `clock.now` until a test moves it."""

    def __init__(self) -> None:
        self.set(2026, 12, 1)

    def set(self, year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> None:
        """Stand still at that moment in Shanghai (10:00 unless told)."""
        self.now = datetime.datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)

    def on(self, day: datetime.date, hour: int = 10, minute: int = 0) -> None:
        self.set(day.year, day.month, day.day, hour, minute)

    def move(self, **delta) -> None:
        self.now += datetime.timedelta(**delta)

    @property
    def today(self) -> datetime.date:
        return timezone.localdate(self.now)


@pytest.fixture
def clock(request, monkeypatch):
    """Time stands still where a test puts it: `clock.set(2026, 12, 1)` or `clock.on(date)` (10:00 in
    Shanghai, or the hour given), `clock.move(days=1)`, `clock.now = <an aware datetime>`;
    `clock.today` is the local date.

    It starts on 1 December 2026, or on the day a `clock` mark names: `pytest.mark.clock(2026, 6, 15)`
    (on a test, or as a module's `pytestmark`) freezes time there for every test it marks, whether
    or not the test asks for `clock`.
    """
    frozen = Clock()
    marker = request.node.get_closest_marker("clock")
    if marker:
        frozen.set(*marker.args, **marker.kwargs)
    monkeypatch.setattr(timezone, "now", lambda: frozen.now)
    return frozen


@pytest.fixture(autouse=True)
def _clock_from_mark(request):
    if request.node.get_closest_marker("clock"):
        request.getfixturevalue("clock")


@pytest.fixture
def company(db):
    return UnitFactory(name="Huozhou Power Supply", code="company", kind=Unit.Kind.COMPANY)


@pytest.fixture
def branch(company):
    return UnitFactory(name="Substation workshop", code="branch", kind=Unit.Kind.WORKSHOP, parent=company)


@pytest.fixture
def team_a(branch):
    return UnitFactory(name="Team A", code="team-a", parent=branch)


@pytest.fixture
def sub_a(team_a):
    return UnitFactory(name="Sub A", code="sub-a", kind=Unit.Kind.SUBSTATION, parent=team_a)


@pytest.fixture
def team_b(branch):
    return UnitFactory(name="Team B", code="team-b", parent=branch)


@pytest.fixture
def other_branch(company):
    return UnitFactory(name="Dispatch centre", code="other-branch", kind=Unit.Kind.BRANCH, parent=company)


@pytest.fixture
def cadre_a(team_a):
    user = UserFactory(username="cadre_a", first_name="伟", last_name="王")
    MembershipFactory(user=user, unit=team_a, role=Membership.Role.CADRE)
    return user


@pytest.fixture
def cadre_a2(team_a):
    """A second cadre of team A, who does not own the concern."""
    user = UserFactory(username="cadre_a2", first_name="强", last_name="赵")
    MembershipFactory(user=user, unit=team_a, role=Membership.Role.CADRE)
    return user


@pytest.fixture
def cadre_b_other_team(team_b):
    user = UserFactory(username="cadre_b")
    MembershipFactory(user=user, unit=team_b, role=Membership.Role.CADRE)
    return user


@pytest.fixture
def leader_branch(branch):
    user = UserFactory(username="leader_branch", first_name="芳", last_name="李")
    MembershipFactory(user=user, unit=branch, role=Membership.Role.LEADER)
    return user


@pytest.fixture
def leader_team_a(team_a):
    user = UserFactory(username="leader_team_a", first_name="军", last_name="陈")
    MembershipFactory(user=user, unit=team_a, role=Membership.Role.LEADER)
    return user


@pytest.fixture
def leader_company(company):
    user = UserFactory(username="leader_company", first_name="强", last_name="周")
    MembershipFactory(user=user, unit=company, role=Membership.Role.LEADER)
    return user


@pytest.fixture
def leader_other_branch(other_branch):
    user = UserFactory(username="leader_other")
    MembershipFactory(user=user, unit=other_branch, role=Membership.Role.LEADER)
    return user


@pytest.fixture
def concern(team_a, cadre_a):
    """An open concern of team A owned by cadre_a, raised through the service, with a named contact."""
    return concern_services.concern_create(
        unit=team_a,
        data=concern_services.ConcernInput(
            title="Switch room lights flicker",
            category=category(),
            description="Every night since May.",
            raised_by_name="刘师傅",
            raised_by_contact="13900001111",
        ),
        by=cadre_a,
        owner=cadre_a,
    )


@pytest.fixture
def resolved_concern(concern, cadre_a):
    """The open concern, taken up and resolved by its owner: waiting for the callback."""
    concern_services.concern_start(concern=concern, by=cadre_a, version=concern.version)
    return concern_services.concern_resolve(
        concern=concern, by=cadre_a, version=concern.version, resolution="Replaced the ballast."
    )


@pytest.fixture
def client_for(client):
    """client_for(user): the test client signed in as that user."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in
