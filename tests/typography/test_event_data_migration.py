"""The data migration (0032_concern_event_data) moves the dates of older events' notes into their data,
and leaves a note it cannot read as it was written."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("fieldwork", "0031_user_landing_preference")]
AFTER = [("fieldwork", "0032_concern_event_data")]


@pytest.mark.django_db(transaction=True)
def test_older_notes_become_data():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    Unit, Category, Concern, Event = (
        apps.get_model("fieldwork", name) for name in ("Unit", "Category", "Concern", "ConcernEvent")
    )
    unit = Unit.objects.create(name="Team", code="team", kind="team", path="0001", depth=1)
    category = Category.objects.create(code="c-migration", name_zh="类", name_en="C")
    concern = Concern.objects.create(
        reference="FW-2026-000001", unit=unit, category=category, title="T", due_date="2026-12-01"
    )
    written = {
        "due_changed": "2026-11-30 → 2026-12-15: 零件未到",
        "action_added": "联系厂家 (王伟, 2026-11-20)",
        "extension_refused": "written by hand, no date",
    }
    ids = {kind: Event.objects.create(concern=concern, kind=kind, note=note).pk for kind, note in written.items()}

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    Event = executor.loader.project_state(AFTER).apps.get_model("fieldwork", "ConcernEvent")
    moved = Event.objects.get(pk=ids["due_changed"])
    assert (moved.data, moved.note) == ({"old_due": "2026-11-30", "new_due": "2026-12-15"}, "零件未到")
    action = Event.objects.get(pk=ids["action_added"])
    assert (action.data, action.note) == ({"owner": "王伟", "due": "2026-11-20"}, "联系厂家")
    kept = Event.objects.get(pk=ids["extension_refused"])
    assert (kept.data, kept.note) == ({}, "written by hand, no date")

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
