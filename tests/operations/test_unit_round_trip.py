"""A unit moves to another installation: export_unit on one database, import_unit into a second,
empty, migrated one, and every exported column arrives (compared over natural keys and content)."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from fieldwork.backup import subtree_export
from fieldwork.models import Concern, Unit, Visit
from tests.factories import ConcernFactory, UnitFactory, UserFactory, VisitFactory
from tests.operations import subtree
from tests.operations.commands import database_url, digest, manage


@pytest.fixture
def second_database(tmp_path):
    """An empty database migrated by manage.py: on PostgreSQL one more database on the test server,
    dropped at the end; on SQLite a file."""
    if connection.vendor == "postgresql":
        name = f"{connection.settings_dict['NAME']}_second"
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            cursor.execute(f'CREATE DATABASE "{name}"')
        url = database_url(name)
    else:
        name = None
        url = f"sqlite:///{tmp_path / 'second.sqlite3'}"
    migrated = manage("migrate", "--noinput", url=url, timeout=300)
    assert migrated.returncode == 0, migrated.stderr
    yield url
    if name:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.django_db(transaction=True)
def test_a_unit_moves_to_an_empty_installation_unchanged(
    branch, team_a, sub_a, other_branch, cadre_a, leader_branch, second_database, tmp_path
):
    subtree.fill(
        branch=branch,
        team_a=team_a,
        sub_a=sub_a,
        other_branch=other_branch,
        cadre_a=cadre_a,
        leader_branch=leader_branch,
    )
    path = tmp_path / "branch.export"

    exported = manage("export_unit", "branch", "--output", str(path), url=database_url())
    assert exported.returncode == 0, exported.stderr
    imported = manage("import_unit", str(path), url=second_database)
    assert imported.returncode == 0, imported.stderr

    before, after = digest(database_url(), "branch"), digest(second_database, "branch")
    assert before == after
    counts = {label: count for label, (count, _sha) in before.items()}
    assert counts == {
        "auth.User": 4,
        "fieldwork.Unit": 3,
        "fieldwork.Membership": 3,
        "fieldwork.Visit": 2,
        "fieldwork.Concern": 2,
        "fieldwork.ConcernEvent": 2,
        "fieldwork.FollowUpAction": 1,
        "fieldwork.Feedback": 1,
        "fieldwork.ExtensionRequest": 1,
    }
    assert "outsider" not in path.read_text(encoding="utf-8")


@pytest.mark.django_db(transaction=True)
def test_an_import_leaves_what_the_installation_holds_alone(
    branch, team_a, sub_a, other_branch, cadre_a, leader_branch, tmp_path
):
    """The receiving installation has its own units, people and records, whose ids may be the very ids
    the file's records had where they came from: nothing of theirs is overwritten."""
    subtree.fill(
        branch=branch,
        team_a=team_a,
        sub_a=sub_a,
        other_branch=other_branch,
        cadre_a=cadre_a,
        leader_branch=leader_branch,
    )
    dump = io.StringIO()
    subtree_export(unit=branch, stream=dump)
    visit = Visit.objects.filter(unit=team_a).get()
    concern = Concern.objects.filter(unit=team_a).order_by("id").first()
    ids = {"branch": branch.pk, "team_a": team_a.pk, "visit": visit.pk, "concern": concern.pk}
    call_command("flush", interactive=False, verbosity=0)
    subtree.reseed()

    # The other installation: its own records under the same ids, and its own cadre_a.
    elsewhere = UnitFactory(pk=ids["branch"], code="elsewhere", name="Elsewhere")
    UnitFactory(pk=ids["team_a"], code="elsewhere-team", parent=elsewhere)
    their_cadre = UserFactory(username="cadre_a", email="their@example.com", first_name="Theirs")
    their_visit = VisitFactory(pk=ids["visit"], unit=elsewhere, author=their_cadre, summary="theirs")
    ConcernFactory(pk=ids["concern"], unit=elsewhere, reference="FW-2026-777777", title="theirs")
    counts_before = {model: model.objects.count() for model in (Unit, Visit, Concern)}

    call_command("import_unit", _write(tmp_path, dump), verbosity=0)

    assert Unit.objects.get(pk=ids["branch"]).code == "elsewhere"
    assert Unit.objects.get(pk=ids["team_a"]).code == "elsewhere-team"
    their_visit.refresh_from_db()
    assert (their_visit.summary, their_visit.unit_id) == ("theirs", ids["branch"])
    assert Concern.objects.get(pk=ids["concern"]).title == "theirs"
    their_cadre.refresh_from_db()
    assert (their_cadre.email, their_cadre.first_name) == ("their@example.com", "Theirs")
    assert Unit.objects.count() == counts_before[Unit] + 3
    assert Visit.objects.count() == counts_before[Visit] + 2
    assert Concern.objects.count() == counts_before[Concern] + 2
    moved = Unit.objects.get(code="branch")
    assert moved.parent is None and moved.path == f"/{moved.pk}/"
    assert Unit.objects.get(code="sub-a").path.startswith(moved.path)
    assert Visit.objects.get(summary="座谈：夜班食堂").unit.code == "team-a"


@pytest.mark.django_db(transaction=True)
def test_an_import_whose_references_are_taken_changes_nothing(
    branch, team_a, sub_a, other_branch, cadre_a, leader_branch, tmp_path
):
    subtree.fill(
        branch=branch,
        team_a=team_a,
        sub_a=sub_a,
        other_branch=other_branch,
        cadre_a=cadre_a,
        leader_branch=leader_branch,
    )
    dump = io.StringIO()
    subtree_export(unit=branch, stream=dump)
    taken = Concern.objects.filter(unit=team_a).order_by("id").first().reference
    call_command("flush", interactive=False, verbosity=0)
    subtree.reseed()
    ConcernFactory(unit=UnitFactory(code="elsewhere"), reference=taken)

    with pytest.raises(CommandError, match=taken):
        call_command("import_unit", _write(tmp_path, dump), verbosity=0)
    assert list(Unit.objects.values_list("code", flat=True)) == ["elsewhere"]
    assert Visit.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_an_import_into_a_database_that_has_one_of_the_units_changes_nothing(branch, team_a, tmp_path):
    path = tmp_path / "branch.export"
    call_command("export_unit", "branch", output=str(path), verbosity=0)
    units = Unit.objects.count()

    with pytest.raises(CommandError, match="team-a"):
        call_command("import_unit", str(path))
    assert Unit.objects.count() == units


def _write(tmp_path, dump: io.StringIO) -> str:
    path = tmp_path / "unit.export"
    path.write_text(dump.getvalue(), encoding="utf-8")
    return str(path)
