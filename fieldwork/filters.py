"""List filters (django-filter). Every unit choice is limited to the user's scope; every person is
chosen through the people picker (forms.people)."""

from __future__ import annotations

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import scope
from .forms.fields import unit_field_setup
from .forms.people import person_field_setup
from .inputs import FilterModelChoiceField, object_id, search_text
from .models import Category, Concern, ExtensionRequest, Feedback, Principle, Unit, Visit
from .text import SEARCH_MAX_LENGTH, search_filter

User = get_user_model()


DATE_INPUT = forms.DateInput(attrs={"type": "date"})
ANYONE = _("Anyone")


class ModelChoiceFilter(django_filters.ModelChoiceFilter):
    """django-filter's, reading ids by the app's one rule (inputs.object_id)."""

    field_class = FilterModelChoiceField


class SubtreeFilter(ModelChoiceFilter):
    """A unit, meaning that unit and everything below it."""

    def filter(self, qs, value):
        if value:
            return qs.filter(unit__path__startswith=value.path)
        return qs


# Visit.backdated: dated more than VISIT_BACKDATE_DAYS before it was logged (services.visits.visit_checks).
BACKDATED_CHOICES = [("1", _("Back-dated (logged late)")), ("0", _("Logged in time"))]


class VisitFilter(django_filters.FilterSet):
    unit = SubtreeFilter(label=_("Unit (with the units below it)"), queryset=Unit.objects.none())
    date_from = django_filters.DateFilter(
        field_name="date", lookup_expr="gte", label=_("From"), widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = django_filters.DateFilter(
        field_name="date", lookup_expr="lte", label=_("To"), widget=forms.DateInput(attrs={"type": "date"})
    )
    form = django_filters.ChoiceFilter(label=_("Form of visit"), choices=Visit.Form.choices)
    principle = ModelChoiceFilter(field_name="principles", label=_("Principle"), queryset=Principle.objects.all())
    cadre = ModelChoiceFilter(field_name="cadres", label=_("Cadre"), queryset=User.objects.none())
    # --- back-dated visits (issue 19 item 3: the list behind the dashboard's back-dated line) ---
    backdated = django_filters.ChoiceFilter(
        label=_("Logged late"), choices=BACKDATED_CHOICES, method="filter_backdated"
    )

    def filter_backdated(self, queryset, name, value):
        return queryset.filter(backdated=value == "1")

    # --- end of back-dated visits ---

    class Meta:
        model = Visit
        fields = []

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        units = scope.visible_units(user)
        self.filters["unit"].queryset = units
        self.filters["cadre"].queryset = User.objects.filter(memberships__unit__in=units).distinct()
        unit_filter_setup(self.form.fields["unit"], user, units, self.data)
        person_field_setup(self.form, "cadre", user=user, data=self.data, empty_label=ANYONE)


# Translators: 督办
SUPERVISED_CHOICES = [("1", _("Under supervision")), ("0", _("Not under supervision"))]


def _filter_supervised(queryset, name, value):
    if value == "1":
        return queryset.filter(supervised_at__isnull=False)
    if value == "0":
        return queryset.filter(supervised_at__isnull=True)
    return queryset


# Translators: 延期
EXTENDED_CHOICES = [("1", _("Extended")), ("0", _("Never extended"))]


def _filter_extended(queryset, name, value):
    if value == "1":
        return queryset.filter(extensions_granted__gt=0)
    if value == "0":
        return queryset.filter(extensions_granted=0)
    return queryset


def unit_filter_setup(field, user, units, data) -> None:
    """The unit filter of a list: the searchable picker over the user's scope, the chosen unit shown."""
    unit_id = object_id(data.get("unit")) if data else None
    chosen = units.filter(pk=unit_id).first() if unit_id else None
    unit_field_setup(field, user, chosen)
    field.widget.attrs.update({"data-unit-picker": ""})
    field.required = False


def owner_field_setup(form, *, user, units, data) -> None:
    """An owner filter over everyone in scope, through the people picker: the page carries the owner
    chosen and the matches of what was typed, never the whole scope's people."""
    owner = form.fields["owner"]
    owner.queryset = User.objects.filter(memberships__unit__in=units).distinct()
    person_field_setup(
        form, "owner", user=user, data=data, empty_label=ANYONE, null_choice=(owner.null_value, owner.null_label)
    )


class OverdueFilter(django_filters.FilterSet):
    """The overdue page's filters: a unit's subtree and an owner.

    Only the form is used: selectors.concerns_overdue and actions_overdue apply the values, so
    the page, both exports and both sections select the same rows. Invalid values are ignored
    (shown beside the field), as django-filter does.
    """

    unit = SubtreeFilter(label=_("Unit (with the units below it)"), queryset=Unit.objects.none())
    owner = ModelChoiceFilter(label=_("Owner"), queryset=User.objects.none(), null_label=_("Nobody (unassigned)"))
    supervised = django_filters.ChoiceFilter(
        label=_("Supervision"), choices=SUPERVISED_CHOICES[:1], empty_label=_("All"), method=_filter_supervised
    )

    class Meta:
        model = Concern
        fields = []

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        units = scope.visible_units(user)
        unit_filter_setup(self.form.fields["unit"], user, units, self.data)
        owner_field_setup(self.form, user=user, units=units, data=self.data)

    def selection(self) -> dict:
        """{"unit": Unit | None, "owner": User | selectors.UNASSIGNED | None, "supervised": bool},
        from valid fields only."""
        if not self.is_bound:
            return {"unit": None, "owner": None, "supervised": False}
        self.form.is_valid()
        data = self.form.cleaned_data
        return {
            "unit": data.get("unit") or None,
            "owner": data.get("owner") or None,
            "supervised": data.get("supervised") == "1",
        }


# What the concern list's search box looks in (the PostgreSQL index, migration 0016, holds the same).
CONCERN_SEARCH_FIELDS = ("reference", "title", "description")


CALLBACK_LIMIT_CHOICES = [
    ("due", _("Answering a resolution")),
    ("within", _("Within the callback deadline")),
    ("late", _("After the callback deadline")),
]
CALLBACK_LIMIT_CONDITIONS = {
    "due": Q(due_date__isnull=False),
    "within": Q(due_date__isnull=False, date__lte=F("due_date")),
    "late": Q(due_date__isnull=False, date__gt=F("due_date")),
}


class ConcernFilter(django_filters.FilterSet):
    """The concern list's filters; every choice limited to the user's scope. Sorting and paging are
    the view's (a whitelist and keyset pages), not django-filter's."""

    OVERDUE_CHOICES = [("yes", _("Overdue")), ("no", _("Not overdue"))]

    q = django_filters.CharFilter(method="search", label=_("Search"))
    unit = SubtreeFilter(label=_("Unit (with the units below it)"), queryset=Unit.objects.none())
    # A concern has one status: choosing several cannot repeat a row, so no DISTINCT (django-filter's
    # default for this filter) over every column of the list.
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"), choices=Concern.Status.choices, distinct=False, widget=forms.CheckboxSelectMultiple
    )
    owner = ModelChoiceFilter(label=_("Owner"), queryset=User.objects.none(), null_label=_("Nobody (unassigned)"))
    category = ModelChoiceFilter(label=_("Category"), queryset=Category.objects.all())
    solvability = django_filters.ChoiceFilter(label=_("Solvability"), choices=Concern.Solvability.choices)
    # Date ranges, in whole days of the configured time zone: the dashboard's figures link here.
    raised_from = django_filters.DateFilter(
        field_name="raised_at", lookup_expr="date__gte", label=_("Raised from"), widget=DATE_INPUT
    )
    raised_to = django_filters.DateFilter(
        field_name="raised_at", lookup_expr="date__lte", label=_("Raised until"), widget=DATE_INPUT
    )
    resolved_from = django_filters.DateFilter(
        field_name="resolved_at", lookup_expr="date__gte", label=_("Resolved from"), widget=DATE_INPUT
    )
    resolved_to = django_filters.DateFilter(
        field_name="resolved_at", lookup_expr="date__lte", label=_("Resolved until"), widget=DATE_INPUT
    )
    # The dashboard's unreachable and no-answer figures: closed (in a final state) in its period.
    closed_from = django_filters.DateFilter(
        field_name="closed_at", lookup_expr="date__gte", label=_("Closed from"), widget=DATE_INPUT
    )
    closed_to = django_filters.DateFilter(
        field_name="closed_at", lookup_expr="date__lte", label=_("Closed until"), widget=DATE_INPUT
    )
    # Callbacks: applied together in filter_queryset (one callback must meet all of them).
    callback_from = django_filters.DateFilter(label=_("Callback from"), method="_later", widget=DATE_INPUT)
    callback_to = django_filters.DateFilter(label=_("Callback until"), method="_later", widget=DATE_INPUT)
    satisfaction = django_filters.ChoiceFilter(
        label=_("Callback"), choices=Feedback.Satisfaction.choices, method="_later"
    )
    # The dashboard's within-limit share: callbacks that answer a resolution (recorded with a callback
    # deadline), and of those the ones on or before it, or after it.
    callback_limit = django_filters.ChoiceFilter(
        label=_("Callback deadline"), choices=CALLBACK_LIMIT_CHOICES, method="_later"
    )
    principle = ModelChoiceFilter(field_name="principles", label=_("Principle"), queryset=Principle.objects.all())
    priority = django_filters.ChoiceFilter(label=_("Priority"), choices=Concern.Priority.choices)
    overdue = django_filters.ChoiceFilter(label=_("Overdue"), choices=OVERDUE_CHOICES, method="filter_overdue")
    source = django_filters.ChoiceFilter(label=_("Source"), choices=Concern.Source.choices)
    supervised = django_filters.ChoiceFilter(
        label=_("Supervision"), choices=SUPERVISED_CHOICES, method=_filter_supervised
    )
    # The dashboard's supervision figure: the concerns that came under supervision in its period.
    supervised_from = django_filters.DateFilter(
        field_name="supervised_at", lookup_expr="date__gte", label=_("Supervised from"), widget=DATE_INPUT
    )
    supervised_to = django_filters.DateFilter(
        field_name="supervised_at", lookup_expr="date__lte", label=_("Supervised until"), widget=DATE_INPUT
    )
    extended = django_filters.ChoiceFilter(label=_("Extension"), choices=EXTENDED_CHOICES, method=_filter_extended)
    # The dashboard's extension figure: an extension approved in its period (applied in filter_queryset).
    extended_from = django_filters.DateFilter(label=_("Extended from"), method="_later", widget=DATE_INPUT)
    extended_to = django_filters.DateFilter(label=_("Extended until"), method="_later", widget=DATE_INPUT)

    # What a person filters by most, shown; the rest (mostly the dashboard's links) folded under "More
    # filters", open when one of them is set.
    MAIN = ("q", "status", "unit", "owner", "overdue")

    class Meta:
        model = Concern
        fields = []

    def main_fields(self):
        return [self.form[name] for name in self.MAIN if name != "status"]

    def more_fields(self):
        return [field for field in self.form if field.name not in self.MAIN]

    def more_chosen(self) -> bool:
        """Whether a folded filter has a value (its fold then opens)."""
        return any(self.data.get(field.name) for field in self.more_fields()) if self.data else False

    def __init__(self, *args, user, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        self.common = False  # more than a search's capped count match: see text.search_filter
        units = scope.visible_units(user)
        unit_filter_setup(self.form.fields["unit"], user, units, self.data)
        owner_field_setup(self.form, user=user, units=units, data=self.data)
        self.form.fields["category"].queryset = Category.objects.filter(active=True)
        self.form.fields["principle"].queryset = Principle.objects.filter(active=True)
        self.form.fields["q"].widget.attrs.update({"type": "search", "maxlength": SEARCH_MAX_LENGTH})

    def search(self, queryset, name, value):
        query = search_text(value, max_length=SEARCH_MAX_LENGTH)
        return search_filter(
            queryset, query=query, fields=CONCERN_SEARCH_FIELDS, vector="search_vector", common=self.common
        )

    def searched(self) -> bool:
        """Whether the list is narrowed by a search (a valid, non-blank `q`)."""
        return (
            self.is_bound and self.form.is_valid() and bool(search_text(self.form.cleaned_data.get("q"), max_length=1))
        )

    def _later(self, queryset, name, value):
        return queryset  # see filter_queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        conditions = {
            key: data.get(field)
            for key, field in (
                ("date__gte", "callback_from"),
                ("date__lte", "callback_to"),
                ("satisfaction", "satisfaction"),
            )
            if data.get(field)
        }
        limit = CALLBACK_LIMIT_CONDITIONS.get(data.get("callback_limit") or "")
        if conditions or limit is not None:
            callbacks = Feedback.objects.filter(**conditions)
            if limit is not None:
                callbacks = callbacks.filter(limit)
            queryset = queryset.filter(pk__in=callbacks.values("concern"))
        extended = {
            key: data.get(field)
            for key, field in (("decided_at__date__gte", "extended_from"), ("decided_at__date__lte", "extended_to"))
            if data.get(field)
        }
        if extended:
            approved = ExtensionRequest.objects.filter(status=ExtensionRequest.Status.APPROVED, **extended)
            queryset = queryset.filter(pk__in=approved.values("concern"))
        return queryset

    def filter_overdue(self, queryset, name, value):
        overdue = Q(status__in=Concern.ACTIVE_STATUSES, due_date__lt=self.today)  # Concern.objects.overdue, as a Q
        if value == "yes":
            return queryset.filter(overdue)
        if value == "no":
            return queryset.exclude(overdue)
        return queryset


