"""Concerns: the list, raising one outside a visit, and the detail page with its transitions."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from ..models import Concern


@require_GET
@login_required
def concern_detail(request, pk):
    concern = get_object_or_404(
        Concern.objects.visible_to(request.user).select_related("unit", "category", "owner", "visit"), pk=pk
    )
    return render(request, "fieldwork/concerns/detail.html", {"concern": concern})
