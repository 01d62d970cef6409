"""A heart-to-heart talk's confidential notes reach no one but their author and the readers named.

Every URL the project routes is walked (resolved from the URL patterns: the app's pages, lists, search,
JSON endpoints, exports, the admin with its change and history pages), its parameters filled with the
ids of the talk, its notes, its unit, a concern, the talk's history records and the user's own exports,
and every list asked to search for a word of the notes. The files the export tasks write (run by the
real worker), the unit export file, every text column of every table and the log records are searched
too. Another cadre in scope, the unit's leader (staff with every permission) and a superuser find the
notes nowhere; the author finds them on the talk's page and its edit form only, a named reader on the
talk's page only: the walk does reach the place where the notes are.
"""

from __future__ import annotations

import io
import itertools
import re
import zipfile

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from fieldwork import submissions
from fieldwork.models import ConfidentialNote, Export, HistoricalVisit, Visit
from tests.talks.conftest import SECRET, SECRET_WORD
from tests.tasks.worker import work_off

# the export tasks run in the real worker, which closes the connection when done: real transactions
pytestmark = pytest.mark.django_db(transaction=True)

MARKERS = (SECRET, "Zqxv-confidential-7781")  # the ASCII part survives JSON's \u escapes of the Chinese
NOT_A_WORD = "Wqqz"  # searched for beside the notes' word: a search may not tell them apart


def leaks(blob: bytes) -> bool:
    """Whether the notes are in these bytes, or in any member of them as a zip (a workbook)."""
    texts = [blob]
    if blob[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(blob)) as archive:
            texts.extend(archive.read(name) for name in archive.namelist())
    return any(marker.encode() in text for text in texts for marker in MARKERS)


