"""Staff grant nothing beyond their own units: no membership in another unit, no account outside their
scope made staff, no superuser status, no permission they do not hold themselves, no new unit outside
their tree. A superuser grants anything."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.forms import MultiWidget
from django.urls import reverse

from fieldwork.models import Membership, Unit
from tests.factories import MembershipFactory, UserFactory


def form_data(response) -> dict:
    """What the admin page's form would send back unchanged: its fields and its inlines."""
    data = {}
    form = response.context["adminform"].form
    for bound in form:
        if bound.field.disabled or bound.name in response.context["adminform"].readonly_fields:
            continue
        value, widget = bound.value(), bound.field.widget
        if isinstance(widget, MultiWidget):
            for index, part in enumerate(widget.decompress(value)):
                data[f"{bound.html_name}_{index}"] = "" if part is None else str(part)
        elif isinstance(value, bool):
            if value:
                data[bound.html_name] = "on"
        elif isinstance(value, (list, tuple)):
            data[bound.html_name] = [str(item) for item in value]
        elif value is not None:
            data[bound.html_name] = value.isoformat() if isinstance(value, datetime.date) else str(value)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        prefix = formset.prefix
        data[f"{prefix}-TOTAL_FORMS"] = str(len(formset.initial_forms))
        data[f"{prefix}-INITIAL_FORMS"] = str(len(formset.initial_forms))
        for index, inline_form in enumerate(formset.initial_forms):
            for name in inline_form.fields:
                value = inline_form[name].value()
                if value is not None and not isinstance(value, bool):
                    data[f"{prefix}-{index}-{name}"] = str(value)
    return data


def test_no_membership_in_another_unit(client, staff_branch, mine, theirs, team_a, other_branch):
    client.force_login(staff_branch)
    newcomer = mine.cadre
    url = reverse("admin:fieldwork_membership_add")
    response = client.post(url, {"user": newcomer.pk, "unit": other_branch.pk, "role": Membership.Role.LEADER})
    assert response.status_code == 200
    assert "unit" in response.context["adminform"].form.errors
    assert not Membership.objects.filter(user=newcomer, unit=other_branch).exists()
    # moving a membership of their own units elsewhere is refused the same way
    change = reverse("admin:fieldwork_membership_change", args=[mine.membership.pk])
    response = client.post(change, {"user": newcomer.pk, "unit": other_branch.pk, "role": Membership.Role.CADRE})
    assert "unit" in response.context["adminform"].form.errors
    mine.membership.refresh_from_db()
    assert mine.membership.unit == team_a
    # in their own units, they may
    response = client.post(url, {"user": newcomer.pk, "unit": team_a.parent_id, "role": Membership.Role.LEADER})
    assert response.status_code == 302
    assert Membership.objects.filter(user=newcomer, unit=team_a.parent_id, role=Membership.Role.LEADER).exists()


def test_no_staff_rights_outside_their_scope(client, staff_branch, mine, theirs):
    client.force_login(staff_branch)
    outside = reverse("admin:auth_user_change", args=[theirs.cadre.pk])
    assert client.post(outside, {"username": theirs.cadre.username, "is_staff": "on"}).status_code == 404
    theirs.cadre.refresh_from_db()
    assert not theirs.cadre.is_staff


def test_staff_rights_in_scope_but_never_superuser(client, staff_branch, mine):
    client.force_login(staff_branch)
    url = reverse("admin:auth_user_change", args=[mine.cadre.pk])
    data = form_data(client.get(url))
    data.update({"is_staff": "on", "is_superuser": "on"})
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    mine.cadre.refresh_from_db()
    assert mine.cadre.is_staff and not mine.cadre.is_superuser


def test_no_permission_they_do_not_hold(client, branch, mine):
    limited = UserFactory(username="limited_staff", is_staff=True)
    MembershipFactory(user=limited, unit=branch, role=Membership.Role.LEADER)
    limited.user_permissions.set(
        Permission.objects.filter(codename__in=["view_user", "change_user", "view_membership"])
    )
    client.force_login(limited)
    url = reverse("admin:auth_user_change", args=[mine.cadre.pk])
    data = form_data(client.get(url))
    beyond = Permission.objects.get(codename="delete_concern")
    response = client.post(url, {**data, "user_permissions": [str(beyond.pk)]})
    assert response.status_code == 200
    assert "user_permissions" in response.context["adminform"].form.errors
    held = Permission.objects.get(codename="view_membership")
    response = client.post(url, {**data, "user_permissions": [str(held.pk)]})
    assert response.status_code == 302
    assert list(mine.cadre.user_permissions.all()) == [held]


def _add_user(client, units: list[Unit]) -> object:
    data = {
        "username": "newcomer",
        "usable_password": "true",
        "password1": "a-long-pass-for-tests-9",
        "password2": "a-long-pass-for-tests-9",
        "memberships-TOTAL_FORMS": str(len(units)),
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    for index, unit in enumerate(units):
        data.update({f"memberships-{index}-unit": str(unit.pk), f"memberships-{index}-role": Membership.Role.CADRE})
    return client.post(reverse("admin:auth_user_add"), data)


@pytest.mark.parametrize("where", ["nowhere", "other_branch"])
def test_a_new_account_needs_a_membership_in_their_units(request, client, staff_branch, where):
    client.force_login(staff_branch)
    response = _add_user(client, [] if where == "nowhere" else [request.getfixturevalue(where)])
    assert response.status_code == 200
    assert not Membership.objects.filter(user__username="newcomer").exists()
    assert not type(staff_branch).objects.filter(username="newcomer").exists()


def test_a_new_account_with_a_membership_in_their_units(client, staff_branch, team_a):
    client.force_login(staff_branch)
    response = _add_user(client, [team_a])
    assert response.status_code == 302
    assert Membership.objects.get(user__username="newcomer").unit == team_a


def test_no_new_unit_outside_their_tree(client, staff_branch, other_branch, branch):
    client.force_login(staff_branch)
    url = reverse("admin:fieldwork_unit_add")
    base = {"name": "New team", "code": "new-team", "kind": Unit.Kind.TEAM, "active": "on"}
    base.update({"memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0"})
    for parent in ("", other_branch.pk):
        response = client.post(url, {**base, "parent": parent})
        assert response.status_code == 200
        assert "parent" in response.context["adminform"].form.errors
    assert not Unit.objects.filter(code="new-team").exists()
    assert client.post(url, {**base, "parent": branch.pk}).status_code == 302
    assert Unit.objects.get(code="new-team").parent == branch


def test_a_superuser_grants_anything(client, keeper, mine, theirs, other_branch):
    client.force_login(keeper)
    response = client.post(
        reverse("admin:fieldwork_membership_add"),
        {"user": mine.cadre.pk, "unit": other_branch.pk, "role": Membership.Role.LEADER},
    )
    assert response.status_code == 302
    assert Membership.objects.filter(user=mine.cadre, unit=other_branch).exists()