class SupervisedFilter(django_filters.FilterSet):
    """The supervised list's filters: a unit's subtree, and whether finished concerns are shown.

    Only the form is used: selectors.concerns_supervised applies the values.
    """

    unit = SubtreeFilter(label=_("Unit (with the units below it)"), queryset=Unit.objects.none())
    finished = django_filters.BooleanFilter(
        label=_("Also show the finished ones"), widget=forms.CheckboxInput(), method="keep"
    )

    class Meta:
        model = Concern
        fields = []

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        units = scope.visible_units(user)
        unit_filter_setup(self.form.fields["unit"], user, units, self.data)

    def keep(self, queryset, name, value):
        return queryset

    def selection(self) -> dict:
        """{"unit": Unit | None, "finished": bool}, from valid fields only."""
        if not self.is_bound:
            return {"unit": None, "finished": False}
        self.form.is_valid()
        data = self.form.cleaned_data
        return {"unit": data.get("unit") or None, "finished": bool(data.get("finished"))}


class CallbackFilter(django_filters.FilterSet):
    """The callback queue's filters (/callbacks/): a unit's subtree, late ones only, the deadline's range,
    and my own units only (my work's queue, whole).

    Only the form is used: selectors.callbacks_awaiting applies the values, so the page and its export
    select the same rows. Invalid values are ignored (shown beside the field), as django-filter does.
    """

    LATE_CHOICES = [("1", _("Past the callback deadline"))]
    MINE_CHOICES = [("1", _("Only the units I belong to myself"))]

    unit = SubtreeFilter(label=_("Unit (with the units below it)"), queryset=Unit.objects.none())
    overdue = django_filters.ChoiceFilter(label=_("Late"), choices=LATE_CHOICES, empty_label=_("All"), method="keep")
    due_from = django_filters.DateFilter(label=_("Callback due from"), widget=DATE_INPUT, method="keep")
    due_to = django_filters.DateFilter(label=_("Callback due by"), widget=DATE_INPUT, method="keep")
    mine = django_filters.ChoiceFilter(label=_("Units"), choices=MINE_CHOICES, empty_label=_("All"), method="keep")

    class Meta:
        model = Concern
        fields = []

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        units = scope.visible_units(user)
        unit_filter_setup(self.form.fields["unit"], user, units, self.data)

    def keep(self, queryset, name, value):
        return queryset

    def selection(self) -> dict:
        """The keyword arguments of selectors.callbacks_awaiting, from valid fields only."""
        chosen = {"unit": None, "overdue": False, "due_from": None, "due_to": None, "direct": False}
        if not self.is_bound:
            return chosen
        self.form.is_valid()
        data = self.form.cleaned_data
        chosen.update(
            unit=data.get("unit") or None,
            overdue=data.get("overdue") == "1",
            due_from=data.get("due_from") or None,
            due_to=data.get("due_to") or None,
            direct=data.get("mine") == "1",
        )
        return chosen
