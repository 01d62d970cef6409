"""Forms: each clean_* turns what was typed into domain values; services do the writing."""

from __future__ import annotations

import datetime

from crispy_forms.bootstrap import InlineCheckboxes, InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import scope
from .display import display_name
from .inputs import ModelChoiceField, ModelMultipleChoiceField, object_id
from .models import Category, Concern, Feedback, Principle, Unit, Visit
from .services import transfers
from .services.concerns import ConcernInput
from .text import text_clean

User = get_user_model()

MAX_CONCERNS_PER_VISIT = 20


class FreeTextField(forms.CharField):
    """A text people type: cleaned by text.text_clean (no bidirectional controls; a text of only
    invisible characters or spaces is empty, so refused where one is required)."""

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return value
        value = text_clean(value)
        return value if value else self.empty_value


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
            "cadres": forms.SelectMultiple(attrs={"data-user-picker": ""}),
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


# --- concerns: raising one outside a visit, and the detail page's transitions ------------------------


def concern_members(unit: Unit):
    """People who work in the unit or a unit above it: who may own a concern or an action there."""
    ids = [int(part) for part in unit.path.strip("/").split("/") if part]
    return (
        User.objects.filter(is_active=True, memberships__unit__in=ids, memberships__unit__active=True)
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def _person_label(user) -> str:
    return display_name(user)


class ConcernCreateForm(forms.Form):
    """A concern raised outside a visit. A leader may give it to someone else in the unit."""

    unit = ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), widget=UnitPickerWidget())
    category = ModelChoiceField(label=_("Category"), queryset=Category.objects.none())
    title = FreeTextField(label=_("Title"), max_length=200, help_text=_("In a few words, as the person put it."))
    description = FreeTextField(
        label=_("Details"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    priority = forms.ChoiceField(
        label=_("Priority"),
        choices=Concern.Priority.choices,
        initial=Concern.Priority.NORMAL,
        widget=forms.RadioSelect(),
    )
    raised_by_name = FreeTextField(label=_("Raised by"), max_length=100, required=False)
    raised_by_contact = FreeTextField(
        label=_("Contact"),
        max_length=100,
        required=False,
        help_text=_("Shown only to the owner and the unit's leaders."),
    )
    anonymous = forms.BooleanField(label=_("Keep the person anonymous"), required=False)
    principles = ModelMultipleChoiceField(
        label=_("Principles"),
        queryset=Principle.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(),
    )
    owner = ModelChoiceField(
        label=_("Owner"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("Leave empty to own it yourself."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        chosen = None
        unit_id = object_id(self.data.get("unit")) if self.is_bound else None
        if unit_id:
            chosen = scope.visible_units(user).filter(pk=unit_id, active=True).first()
        unit_field_setup(self.fields["unit"], user, chosen)
        self.fields["category"].queryset = Category.objects.filter(active=True)
        self.fields["principles"].queryset = Principle.objects.filter(active=True)
        if scope.leads_anything(user):
            owner = self.fields["owner"]
            owner.queryset = (
                User.objects.filter(is_active=True, memberships__unit__in=scope.visible_units(user))
                .distinct()
                .order_by("last_name", "first_name", "username")
            )
            owner.label_from_instance = _person_label
            owner.widget.attrs["data-user-picker"] = ""
        else:
            del self.fields["owner"]
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self):
        data = super().clean()
        unit, owner = data.get("unit"), data.get("owner")
        if unit is not None and owner is not None and owner != self.user:
            if not scope.is_leader_of(self.user, unit):
                self.add_error("owner", _("Only a leader of the unit can give the concern to someone else."))
            elif not scope.is_member_of(owner, unit):
                self.add_error("owner", _("The owner must work in this unit or a unit above it."))
        return data

    def to_input(self) -> ConcernInput:
        return concern_input(self.cleaned_data)


class ConcernStepForm(forms.Form):
    """A transition's form: it carries the version the person saw, for optimistic locking."""

    version = forms.IntegerField(widget=forms.HiddenInput(), min_value=1)

    def __init__(self, *args, concern: Concern, user=None, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("version", concern.version)
        super().__init__(*args, **kwargs)
        self.concern = concern
        self.user = user
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class ConcernStartForm(ConcernStepForm):
    note = FreeTextField(label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ConcernResolveForm(ConcernStepForm):
    resolution = FreeTextField(label=_("What was done"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


class ConcernAssessForm(ConcernStepForm):
    solvability = forms.ChoiceField(
        label=_("Solvability"), choices=Concern.Solvability.choices, widget=forms.RadioSelect()
    )
    note = FreeTextField(label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["solvability"].initial = self.concern.solvability or None


class ConcernCallbackForm(ConcernStepForm):
    """A callback recorded by a cadre; the self-service channel belongs to the public pages."""

    satisfaction = forms.ChoiceField(
        label=_("Is the person satisfied?"), choices=Feedback.Satisfaction.choices, widget=forms.RadioSelect()
    )
    channel = forms.ChoiceField(
        label=_("How"),
        choices=[c for c in Feedback.Channel.choices if c[0] != Feedback.Channel.SELF_SERVICE],
        initial=Feedback.Channel.PHONE,
    )
    date = forms.DateField(
        label=_("Date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    comment = FreeTextField(
        label=_("What they said"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    new_due_date = forms.DateField(
        label=_("New due date if dissatisfied"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Empty: today plus the days for the concern's priority."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date and date > timezone.localdate():
            raise forms.ValidationError(_("A callback cannot be dated in the future."))
        return date

    def clean_new_due_date(self):
        due = self.cleaned_data["new_due_date"]
        if due and due < timezone.localdate():
            raise forms.ValidationError(_("The new due date cannot be in the past."))
        return due


class ConcernWithdrawForm(ConcernStepForm):
    reason = FreeTextField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class ConcernReassignForm(ConcernStepForm):
    owner = ModelChoiceField(label=_("New owner"), queryset=User.objects.none())
    note = FreeTextField(label=_("Note"), max_length=2000, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        owner.queryset = concern_members(self.concern.unit)
        owner.label_from_instance = _person_label
        if self.concern.owner_id:
            owner.queryset = owner.queryset.exclude(pk=self.concern.owner_id)


class ConcernTransferForm(ConcernStepForm):
    """转办: the unit is one of the leader's own (others are not valid choices); the reason is required."""

    unit = forms.ModelChoiceField(label=_("To unit"), queryset=Unit.objects.none(), widget=UnitPickerWidget())
    reason = forms.CharField(label=_("Why"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        unit_field_setup(self.fields["unit"], self.user, None)

    def clean_unit(self):
        unit = self.cleaned_data["unit"]
        refusal = transfers.transfer_refusal(concern=self.concern, by=self.user, unit=unit)
        if refusal:
            raise forms.ValidationError(refusal)
        return unit


class ConcernDueForm(ConcernStepForm):
    due_date = forms.DateField(
        label=_("New due date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    note = FreeTextField(label=_("Why"), max_length=2000, required=False)

    def clean_due_date(self):
        due = self.cleaned_data["due_date"]
        if due < timezone.localdate():
            raise forms.ValidationError(_("The due date cannot be in the past."))
        return due


class ActionForm(forms.Form):
    description = FreeTextField(label=_("Action"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    owner = ModelChoiceField(label=_("Owner"), queryset=User.objects.none())
    due_date = forms.DateField(label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    principles = ModelMultipleChoiceField(
        label=_("Principles"),
        queryset=Principle.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(),
    )

    def __init__(self, *args, concern: Concern, user, **kwargs):
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        owner.queryset = concern_members(concern.unit)
        owner.label_from_instance = _person_label
        owner.initial = user.pk
        self.fields["principles"].queryset = Principle.objects.filter(active=True)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean_due_date(self):
        due = self.cleaned_data["due_date"]
        if due < timezone.localdate():
            raise forms.ValidationError(_("An action cannot be due in the past."))
        return due


class ActionDoneForm(forms.Form):
    outcome = FreeTextField(label=_("Outcome"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


# --- the public channel: no sign-in, so every field has a size limit ------------------------------------


class PublicConcernForm(forms.Form):
    """A concern raised by anyone, without signing in. Anonymous unless the person chooses otherwise.

    `website` is a honeypot: hidden from people by the .fw-hp class, filled in by bots that fill
    every field. The view refuses such a submission with a neutral message and saves nothing.
    """

    description = FreeTextField(
        label=_("What happened?"),
        max_length=2000,
        error_messages={"required": _("Say what happened.")},
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Where and when, and what you would like done. At most 2,000 characters."),
    )
    category = ModelChoiceField(label=_("What is it about?"), queryset=Category.objects.none())
    anonymous = forms.BooleanField(
        label=_("Keep me anonymous"),
        required=False,
        initial=True,
        help_text=_("Untick to give your name or a way to reach you; only those handling it will see them."),
    )
    name = FreeTextField(label=_("Your name"), max_length=100, required=False)
    contact = FreeTextField(
        label=_("Phone or other contact"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel"}),
    )
    website = forms.CharField(
        label=_("Leave this field empty"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(active=True)

    @property
    def honeypot_filled(self) -> bool:
        return bool(self.data.get("website", "").strip())

    def clean(self):
        data = super().clean()
        if data.get("anonymous") and (data.get("name", "").strip() or data.get("contact", "").strip()):
            self.add_error(
                "anonymous",
                _("You gave a name or a contact: untick “Keep me anonymous” to send them, or clear them."),
            )
        return data


class PublicLookupForm(forms.Form):
    """A receipt code as typed: any case, with or without spaces and dashes (public.receipt_code_normalise)."""

    code = forms.CharField(
        label=_("Your receipt code"),
        max_length=40,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "placeholder": "ABCD-EFGH-JKMN",
            }
        ),
    )


class PublicCallbackForm(forms.Form):
    """The person's own verdict on a resolved concern; the satisfaction comes from the button pressed."""

    version = forms.IntegerField(widget=forms.HiddenInput(), min_value=1)
    satisfaction = forms.ChoiceField(label=_("Are you satisfied?"), choices=Feedback.Satisfaction.choices)
    comment = FreeTextField(
        label=_("Anything to add? (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ExtensionRequestForm(forms.Form):
    """The owner's request for a later due date (延期申请), before the current one."""

    requested_due_date = forms.DateField(
        label=_("New due date asked for"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    reason = FreeTextField(
        label=_("Why more time is needed"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, concern: Concern, **kwargs):
        super().__init__(*args, **kwargs)
        self.concern = concern
        later = concern.due_date + datetime.timedelta(days=1)
        self.fields["requested_due_date"].widget.attrs["min"] = later.isoformat()
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean_requested_due_date(self):
        day = self.cleaned_data["requested_due_date"]
        if day <= self.concern.due_date:
            raise forms.ValidationError(
                _("Ask for a date after the current due date (%(date)s).") % {"date": self.concern.due_date}
            )
        return day


class ExtensionDecideForm(ConcernStepForm):
    """A leader's decision on a pending extension request; the button pressed says which."""

    DECISIONS = [("approve", _("Approve")), ("refuse", _("Refuse"))]

    decision = forms.ChoiceField(choices=DECISIONS, widget=forms.HiddenInput())
    note = FreeTextField(
        label=_("Note (needed to refuse)"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "refuse" and not (data.get("note") or "").strip():
            self.add_error("note", _("Say why the extension is refused."))
        return data


class CalendarNoticeForm(forms.Form):
    """A year's holidays and make-up working days as the State Council's notice lists them, one line each."""

    notice = forms.CharField(
        label=_("The notice, one line for each holiday and each worked weekend day"),
        widget=forms.Textarea(attrs={"rows": 14, "cols": 70}),
        max_length=5_000,
        help_text=_(
            "For example: «休 2027-02-05 2027-02-11 春节» for days off from the first to the last day, "
            "«班 2027-02-14 春节调休上班» for a weekend day that is worked. It replaces that year's days."
        ),
    )

    def clean_notice(self):
        from . import workdays

        try:
            return workdays.notice_read(self.cleaned_data["notice"])
        except ValueError as error:
            message = _("This is not a notice as the example shows: %(error)s") % {"error": error}
            raise forms.ValidationError(message) from error
