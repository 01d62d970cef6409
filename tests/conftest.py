"""Shared fixtures. The organisation used across tests:

company (root)
└── branch
    ├── team_a      cadre_a (cadre), leader_branch leads the branch
    │   └── sub_a   a team below team_a
    └── team_b      cadre_b_other_team (cadre)
other_branch        leader_other_branch
"""

import datetime
import importlib
import zoneinfo

import pytest
from django.utils import timezone

from fieldwork import workdays
from fieldwork.models import Membership, Unit
from tests.factories import MembershipFactory, UnitFactory, UserFactory


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
def _reference_data(request):
    """The rows the data migrations seed (principles, categories, the 2025–2027 calendar), for every test
    that uses the database.

    A transactional test empties the tables when it ends; serialized rollback should bring these
    rows back, but does not for tests that also run Playwright's page, so any test finding them
    missing seeds them again.
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


@pytest.fixture
def clock(monkeypatch):
    """Time stands still where a test puts it: `clock.set(2026, 12, 1)` (10:00 in Shanghai, or the
    hour given), `clock.move(days=1)`; `clock.today` is the local date."""

    class Clock:
        now = datetime.datetime(2026, 12, 1, 10, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))

        def set(self, year: int, month: int, day: int, hour: int = 10) -> None:
            self.now = datetime.datetime(year, month, day, hour, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))

        def move(self, **delta) -> None:
            self.now += datetime.timedelta(**delta)

        @property
        def today(self) -> datetime.date:
            return timezone.localdate(self.now)

    frozen = Clock()
    monkeypatch.setattr(timezone, "now", lambda: frozen.now)
    return frozen


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
def leader_other_branch(other_branch):
    user = UserFactory(username="leader_other")
    MembershipFactory(user=user, unit=other_branch, role=Membership.Role.LEADER)
    return user


@pytest.fixture
def client_for(client):
    """client_for(user): the test client signed in as that user."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in
