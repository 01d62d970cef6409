"""The admin warns before deactivating a unit that still has active units under it (issue 20 item 8): the
save is refused with the reason beside `active` until the confirmation is ticked; a unit with nothing
active below is deactivated at once."""

from django.urls import reverse

from fieldwork.models import Unit
from tests.admin.test_grants import form_data
from tests.factories import UserFactory


def _keeper():
    return UserFactory(username="keeper_dash", is_staff=True, is_superuser=True)


def test_deactivating_a_unit_with_active_units_under_it_asks_for_a_confirmation(client, branch, team_a, sub_a):
    client.force_login(_keeper())
    address = reverse("admin:fieldwork_unit_change", args=[team_a.pk])
    data = form_data(client.get(address))
    data.pop("active", None)  # unticked

    refused = client.post(address, data)

    assert refused.status_code == 200
    errors = refused.context["adminform"].form.errors
    assert "1 active unit lies under this unit" in str(errors["active"])
    team_a.refresh_from_db()
    assert team_a.active

    confirmed = client.post(address, {**data, "confirm_deactivation": "on"})
    assert confirmed.status_code == 302
    team_a.refresh_from_db()
    assert not team_a.active
    assert Unit.objects.get(pk=sub_a.pk).active  # the unit below stays as it was


def test_a_unit_with_nothing_active_below_is_deactivated_at_once(client, branch, team_b):
    client.force_login(_keeper())
    address = reverse("admin:fieldwork_unit_change", args=[team_b.pk])
    data = form_data(client.get(address))
    data.pop("active", None)
    assert client.post(address, data).status_code == 302
    team_b.refresh_from_db()
    assert not team_b.active
