"""Reference data in the admin: the principles and categories records are filed under, and the
working-day calendar. All organisation-wide (no unit scope).

A principle or category in use is never deleted: that would take it off hundreds of records (a
principle's links would go silently). The admin refuses and offers deactivation instead: an inactive
label leaves the app's forms and stays on the records that carry it.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .. import workdays
from ..forms.calendar import CalendarNoticeForm
from ..models import CalendarDay, Category, Principle
from .scoping import HistoryAdmin


def uses_of(obj) -> list[tuple[str, int]]:
    """(what, how many) for each kind of record that refers to `obj`, the kinds with none left out."""
    uses = []
    for relation in obj._meta.related_objects:
        accessor = relation.get_accessor_name()
        if relation.hidden or not accessor:  # the history's copies: they keep their own values
            continue
        count = getattr(obj, accessor).count()
        if count:
            uses.append((str(relation.related_model._meta.verbose_name_plural), count))
    return uses


class ReferenceAdmin(admin.ModelAdmin):
    """A label records are filed under: deleted only while unused, deactivated otherwise."""

    list_editable = ["ordering", "active"]
    search_fields = ["code", "name_zh", "name_en"]
    list_filter = ["active"]
    actions = ["deactivate", "activate"]

    def get_deleted_objects(self, objs, request):
        """A label in use is protected: the delete page says where it is used and offers deactivation."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        in_use = []
        for obj in objs:
            uses = uses_of(obj)
            if uses:
                in_use.append(
                    gettext(
                        "“%(name)s” is in use (%(uses)s) and cannot be deleted. Deactivate it instead: "
                        "it then leaves the forms and stays on the records that carry it."
                    )
                    % {
                        "name": obj,
                        "uses": gettext(", ").join(
                            gettext("%(what)s: %(count)d") % {"what": what, "count": count} for what, count in uses
                        ),
                    }
                )
        if in_use:  # said instead of the records it would take along, which are not deleted either
            return deleted, counts, set(), in_use
        return deleted, counts, perms_needed, protected

    def _set_active(self, request, queryset, active: bool) -> int:
        changed = 0
        for obj in queryset.filter(active=not active):
            obj.active = active
            obj.save(update_fields=["active"])
            self.log_change(request, obj, [{"changed": {"fields": ["active"]}}])
            changed += 1
        return changed

    @admin.action(description=_("Deactivate: leave the forms, stay on old records"), permissions=["change"])
    def deactivate(self, request, queryset):
        count = self._set_active(request, queryset, False)
        self.message_user(request, gettext("%(count)d deactivated.") % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Activate again"), permissions=["change"])
    def activate(self, request, queryset):
        count = self._set_active(request, queryset, True)
        self.message_user(request, gettext("%(count)d activated.") % {"count": count}, messages.SUCCESS)


@admin.register(Principle)
class PrincipleAdmin(ReferenceAdmin):
    list_display = ["code", "name_zh", "name_en", "essay_section", "ordering", "active"]


@admin.register(Category)
class CategoryAdmin(ReferenceAdmin):
    list_display = ["code", "name_zh", "name_en", "ordering", "active"]


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

    def has_delete_permission(self, request, obj=None):
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
