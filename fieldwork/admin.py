"""Master data for staff. Concerns, actions and callbacks cannot be deleted here: nothing a
person raised is ever lost. Admin deletions of other objects are recorded in Django's LogEntry."""

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    CalendarDay,
    Category,
    Concern,
    ConcernEvent,
    ExtensionRequest,
    Feedback,
    FollowUpAction,
    Membership,
    Principle,
    Unit,
    Visit,
)


class NoDeleteAdmin(admin.ModelAdmin):
    def has_delete_permission(self, request, obj=None):
        return False


class HistoryAdmin(NoDeleteAdmin, SimpleHistoryAdmin):
    """With a History page listing who changed what and when (django-simple-history)."""


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["indented_name", "code", "kind", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["parent", "receiver"]
    readonly_fields = ["path", "depth"]
    inlines = [MembershipInline]
    list_per_page = 100

    @admin.display(description=_("name"), ordering="path")
    def indented_name(self, obj):
        return format_html("{}{}", "\u2003" * obj.depth, obj.name)  # em spaces: no inline style under the CSP


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "unit", "role"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "unit__name", "unit__code"]
    autocomplete_fields = ["user", "unit"]


@admin.register(Principle)
class PrincipleAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "name_en", "essay_section", "ordering", "active"]
    list_editable = ["ordering", "active"]
    search_fields = ["code", "name_zh", "name_en"]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "name_en", "ordering", "active"]
    list_editable = ["ordering", "active"]
    search_fields = ["code", "name_zh", "name_en"]


@admin.register(Visit)
class VisitAdmin(HistoryAdmin):
    list_display = ["date", "unit", "form", "people_reached", "author"]
    list_filter = ["form", "date"]
    date_hierarchy = "date"
    search_fields = ["summary", "location", "unit__name", "unit__code"]
    autocomplete_fields = ["unit", "author", "cadres"]
    list_select_related = ["unit", "author"]


class EventInline(admin.TabularInline):
    model = ConcernEvent
    extra = 0
    can_delete = False
    readonly_fields = ["kind", "actor", "from_status", "to_status", "note", "public", "created_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Concern)
class ConcernAdmin(HistoryAdmin):
    """Read-mostly: the status is changed only through the app's services, never here."""

    list_display = ["reference", "title", "unit", "status", "priority", "due_date", "owner"]
    list_filter = ["status", "priority", "solvability", "source", "category"]
    search_fields = ["reference", "title", "description", "unit__name"]
    autocomplete_fields = ["unit", "visit", "owner", "created_by"]
    readonly_fields = [
        "reference",
        "status",
        "taken_up_at",
        "resolved_at",
        "closed_at",
        "reopen_count",
        "version",
        "supervised_at",
        "extensions_granted",
    ]
    list_select_related = ["unit", "owner"]
    inlines = [EventInline]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "unit" in form.changed_data:
            FollowUpAction.objects.filter(concern=obj).update(unit=obj.unit)  # actions carry their concern's unit


@admin.register(FollowUpAction)
class FollowUpActionAdmin(HistoryAdmin):
    list_display = ["concern", "description", "owner", "due_date", "done_at"]
    search_fields = ["description", "concern__reference"]
    autocomplete_fields = ["concern", "owner", "created_by"]


@admin.register(Feedback)
class FeedbackAdmin(NoDeleteAdmin):
    list_display = ["concern", "date", "channel", "satisfaction", "recorded_by"]
    list_filter = ["satisfaction", "channel"]
    search_fields = ["concern__reference", "comment"]
    autocomplete_fields = ["concern", "recorded_by"]


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    """The working-day calendar: public holidays, and weekend days worked instead (调休).

    `manage.py load_holidays --year <year>` loads a year from the State Council's notice; edit
    single days here. Every due date, response limit and count of days overdue follows it.
    """

    list_display = ["date", "weekday", "is_working_day", "note"]
    list_editable = ["is_working_day", "note"]
    list_filter = ["is_working_day"]
    date_hierarchy = "date"
    search_fields = ["note"]
    list_per_page = 100

    @admin.display(description=_("weekday"))
    def weekday(self, obj):
        from django.utils.dateformat import format as date_format

        return date_format(obj.date, "l")


@admin.register(ExtensionRequest)
class ExtensionRequestAdmin(NoDeleteAdmin):
    """Read-only: requests are made and decided on the concern's page, where the due date moves
    with the concern's version and its timeline."""

    list_display = ["concern", "requested_by", "due_date_before", "requested_due_date", "status", "decided_by"]
    list_filter = ["status"]
    search_fields = ["concern__reference", "reason", "decision_note"]
    list_select_related = ["concern", "requested_by", "decided_by"]
    readonly_fields = [
        "concern",
        "requested_by",
        "due_date_before",
        "requested_due_date",
        "reason",
        "status",
        "decided_by",
        "decided_at",
        "decision_note",
        "created_at",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
