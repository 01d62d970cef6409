"""Reference data in use (principles, categories) is never deleted: the admin refuses, says where it is
used, and offers deactivation instead. An inactive label leaves the app's forms and stays on the records
that carry it, editing them included. An unused one may still be deleted."""

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.urls import reverse
from django.utils import timezone

from fieldwork.models import Category, Principle, Visit
from fieldwork.services import visits as visit_services
from tests.factories import category, principle


@pytest.fixture
def filed(cadre_a, team_a):
    """A visit tagged with a principle, and a concern filed under a category (the visit's)."""
    from fieldwork.services import concerns as concern_services

    visit = visit_services.visit_record(
        by=cadre_a,
        unit=team_a,
        date=timezone.localdate(),
        form=Visit.Form.SYMPOSIUM,
        people_reached=3,
        summary="Heard about the lights.",
        principles=[principle("learning")],
    )
    concern_services.concern_raise(
        by=cadre_a, unit=team_a, data=concern_services.ConcernInput(title="Lights", category=category("safety"))
    )
    return visit


@pytest.mark.parametrize(
    ("model_name", "label"), [("principle", lambda: principle("learning")), ("category", category)]
)
def test_a_label_in_use_is_not_deleted(client, keeper, filed, model_name, label):
    obj = label()
    client.force_login(keeper)
    url = reverse(f"admin:fieldwork_{model_name}_delete", args=[obj.pk])
    page = client.get(url).content.decode()
    assert "is in use" in page and "Deactivate it instead" in page
    assert client.post(url, {"post": "yes"}).status_code == 200  # the same refusal again
    changelist = reverse(f"admin:fieldwork_{model_name}_changelist")
    client.post(changelist, {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"})
    assert type(obj).objects.filter(pk=obj.pk).exists()
    if model_name == "principle":
        assert filed.principles.filter(pk=obj.pk).exists()  # the links were not taken off the visit


def test_deactivation_hides_a_label_from_the_forms_and_keeps_it_on_records(
    client, client_for, keeper, filed, cadre_a, team_a
):
    learning = principle("learning")
    client.force_login(keeper)
    response = client.post(
        reverse("admin:fieldwork_principle_changelist"),
        {"action": "deactivate", "_selected_action": [learning.pk]},
    )
    assert response.status_code == 302
    learning.refresh_from_db()
    assert not learning.active
    assert LogEntry.objects.filter(action_flag=CHANGE, object_id=str(learning.pk)).exists()
    Category.objects.filter(code="safety").update(active=False)

    client = client_for(cadre_a)
    new_visit = client.get(reverse("fieldwork:visit-create")).context["form"]
    assert learning not in new_visit.fields["principles"].queryset
    new_concern = client.get(reverse("fieldwork:concern-create")).context["form"]
    assert not new_concern.fields["category"].queryset.filter(code="safety").exists()
    assert learning.name_en in client.get(filed.get_absolute_url()).content.decode()

    # editing the visit keeps the principle it carries, though no new visit can take it
    edit_url = reverse("fieldwork:visit-edit", args=[filed.pk])
    edit = client.get(edit_url).context["form"]
    assert learning in edit.fields["principles"].queryset
    data = {name: edit[name].value() for name in ("unit", "form", "people_reached", "location", "summary", "version")}
    data.update({"date": filed.date.isoformat(), "principles": [learning.pk, principle("positioning").pk]})
    data.update({"concerns-TOTAL_FORMS": "0", "concerns-INITIAL_FORMS": "0"})
    response = client.post(edit_url, {key: value for key, value in data.items() if value is not None})
    assert response.status_code == 302, response.context["form"].errors
    assert set(filed.principles.values_list("code", flat=True)) == {"learning", "positioning"}
    assert Principle.objects.filter(active=True).exclude(pk=learning.pk).exists()


def test_a_label_is_activated_again(client, keeper):
    Principle.objects.filter(code="learning").update(active=False)
    client.force_login(keeper)
    client.post(
        reverse("admin:fieldwork_principle_changelist"),
        {"action": "activate", "_selected_action": [principle("learning").pk]},
    )
    assert principle("learning").active
