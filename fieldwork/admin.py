"""Master data for staff. Concerns, actions and callbacks cannot be deleted here: nothing a
person raised is ever lost. Admin deletions of other objects are recorded in Django's LogEntry."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from . import workdays
from .forms import CalendarNoticeForm
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
class CalendarDayAdmin(HistoryAdmin):
    """The working-day calendar: public holidays, and weekend days worked instead (调休), each with
    where it came from (the notice, the holidays package, an estimate).

    Rows are read-only here: a year is entered whole from the State Council's notice ("Enter a
    year's notice", or `manage.py load_holidays <file>`), which replaces that year's estimate, lists
    the due dates it would move for the leaders to apply, and rebuilds the response-limit figures.
    Every due date, response limit and count of days overdue follows the calendar.
    """

    list_display = ["date", "weekday", "is_working_day", "note", "source"]
    list_filter = ["source", "is_working_day"]
    date_hierarchy = "date"
    search_fields = ["note"]
    list_per_page = 100
    readonly_fields = ["date", "is_working_day", "note", "source"]

    def has_add_permission(self, request):
        return False

    def get_urls(self):
        notice = path("notice/", self.admin_site.admin_view(self.notice_view), name="fieldwork_calendarday_notice")
        return [notice, *super().get_urls()]

    def notice_view(self, request):
        """Enter a year's notice as lines (README, "The working-day calendar"); it replaces the year."""
        if not request.user.has_perm("fieldwork.change_calendarday"):
            raise PermissionDenied
        form = CalendarNoticeForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            year, days = form.cleaned_data["notice"]
            load = workdays.calendar_apply(year=year, days=days, source=CalendarDay.Source.NOTICE)
            messages.success(
                request,
                _(
                    "%(year)s: %(created)d days added, %(updated)d updated, %(removed)d estimated days replaced; "
                    "%(shifts)d open concerns would change due date, for their leaders to apply."
                )
                % {
                    "year": year,
                    "created": load.created,
                    "updated": load.updated,
                    "removed": load.removed,
                    "shifts": len(load.shifts),
                },
            )
            return redirect(reverse("admin:fieldwork_calendarday_changelist") + f"?date__year={year}")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Enter a year's notice"),
            "form": form,
            "status": workdays.status_lines(),
        }
        return TemplateResponse(request, "admin/fieldwork/calendarday/notice.html", context)

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
