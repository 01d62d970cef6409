"""Visits: the list, the entry form with its inline concerns, the detail page and editing."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_safe

from .. import paging, permissions, selectors, submissions
from ..errors import DomainError, VisitConflict, VisitRefused
from ..filters import VisitFilter
from ..forms import talks as talk_forms
from ..forms.people import picker_search_sent, unchecked
from ..forms.photos import PhotoForm
from ..forms.visits import MAX_CONCERNS_PER_VISIT, ConcernFormSet, VisitForm
from ..history import visit_history
from ..inputs import whole_number
from ..models import Concern, Visit
from ..services import pairings as pairing_services
from ..services import photos as photo_services
from ..services import talks as talk_services
from ..services import visits as visit_services
from . import offline
from .photos import photos_shown


@require_safe
@login_required
def visit_list(request):
    """Visits in scope, filtered, newest first; keyset pages (no OFFSET) and a count capped at 10,000.

    The concerns of each visit are counted for the rows of the page only, so the first page runs
    the same queries, each bounded, however many visits match (a million at the root).
    """
    visits = Visit.objects.visible_to(request.user).select_related("unit", "author")
    visit_filter = VisitFilter(request.GET or None, queryset=visits, user=request.user)
    filtered = visit_filter.qs
    total, capped = paging.count_capped(filtered)
    size = settings.FIELDWORK["PAGE_SIZE"]
    page = paging.keyset_page(filtered, keyset=paging.VISITS_NEWEST_FIRST, after=request.GET.get("after"), size=size)
    counts = selectors.visit_concern_counts(visit_ids=[visit.pk for visit in page.rows])
    for visit in page.rows:
        visit.concern_count = counts.get(visit.pk, 0)
    query = request.GET.copy()
    query.pop("after", None)
    query.pop("page", None)
    next_query = ""
    if page.next_cursor:
        following = query.copy()
        following["after"] = page.next_cursor
        next_query = following.urlencode()
    return render(
        request,
        "fieldwork/visits/list.html",
        {
            "filter": visit_filter,
            "rows": page.rows,
            "total": total,
            "total_capped": capped,
            "total_display": number_format(total, force_grouping=True),
            "query": query.urlencode(),
            "next_query": next_query,
            "is_later_page": page.later,
        },
    )


def _concern_formset(request, *, add: bool = False):
    data = request.POST.copy() if request.method == "POST" else None
    if data is not None and add:
        # The no-JavaScript "add a concern" button: one more blank form, nothing saved.
        key = "concerns-TOTAL_FORMS"
        total = whole_number(data.get(key, "0"), high=MAX_CONCERNS_PER_VISIT) or 0
        data[key] = str(min(total + 1, MAX_CONCERNS_PER_VISIT))
    return ConcernFormSet(data, prefix="concerns")


def _save_visit(request, form, formset, photos, *, visit=None, saved_at=None):
    data = form.cleaned_data
    kwargs = {
        "by": request.user,
        "unit": data["unit"],
        "date": data["date"],
        "form": data["form"],
        "people_reached": data["people_reached"],
        "location": data["location"],
        "summary": data["summary"],
        "cadres": data["cadres"],
        "principles": data["principles"],
        "concerns": formset.concern_inputs(),
        "confirmation_note": data.get("confirmation_reason") or "",
    }
    with transaction.atomic():  # the visit and its photos, or nothing
        if visit is None:
            saved = visit_services.visit_record(**kwargs, saved_at=saved_at)
        else:
            saved = visit_services.visit_update(visit=visit, version=data["version"], **kwargs)
        photo_services.photos_add(by=request.user, photos=photos.cleaned_data["photos"], visit=saved)
        pairing_services.persons_met_set(visit=saved, persons=data.get("persons_met") or ())  # people
    return saved


def _checked(form, formset, photos, saved_at=None) -> bool:
    """The visit, its concerns and its photos are valid, and the visit makes sense or was confirmed with a
    reason (VisitForm.check_record: the confirmation step, also when something else is still to correct).
    `saved_at`: the phone's save time of a visit saved offline (views/offline.py)."""
    valid = form.is_valid()
    valid = formset.is_valid() and valid
    valid = photos.is_valid() and valid
    return form.check_record(concern_count=formset.concern_count(), saved_at=saved_at) and valid


def _notes_checked(note_form, form, valid: bool) -> bool:
    """The visit checks out (`valid`) and so do its confidential notes, if this user may write them."""
    if note_form is None:
        return valid
    data = getattr(form, "cleaned_data", {})
    return note_form.check_for(form=data.get("form"), unit=data.get("unit")) and valid


def _save_visit_with_notes(request, form, formset, photos, note_form, *, visit=None, saved_at=None):
    with transaction.atomic():
        saved = _save_visit(request, form, formset, photos, visit=visit, saved_at=saved_at)
        if note_form is not None:
            note_form.save_for(visit=saved, by=request.user)
    return saved


