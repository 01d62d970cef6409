"""A visit with the concerns raised on it, entered on one form."""

from __future__ import annotations

from crispy_forms.bootstrap import InlineCheckboxes, InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import scope
from ..inputs import ModelChoiceField, ModelMultipleChoiceField
from ..models import Category, Concern, Principle, Visit
from ..services.concerns import ConcernInput
from .fields import FreeTextField, UnitPickerWidget, unit_field_setup
from .people import person_field_setup

User = get_user_model()


MAX_CONCERNS_PER_VISIT = 20


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
        field_classes = {
            "unit": ModelChoiceField,
            "principles": ModelMultipleChoiceField,
            "cadres": ModelMultipleChoiceField,
            "location": FreeTextField,
            "summary": FreeTextField,
        }
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "unit": UnitPickerWidget(),
            "form": forms.RadioSelect(),
            "principles": forms.CheckboxSelectMultiple(),
            "summary": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        selected = self.instance.unit if self.instance.pk else None
        unit_field_setup(self.fields["unit"], user, selected)
        self.fields["date"].initial = timezone.localdate
        # inactive principles leave the form, but stay on a visit that carries them when it is edited
        carried = self.instance.principles.values("pk") if self.instance.pk else Principle.objects.none()
        self.fields["principles"].queryset = Principle.objects.filter(Q(active=True) | Q(pk__in=carried))
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
        person_field_setup(self, "cadres", user=user)
        self.fields["form"].choices = Visit.Form.choices
        if not self.instance.pk and not self.is_bound:
            own = [choice for choice in self.fields["unit"].widget.choices if choice[0]]
            if len(own) == 1:
                self.initial["unit"] = own[0][0]
        if self.instance.pk:
            # the version this form was opened on (services.visits.visit_update refuses a stale one)
            self.fields["version"] = forms.IntegerField(
                widget=forms.HiddenInput(), min_value=1, required=False, initial=self.instance.version
            )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            "unit",
            Row(Column("date", css_class="col-7"), Column("people_reached", css_class="col-5")),
            InlineRadios("form"),
            "location",
            "cadres",
            "summary",
            InlineCheckboxes("principles"),
            *(["version"] if "version" in self.fields else []),
        )

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise forms.ValidationError(_("A visit cannot be dated in the future."))
        return date

    def clean(self):
        data = super().clean()
        if "version" in self.fields and data.get("version") is None:
            raise forms.ValidationError(
                _(
                    "This form does not say which version of the visit it was opened on: "
                    "open the visit and edit it again."
                )
            )
        return data


def concern_input(data: dict) -> ConcernInput:
    """What a concern form's cleaned data says, for services.concerns.concern_create."""
    return ConcernInput(
        title=data["title"],
        category=data["category"],
        description=data["description"],
        priority=data["priority"],
        raised_by_name=data["raised_by_name"],
        raised_by_contact=data["raised_by_contact"],
        anonymous=data["anonymous"],
        principles=list(data.get("principles") or ()),
    )


class ConcernInlineForm(forms.Form):
    """One concern raised on a visit, entered on the visit's own form."""

    title = FreeTextField(label=_("Title"), max_length=200, help_text=_("In a few words, as the person put it."))
    category = ModelChoiceField(label=_("Category"), queryset=Category.objects.none())
    priority = forms.ChoiceField(label=_("Priority"), choices=Concern.Priority.choices, initial=Concern.Priority.NORMAL)
    description = FreeTextField(
        label=_("Details"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    raised_by_name = FreeTextField(label=_("Raised by"), max_length=100, required=False)
    raised_by_contact = FreeTextField(
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
        self.helper.layout = Layout(
            "title",
            Row(Column("category", css_class="col-7"), Column("priority", css_class="col-5")),
            "description",
            Row(Column("raised_by_name", css_class="col-sm-6"), Column("raised_by_contact", css_class="col-sm-6")),
            "anonymous",
            "DELETE",
        )

    def to_input(self) -> ConcernInput:
        return concern_input(self.cleaned_data)


class BaseConcernFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["DELETE"].label = _("Remove this concern")

    def concern_inputs(self) -> list[ConcernInput]:
        return [form.to_input() for form in self.forms if form.has_changed() and not self._should_delete_form(form)]


ConcernFormSet = forms.formset_factory(
    ConcernInlineForm,
    formset=BaseConcernFormSet,
    extra=0,
    can_delete=True,
    max_num=MAX_CONCERNS_PER_VISIT,
    validate_max=True,
    absolute_max=MAX_CONCERNS_PER_VISIT,
)
