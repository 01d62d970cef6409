"""Forms: each clean_* turns what was typed into domain values; services do the writing."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from django import forms
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import scope
from .models import Category, Concern, Principle, Unit, Visit
from .services import ConcernInput

User = get_user_model()

MAX_CONCERNS_PER_VISIT = 20


class UnitPickerWidget(forms.Select):
    """A select that renders only a few options; the searchable picker (tom-select) asks
    /units/search/ for the rest, so a scope of thousands of units does not weigh on the page."""

    def __init__(self, attrs=None):
        super().__init__(attrs={"data-unit-picker": "", **(attrs or {})})


def unit_field_setup(field: forms.ModelChoiceField, user, selected: Unit | None) -> None:
    """Scope a unit field to the user, and show as options only their own units and the selected one."""
    field.queryset = scope.visible_units(user).filter(active=True)
    field.widget.attrs["data-search-url"] = reverse("fieldwork:unit-search")
    own = list(field.queryset.filter(memberships__user=user).distinct().order_by("path")[:50])
    if selected is not None and selected not in own:
        own.insert(0, selected)
    field.widget.choices = [("", "---------")] + [(unit.pk, unit.name) for unit in own]


class VisitForm(forms.ModelForm):
    people_reached = forms.IntegerField(
        label=_("People reached"),
        min_value=1,
        max_value=100_000,
        widget=forms.NumberInput(attrs={"min": 1, "inputmode": "numeric"}),
    )

    class Meta:
        model = Visit
        fields = ["unit", "date", "form", "location", "people_reached", "cadres", "summary", "principles"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "unit": UnitPickerWidget(),
            "form": forms.RadioSelect(),
            "principles": forms.CheckboxSelectMultiple(),
            "summary": forms.Textarea(attrs={"rows": 3}),
            "cadres": forms.SelectMultiple(attrs={"data-user-picker": ""}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        selected = self.instance.unit if self.instance.pk else None
        unit_field_setup(self.fields["unit"], user, selected)
        self.fields["date"].initial = timezone.localdate
        self.fields["principles"].queryset = Principle.objects.filter(active=True)
        self.fields["principles"].required = False
        # Fellow cadres: the people who hold a membership somewhere in the user's scope.
        self.fields["cadres"].queryset = (
            User.objects.filter(is_active=True, memberships__unit__in=scope.visible_units(user))
            .exclude(pk=user.pk)
            .distinct()
            .order_by("last_name", "first_name", "username")
        )
        self.fields["cadres"].required = False
        self.fields["cadres"].label = _("Other cadres present")
        self.fields["cadres"].help_text = _("You are recorded as present.")
        self.fields["form"].choices = Visit.Form.choices
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise forms.ValidationError(_("A visit cannot be dated in the future."))
        return date


class ConcernInlineForm(forms.Form):
    """One concern raised on a visit, entered on the visit's own form."""

    title = forms.CharField(label=_("Concern"), max_length=200)
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.none())
    priority = forms.ChoiceField(
        label=_("Priority"), choices=Concern.Priority.choices, initial=Concern.Priority.NORMAL
    )
    description = forms.CharField(
        label=_("Details"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    raised_by_name = forms.CharField(label=_("Raised by"), max_length=100, required=False)
    raised_by_contact = forms.CharField(
        label=_("Contact"),
        max_length=100,
        required=False,
        help_text=_("Shown only to the owner and the unit's leaders."),
    )
    anonymous = forms.BooleanField(label=_("Keep the person anonymous"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(active=True)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def to_input(self) -> ConcernInput:
        data = self.cleaned_data
        return ConcernInput(
            title=data["title"],
            category=data["category"],
            description=data["description"],
            priority=data["priority"],
            raised_by_name=data["raised_by_name"],
            raised_by_contact=data["raised_by_contact"],
            anonymous=data["anonymous"],
        )


class BaseConcernFormSet(forms.BaseFormSet):
    def concern_inputs(self) -> list[ConcernInput]:
        return [
            form.to_input()
            for form in self.forms
            if form.has_changed() and not self._should_delete_form(form)
        ]


ConcernFormSet = forms.formset_factory(
    ConcernInlineForm,
    formset=BaseConcernFormSet,
    extra=0,
    can_delete=True,
    max_num=MAX_CONCERNS_PER_VISIT,
    validate_max=True,
    absolute_max=MAX_CONCERNS_PER_VISIT,
)
