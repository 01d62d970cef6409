"""A stored script renders as text wherever it is shown."""

import pytest
from django.urls import reverse
from django.utils import timezone

from fieldwork.models import Concern


@pytest.mark.parametrize(
    "url",
    [
        lambda w: reverse("fieldwork:concern-detail", args=[w["concern"].pk]),
        lambda w: reverse("fieldwork:concern-list"),
        lambda w: reverse("fieldwork:visit-detail", args=[w["visit"].pk]),
        lambda w: reverse("fieldwork:my-work"),
        lambda w: reverse("fieldwork:overdue-list"),
    ],
)
def test_stored_script_renders_as_text(client_for, cadre_a, world, url):
    concern = world["concern"]
    Concern.objects.filter(pk=concern.pk).update(due_date=timezone.localdate() - timezone.timedelta(days=3))
    html = client_for(cadre_a).get(url(world)).content.decode()
    assert "<script>alert(" not in html
    assert "&lt;script&gt;alert(" in html
