"""The admin applies the app's unit scope to staff (superusers aside), on every admin view of every
registered ModelAdmin: change lists, change pages, history, delete, the history's old versions and
autocomplete. The URLs are walked from each ModelAdmin's own URL patterns, so a view added later is
walked too. The staff user here holds every permission there is: scope, not permissions, keeps out
another branch's records."""

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from fieldwork import talks
from fieldwork.models import ConfidentialNote, ContactPoint, UnitWebhook
from tests.tasks import sample_tasks


def _note_of(records):
    note, _created = ConfidentialNote.objects.get_or_create(
        visit=records.visit, defaults={"author": records.cadre, "ciphertext": talks.encrypt("notes")}
    )
    return note


# model label → the record of a unit's world (tests/admin/conftest.Records) that the admin shows
SCOPED = {
    "fieldwork.unit": lambda records: records.unit,
    "fieldwork.membership": lambda records: records.membership,
    "fieldwork.visit": lambda records: records.visit,
    # a note on the records' visit, written as stored (a token): the admin shows "confidential" only
    "fieldwork.confidentialnote": lambda records: _note_of(records),
    "fieldwork.concern": lambda records: records.concern,
    "fieldwork.followupaction": lambda records: records.action,
    "fieldwork.feedback": lambda records: records.feedback,
    "fieldwork.extensionrequest": lambda records: records.extension,
    "auth.user": lambda records: records.cadre,
    "fieldwork.unitwebhook": lambda records: _robot(records.unit),
    "fieldwork.webhookdelivery": lambda records: _robot(records.unit).deliveries.create(
        kind="digest", day=records.visit.date, payload={"msgtype": "markdown", "markdown": {"content": "x"}}
    ),
    "fieldwork.contactpoint": lambda records: ContactPoint.objects.create(
        cadre=records.cadre,
        unit=records.unit,
        start=records.visit.date,
        assigned_by=records.cadre,
        due_date=records.visit.date,
    ),
}
# not tied to a unit, and telling of every unit (sign-in records, rights that reach everywhere)
SUPERUSER_ONLY = {
    "auth.group",
    "axes.accessattempt",
    "axes.accesslog",
    "axes.accessfailurelog",
    "django_tasks_database.dbtaskresult",  # the task queue: tasks' arguments and results of any unit
}
# reference data the whole organisation shares
SHARED = {"fieldwork.principle", "fieldwork.category", "fieldwork.calendarday"}


def _robot(unit):
    """A group robot of the unit (tests/webhooks follows them whole)."""
    return UnitWebhook.objects.create(
        unit=unit, name=f"{unit.name} group", platform="wecom", url="https://qyapi.weixin.qq.com/send?key=k"
    )


def _registry():
    return {model._meta.label_lower: model_admin for model, model_admin in admin.site._registry.items()}


def _object_urls(model_admin, obj) -> list[str]:
    """Every named URL of this ModelAdmin that takes an object: change, history, delete, old versions…"""
    urls = []
    for pattern in model_admin.urls:
        groups = pattern.pattern.regex.groups
        if not pattern.name or groups == 0:
            continue
        args = [obj.pk]
        if groups == 2:  # an old version from django-simple-history
            args.append(obj.history.order_by("history_id").first().history_id)
        urls.append(reverse(f"admin:{pattern.name}", args=args))
    return urls


def _list_ids(client, model_admin) -> set[int]:
    opts = model_admin.model._meta
    response = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
    assert response.status_code == 200
    return {obj.pk for obj in response.context["cl"].result_list}


def test_every_registered_admin_is_walked():
    assert set(_registry()) == set(SCOPED) | SUPERUSER_ONLY | SHARED


@pytest.mark.parametrize("label", sorted(SCOPED))
def test_another_branchs_records_are_404_and_absent_from_lists(client, staff_branch, mine, theirs, label):
    model_admin = _registry()[label]
    client.force_login(staff_branch)
    outside, inside = SCOPED[label](theirs), SCOPED[label](mine)
    urls = _object_urls(model_admin, outside)
    assert len(urls) >= 3  # change, history, delete at least
    for url in urls:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"post": "yes"}).status_code == 404, url
    assert type(outside).objects.filter(pk=outside.pk).exists()
    listed = _list_ids(client, model_admin)
    assert outside.pk not in listed
    assert inside.pk in listed
    inside_change = reverse(f"admin:{label.replace('.', '_')}_change", args=[inside.pk])
    assert client.get(inside_change).status_code == 200


