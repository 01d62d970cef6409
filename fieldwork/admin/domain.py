"""Domain records in the admin: visits, concerns with their timeline, follow-up actions, callbacks and
extension requests. Read-only and scoped: they change in the app, through the services, where each
change is versioned and leaves its event (a stale admin form once put a concern's owner back)."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .. import scope
from ..models import Concern, ConcernEvent, ExtensionRequest, Feedback, FollowUpAction, Unit, Visit
from .scoping import ReadOnlyAdmin, ScopedAdmin, ScopedHistoryAdmin


@admin.register(Visit)
class VisitAdmin(ReadOnlyAdmin, ScopedHistoryAdmin):
    list_display = ["date", "unit", "form", "people_reached", "author"]
    list_filter = ["form", "date"]
    date_hierarchy = "date"
    search_fields = ["summary", "location", "unit__name", "unit__code"]
    list_select_related = ["unit", "author"]


class EventInline(admin.TabularInline):
    """The concern's timeline, as the app wrote it."""

    model = ConcernEvent
    extra = 0
    can_delete = False
    fields = readonly_fields = ["kind", "actor", "from_status", "to_status", "note", "public", "created_at"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Concern)
class ConcernAdmin(ReadOnlyAdmin, ScopedHistoryAdmin):
    """The status, owner, due date and unit change in the app (transfer: services/transfers.py)."""

    list_display = ["reference", "title", "unit", "status", "priority", "due_date", "owner"]
    list_filter = ["status", "priority", "solvability", "source", "category"]
    search_fields = ["reference", "title", "description", "unit__name"]
    list_select_related = ["unit", "owner"]
    inlines = [EventInline]

    def get_exclude(self, request, obj=None):
        """The raiser's contact only for those the app shows it to: the unit's leaders."""
        if obj is not None and scope.is_leader_of(request.user, obj.unit):
            return []
        return ["raised_by_contact"]


@admin.register(FollowUpAction)
class FollowUpActionAdmin(ReadOnlyAdmin, ScopedHistoryAdmin):
    list_display = ["concern", "description", "owner", "due_date", "done_at"]
    search_fields = ["description", "concern__reference"]
    list_select_related = ["concern", "owner"]


@admin.register(Feedback)
class FeedbackAdmin(ReadOnlyAdmin, ScopedAdmin):
    scope_field = "concern__unit__path"
    list_display = ["concern", "date", "channel", "satisfaction", "recorded_by"]
    list_filter = ["satisfaction", "channel"]
    search_fields = ["concern__reference", "comment"]
    list_select_related = ["concern", "recorded_by"]


@admin.register(ExtensionRequest)
class ExtensionRequestAdmin(ReadOnlyAdmin, ScopedAdmin):
    """Requests are made and decided on the concern's page, where the due date moves with the
    concern's version and its timeline."""

    scope_field = "concern__unit__path"
    list_display = ["concern", "requested_by", "due_date_before", "requested_due_date", "status", "decided_by"]
    list_filter = ["status"]
    search_fields = ["concern__reference", "reason", "decision_note"]
    list_select_related = ["concern", "requested_by", "decided_by"]


# --- units: a warning before deactivating a unit with active units under it (issue 20 item 8) -------
# Used by UnitAdmin (admin/people.py). The grassroots rule (scope.grassroots_ids) keeps coverage right
# either way; the warning is that the units below stay active, each counting as a grassroots unit.


class UnitDeactivationForm(forms.ModelForm):
    """The unit's admin form, asking for a confirmation before it deactivates a unit that still has
    active units under it."""

    confirm_deactivation = forms.BooleanField(
        label=_("Deactivate it all the same"),
        required=False,
        help_text=_("Only asked when units under this one are still active."),
    )

    def clean(self):
        cleaned = super().clean()
        unit = self.instance
        if unit.pk is None or not unit.path or cleaned.get("active", True) or cleaned.get("confirm_deactivation"):
            return cleaned
        if not Unit.objects.filter(pk=unit.pk, active=True).exists():
            return cleaned  # already inactive: nothing changes
        below = Unit.objects.filter(path__startswith=unit.path, active=True).exclude(pk=unit.pk).count()
        if below:
            self.add_error(
                "active",
                ngettext(
                    "%(count)d active unit lies under this unit. It stays active and keeps counting as a "
                    "grassroots unit on its own. Deactivate it first, or tick “Deactivate it all the same”.",
                    "%(count)d active units lie under this unit. They stay active and keep counting as "
                    "grassroots units on their own. Deactivate them first, or tick “Deactivate it all the same”.",
                    below,
                )
                % {"count": below},
            )
        return cleaned