def _already_saved(request, visit: Visit):
    """The form was sent before (a resend, Back then Save): the visit it made, and where to edit it."""
    may_edit = permissions.visit_rights(visit, request.user).may_edit
    url = reverse("fieldwork:visit-edit", args=[visit.pk]) if may_edit else visit.get_absolute_url()
    messages.info(request, submissions.already_saved(url))
    return redirect(visit)


def _visit_form_page(request, *, visit=None):
    adding = "add_concern" in request.POST
    searching = picker_search_sent(request)  # a people picker's Find button, without JavaScript
    sending = request.method == "POST" and not adding and not searching
    key = submissions.submission_key_read(request.POST, "visit", request.user) if sending else None
    made = submissions.submission_made(key, request.user)
    syncing = offline.sync_requested(request, visit)  # sent from the phone: JSON (views/offline.py)
    saved_at = offline.saved_at(request) if sending and visit is None else None
    if made is not None:
        return offline.sync_made(made, created=False) if syncing else _already_saved(request, made)
    form = VisitForm(request.POST or None, instance=visit, user=request.user)
    formset = _concern_formset(request, add=adding)
    room = photo_services.photo_room(visit=visit)
    photos = PhotoForm(request.POST, request.FILES, room=room) if request.method == "POST" else PhotoForm(room=room)
    # confidential notes of a heart-to-heart talk: only for their author (forms/talks.py)
    note_form = talk_forms.note_form_for(request.POST or None, user=request.user, visit=visit)
    if searching:
        unchecked(form, formset, *([note_form] if note_form else []))
    elif sending and key is None and submissions.submission_key_refused(request.POST):
        form.is_valid()
        form.add_error(None, submissions.refused_message())
    elif sending and _notes_checked(note_form, form, _checked(form, formset, photos, saved_at)):
        try:
            saved, created = submissions.submission_make(
                key,
                request.user,
                lambda: _save_visit_with_notes(
                    request, form, formset, photos, note_form, visit=visit, saved_at=saved_at
                ),
            )
        except VisitConflict as conflict:
            # What the person typed stays in the form, now on the version they have been told about.
            data = request.POST.copy()
            data["version"] = str(conflict.version)
            visit = Visit.objects.get(pk=visit.pk)
            form = VisitForm(data, instance=visit, user=request.user)
            form.is_valid()
            form.add_error(None, str(conflict))
        except VisitRefused as refused:
            for name, message in refused.errors.items():
                form.add_error(name if name in form.fields else None, message)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            if syncing:
                return offline.sync_made(saved, created=created)
            if not created:
                return _already_saved(request, saved)
            count = saved.concerns.count()
            saved_message = (
                ngettext("Visit saved with %(count)d concern.", "Visit saved with %(count)d concerns.", count)
                % {"count": count}
                if count
                else _("Visit saved.")
            )
            messages.success(request, saved_message)
            return redirect(saved)
    if syncing:
        return offline.sync_refused(form, formset, photos)
    return render(
        request,
        "fieldwork/visits/form.html",
        {
            "form": form,
            "formset": formset,
            "visit": visit,
            "max_concerns": MAX_CONCERNS_PER_VISIT,
            "photo_form": photos,
            "note_form": note_form,
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@sensitive_post_parameters(*talk_forms.SENSITIVE)
@login_required
def visit_create(request):
    return _visit_form_page(request)


@require_http_methods(["GET", "HEAD", "POST"])
@sensitive_post_parameters(*talk_forms.SENSITIVE)
@login_required
def visit_edit(request, pk):
    visit = get_object_or_404(Visit.objects.visible_to(request.user).select_related("unit"), pk=pk)
    if not permissions.visit_rights(visit, request.user).may_edit:
        raise PermissionDenied(_("Only the author or a leader of the unit can edit this visit."))
    return _visit_form_page(request, visit=visit)


@require_safe
@login_required
def visit_concern_form(request):
    """htmx: one more blank concern form for the visit entry form, numbered after the others."""
    index = whole_number(request.GET.get("concerns-TOTAL_FORMS", "0")) or 0
    if index >= MAX_CONCERNS_PER_VISIT:
        return render(request, "fieldwork/visits/_concern_limit.html", {"max_concerns": MAX_CONCERNS_PER_VISIT})
    formset = ConcernFormSet(prefix="concerns")
    form = formset._construct_form(index)  # a blank form with the prefix concerns-<index>
    return render(request, "fieldwork/visits/_concern_form.html", {"cform": form, "next_total": index + 1})


@require_safe
@login_required
def visit_detail(request, pk):
    visit = get_object_or_404(
        Visit.objects.visible_to(request.user)
        .select_related("unit", "author")
        .prefetch_related(
            "cadres",
            "principles",
            Prefetch("concerns", queryset=Concern.objects.select_related("category", "owner").order_by("id")),
        ),
        pk=pk,
    )
    return render(
        request,
        "fieldwork/visits/detail.html",
        {
            "visit": visit,
            "rights": permissions.visit_rights(visit, request.user),
            "history": visit_history(visit),
            "photos": photos_shown(visit.photos.shown().select_related("visit", "concern", "unit"), request.user),
            "confidential_notes": talk_services.note_text_for(visit=visit, user=request.user),
        },
    )