def body_of(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


# --- the URLs ---------------------------------------------------------------------------------------

TOKEN = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
GROUP = re.compile(r"\(\?P<(?P<name>\w+)>[^)]*\)")


def routes(patterns=None, prefix: str = "") -> list[tuple[str, str | None]]:
    """(route with its parameters as <name>, url name) for every URL pattern, included ones too."""
    found = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        text = str(pattern.pattern)
        text = text.removeprefix("^").removesuffix("$").replace("\\Z", "").replace("\\", "")
        text = GROUP.sub(lambda match: f"<{match['name']}>", text)
        if isinstance(pattern, URLResolver):
            found.extend(routes(pattern.url_patterns, prefix + text))
        elif isinstance(pattern, URLPattern):
            found.append((prefix + text, pattern.name))
    return found


def concrete(route: str, values: dict[str, list[str]]) -> list[str]:
    names = [match["name"] for match in TOKEN.finditer(route)]
    if "url" in names:
        return []  # the admin's catch-all: any path, a redirect or a 404
    paths = []
    for combination in itertools.product(*(values.get(name, ["1"]) for name in names)):
        filled = dict(zip(names, combination, strict=True))
        paths.append("/" + TOKEN.sub(lambda match, filled=filled: filled[match["name"]], route))
    return sorted(set(paths))


# --- the world --------------------------------------------------------------------------------------


@pytest.fixture
def world(talk, concern, resolved_concern, cadre_a2, leader_team_a, superuser, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    every = Permission.objects.all()
    for staff in (cadre_a2, leader_team_a):  # the worst case a careless grant makes: staff, every permission
        staff.is_staff = True
        staff.save(update_fields=["is_staff"])
        staff.user_permissions.set(every)
    return talk


def ask_for_every_export(client, user, talk) -> None:
    """The export forms of the ledger, the overdue list and the callbacks queue, each kind, then the worker."""
    month = {"unit": talk.unit_id, "period": f"{talk.date:%Y-%m}"}
    asks = [
        (f"{reverse('fieldwork:ledger-prepare')}?unit={month['unit']}&period={month['period']}", kind)
        for kind in (Export.Kind.LEDGER_XLSX, Export.Kind.LEDGER_PAGE)
    ]
    asks += [
        (reverse("fieldwork:overdue-prepare"), kind) for kind in (Export.Kind.OVERDUE_XLSX, Export.Kind.OVERDUE_CSV)
    ]
    asks += [(reverse("fieldwork:callback-prepare"), Export.Kind.CALLBACKS_XLSX)]
    for url, kind in asks:
        response = client.post(url, {"kind": kind, submissions.FIELD: submissions.submission_key_new("export", user)})
        assert response.status_code in (302, 403, 404), (url, response.status_code)
    work_off()


def walk(client, user, talk) -> dict[str, bytes]:
    """Every page and file this user can ask for: url → body."""
    ask_for_every_export(client, user, talk)
    exports = [str(pk) for pk in Export.objects.filter(requested_by=user).values_list("pk", flat=True)]
    ids = sorted(
        {str(talk.pk), str(talk.unit_id), str(talk.confidential_note.pk), *exports}
        | {str(pk) for pk in talk.concerns.values_list("pk", flat=True)}
        | {str(pk) for pk in talk.unit.concerns.values_list("pk", flat=True)}
    )
    values = {
        name: ids for name in ("pk", "object_id", "id", "action_pk", "request_pk", "unit_id", "visit_id", "export_id")
    }
    values["version_id"] = values["history_id"] = [
        str(pk) for pk in HistoricalVisit.objects.filter(id=talk.pk).values_list("history_id", flat=True)
    ]
    values["content_type_id"] = [
        str(ContentType.objects.get_for_model(model).pk) for model in (Visit, ConfidentialNote)
    ]
    values["app_label"] = ["fieldwork", "auth"]
    values["unit_code"] = [talk.unit.code]
    seen: dict[str, bytes] = {}
    routed = [(route, name) for route, name in routes()]
    assert len(routed) > 60  # the whole project, admin included
    urls = [url for route, _name in routed for url in concrete(route, values)]
    month = f"unit={talk.unit_id}&period={talk.date:%Y-%m}"
    urls += [
        f"{reverse('fieldwork:ledger')}?{month}",
        f"{reverse('fieldwork:ledger-xlsx')}?{month}",
        f"{reverse('fieldwork:visit-list')}?unit={talk.unit_id}&form=heart_to_heart",
        f"{reverse('fieldwork:people-search')}?kind=note_reader&q=sun",
    ]
    for url in urls:
        seen[url] = body_of(client.get(url))
    for url, _name in [(url, None) for url in urls if "?" not in url and "/admin/logout" not in url]:
        for word in (SECRET_WORD, NOT_A_WORD):
            seen[f"{url}?q={word}"] = body_of(client.get(url, {"q": word}))
    for export in Export.objects.filter(requested_by=user).exclude(file=""):
        with export.file.open("rb") as stream:
            seen[f"file:{export.file.name}"] = stream.read()
    return seen


def links(body: bytes, word: str) -> set[str]:
    return set(re.findall(r'href="([^"]*)"', body.decode("utf-8", "replace").replace(word, "WORD")))


def assert_search_finds_nothing(seen: dict[str, bytes]) -> None:
    """A search for a word of the notes answers exactly as a search for a word found nowhere."""
    for url, body in seen.items():
        if url.endswith(f"?q={SECRET_WORD}"):
            other = seen[url.replace(SECRET_WORD, NOT_A_WORD)]
            assert links(body, SECRET_WORD) == links(other, NOT_A_WORD), url


@pytest.mark.parametrize("who", ["cadre_a2", "leader_team_a", "superuser"])
def test_nobody_else_finds_the_notes_anywhere(caplog, world, who, request, client):
    caplog.set_level("DEBUG")
    user = request.getfixturevalue(who)
    client.force_login(user)
    seen = walk(client, user, world)
    assert len(seen) > 200
    assert [url for url, body in seen.items() if leaks(body)] == []
    assert_search_finds_nothing(seen)
    assert Export.objects.filter(requested_by=user, status=Export.Status.READY).count() >= 3
    assert not any(marker in caplog.text for marker in MARKERS)


def test_the_author_finds_them_on_the_talk_and_its_edit_form_only(world, cadre_a, client):
    client.force_login(cadre_a)
    seen = walk(client, cadre_a, world)
    found = {url.split("?")[0] for url, body in seen.items() if leaks(body)}
    assert found == {world.get_absolute_url(), reverse("fieldwork:visit-edit", args=[world.pk])}


def test_a_named_reader_finds_them_on_the_talk_only(world, secretary, client):
    client.force_login(secretary)
    seen = walk(client, secretary, world)
    found = {url.split("?")[0] for url, body in seen.items() if leaks(body)}
    assert found == {world.get_absolute_url()}


def test_files_and_tables_hold_only_the_ciphertext(world, tmp_path, secretary):
    note = ConfidentialNote.objects.get()
    path = tmp_path / "company.export"
    call_command("export_unit", "company", output=str(path), verbosity=0)
    exported = path.read_bytes()
    assert not leaks(exported)
    assert note.ciphertext.encode() in exported  # carried, as ciphertext
    assert b'"model":"fieldwork.confidentialnote"' in exported and b'"readers":["secretary"]' in exported

    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            for column in connection.introspection.get_table_description(cursor, table):
                quoted_table, quoted_column = connection.ops.quote_name(table), connection.ops.quote_name(column.name)
                cursor.execute(
                    f"SELECT COUNT(*) FROM {quoted_table} WHERE CAST({quoted_column} AS TEXT) LIKE %s",
                    [f"%{SECRET_WORD}%"],
                )
                if cursor.fetchone()[0]:
                    found.append(f"{table}.{column.name}")
    assert found == []