def test_superusers_and_users_without_a_unit_in_scope_are_out_of_reach(client, staff_branch, keeper, mine):
    client.force_login(staff_branch)
    listed = _list_ids(client, _registry()["auth.user"])
    assert keeper.pk not in listed
    assert client.get(reverse("admin:auth_user_change", args=[keeper.pk])).status_code == 404
    assert client.get(reverse("admin:auth_user_password_change", args=[keeper.pk])).status_code == 404


@pytest.fixture
def superuser_only_objects(db):
    row = {"user_agent": "curl", "ip_address": "127.0.0.9", "username": "x", "http_accept": "*/*", "path_info": "/"}
    return {
        "auth.group": Group.objects.create(name="Everything"),
        "axes.accessattempt": AccessAttempt.objects.create(**row, get_data="", post_data="", failures_since_start=3),
        "axes.accesslog": AccessLog.objects.create(**row),
        "axes.accessfailurelog": AccessFailureLog.objects.create(**row),
        "django_tasks_database.dbtaskresult": DBTaskResult.objects.get(pk=sample_tasks.add.enqueue(1, 2).id),
    }


@pytest.mark.parametrize("label", sorted(SUPERUSER_ONLY))
def test_what_reaches_every_unit_is_for_superusers_only(client, staff_branch, keeper, superuser_only_objects, label):
    model_admin = _registry()[label]
    obj = superuser_only_objects[label]
    opts = model_admin.model._meta
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    client.force_login(staff_branch)
    assert client.get(changelist).status_code == 403
    for url in _object_urls(model_admin, obj):
        assert client.get(url).status_code in (403, 404), url
    shown = {model["object_name"] for app in client.get("/admin/").context["app_list"] for model in app["models"]}
    assert opts.object_name not in shown
    client.force_login(keeper)
    assert client.get(changelist).status_code == 200


def _autocomplete_sources():
    """(source model admin, field name, target label) for every autocomplete field of every admin."""
    for model, model_admin in admin.site._registry.items():
        for field_name in model_admin.autocomplete_fields:
            target = model._meta.get_field(field_name).remote_field.model._meta.label_lower
            yield pytest.param(model, field_name, target, id=f"{model._meta.model_name}.{field_name}")


@pytest.mark.parametrize(("model", "field_name", "target"), list(_autocomplete_sources()))
def test_autocomplete_offers_only_what_is_in_scope(client, staff_branch, mine, theirs, model, field_name, target):
    client.force_login(staff_branch)
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": model._meta.app_label,
            "model_name": model._meta.model_name,
            "field_name": field_name,
            "term": "",
        },
    )
    assert response.status_code == 200
    offered = {int(item["id"]) for item in response.json()["results"]}
    assert SCOPED[target](mine).pk in offered
    assert SCOPED[target](theirs).pk not in offered


def test_the_raisers_contact_only_for_the_units_leaders(client, staff_branch, mine, team_a):
    """As in the app: the concern's leaders see who to call back; other staff of the unit do not."""
    url = reverse("admin:fieldwork_concern_change", args=[mine.concern.pk])
    client.force_login(staff_branch)  # leads the branch
    page = client.get(url)
    assert "raised_by_contact" in page.context["adminform"].fieldsets[0][1]["fields"]
    assert "13900001111" in page.content.decode()
    staff_cadre = mine.cadre
    staff_cadre.is_staff = True
    staff_cadre.save()
    staff_cadre.user_permissions.set(Permission.objects.filter(codename="view_concern"))
    client.force_login(staff_cadre)
    page = client.get(url)
    assert page.status_code == 200
    assert "raised_by_contact" not in page.context["adminform"].fieldsets[0][1]["fields"]
    assert "13900001111" not in page.content.decode()
