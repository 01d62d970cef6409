"""A visit with the concerns raised on it, entered on one form."""

from __future__ import annotations

from crispy_forms.bootstrap import InlineCheckboxes, InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Layout, Row
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import scope
from ..inputs import ModelChoiceField, ModelMultipleChoiceField
from ..models import Category, Concern, Principle, Visit
from ..services import visits as visit_services
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
    # The confirmation step (services.visits.visit_checks): shown when the visit needs one, for the
    # values in `confirm_for`; a confirmation of other values asks again.
    confirm = forms.BooleanField(label=_("I confirm the details marked above are right"), required=False)
    confirmation_reason = FreeTextField(
        label=_("Reason"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Shown on the visit's page."),
    )
    confirm_for = forms.CharField(widget=forms.HiddenInput(), required=False)

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
        self.confirming: dict[str, str] = {}  # field: message, when the visit needs a confirmation
        if self.is_bound:
            self.data = self.data.copy()  # the confirmation step sets confirm_for
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
        self._persons_met_setup(user)  # people (issue 21 item 2)
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
            HTML('{% include "fieldwork/visits/_confirm.html" %}'),
            InlineRadios("form"),
            "location",
            "cadres",
            "persons_met",
            "summary",
            InlineCheckboxes("principles"),
            *(["version"] if "version" in self.fields else []),
        )

    def _persons_met_setup(self, user) -> None:
        """people: the workers met on the visit, picked with the worker picker (models.PersonVisit)."""
        from ..models import Person

        self.fields["persons_met"] = ModelMultipleChoiceField(
            label=_("Workers met"),
            queryset=Person.objects.visible_to(user).filter(active=True).select_related("unit"),
            required=False,
            help_text=_("Workers known by name whom you met: their pairing pages count the visit as a contact."),
        )
        if self.instance.pk and not self.is_bound:
            self.initial["persons_met"] = [row.person_id for row in self.instance.persons_met.all()]
        person_field_setup(self, "persons_met", user=user, kind="worker")

    def clean(self):
        data = super().clean()
        unit = data.get("unit")
        if unit is not None and any(
            not person.unit.path.startswith(unit.path) for person in data.get("persons_met") or ()
        ):
            self.add_error("persons_met", _("Choose workers of the visit's unit."))
        if "version" in self.fields and data.get("version") is None:
            raise forms.ValidationError(
                _(
                    "This form does not say which version of the visit it was opened on: "
                    "open the visit and edit it again."
                )
            )
        return data

    @property
    def confirm_shown(self) -> bool:
        """The confirmation box is on the page: the visit needs one, or the step was on the page sent
        and this answer only adds a concern form or finds a person (no check ran)."""
        return bool(self.confirming) or bool(self.is_bound and self.data.get("confirm_for"))

    def check_record(self, *, concern_count: int, saved_at=None) -> bool:
        """After is_valid(), valid or not: whether the visit may be saved as it stands (services.visits.visit_checks).

        What is refused goes beside its field. What needs a confirmation goes beside its field too,
        with the confirm box and the reason (the second step) until both are sent for these values.
        """
        data = self.cleaned_data
        if any(data.get(name) is None for name in ("unit", "date", "people_reached")):
            return False  # refused already, beside the field
        checks = visit_services.visit_checks(
            unit=data["unit"],
            date=data["date"],
            people_reached=data["people_reached"],
            summary=data.get("summary") or "",
            concern_count=concern_count,
            visit=self.instance if self.instance.pk else None,
            saved_at=saved_at,  # the phone's save time of a visit saved offline (views.offline.saved_at)
        )
        stamp = f"{data['unit'].pk}|{data['date'].isoformat()}|{data['people_reached']}"
        for name, message in checks.refused.items():
            self.add_error(name, message)
        self.confirming = {name: message for name, message in checks.to_confirm.items() if name not in checks.refused}
        if not self.confirming:
            self.data["confirm_for"] = ""  # nothing (left) to confirm: the box goes
        else:
            confirmed = data.get("confirm") and data.get("confirm_for") == stamp
            self.data["confirm_for"] = stamp
            self.fields["confirmation_reason"].required = True
            if not confirmed:
                self.data["confirm"] = ""  # ticked for other values: ask again
                for name, message in self.confirming.items():
                    self.add_error(name, message)
            elif not data.get("confirmation_reason"):
                self.add_error("confirmation_reason", _("Say in a few words why the details are right."))
        return not self.errors


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

    def _entered(self) -> list[forms.Form]:
        return [form for form in self.forms if form.has_changed() and not self._should_delete_form(form)]

    def concern_inputs(self) -> list[ConcernInput]:
        return [form.to_input() for form in self._entered()]

    def concern_count(self) -> int:
        """The concerns entered (after is_valid(), valid or not)."""
        return len(self._entered())


ConcernFormSet = forms.formset_factory(
    ConcernInlineForm,
    formset=BaseConcernFormSet,
    extra=0,
    can_delete=True,
    max_num=MAX_CONCERNS_PER_VISIT,
    validate_max=True,
    absolute_max=MAX_CONCERNS_PER_VISIT,
)
