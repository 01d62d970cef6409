"""A concern raised outside a visit, the concern page's steps, its actions and extension requests."""

from __future__ import annotations

import datetime

from crispy_forms.helper import FormHelper
from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import scope
from ..inputs import ModelChoiceField, ModelMultipleChoiceField, object_id
from ..models import Category, Concern, Feedback, Person, Principle, Unit
from ..services import transfers
from ..services.concerns import ConcernInput
from .fields import FreeTextField, UnitPickerWidget, concern_members, unit_field_setup
from .people import person_field_setup
from .visits import concern_input

User = get_user_model()


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
    # issue 21 item 3: the worker behind the concern, and the earlier concern it repeats (similar.py)
    person = ModelChoiceField(
        label=_("Worker"),
        queryset=Person.objects.none(),
        required=False,
        help_text=_("The worker the concern came from, if known by name. Never for an anonymous concern."),
    )
    new_person_name = FreeTextField(
        label=_("Or a worker not yet known"),
        max_length=100,
        required=False,
        help_text=_("Their name: they are added to the unit's workers."),
    )
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
            person_field_setup(self, "owner", user=user, empty_label=_("Myself"))
        else:
            del self.fields["owner"]
        self.fields["person"].queryset = Person.objects.visible_to(user).filter(active=True)
        worker_params = {"within": chosen.pk} if chosen is not None else {}
        person_field_setup(self, "person", user=user, kind="worker", empty_label=_("Nobody named"), **worker_params)
        self.repeat_error = ""
        self.helper = FormHelper()
        self.helper.form_tag = False

    def repeat_candidate(self):
        """The earlier concern chosen as the one this repeats (`repeat_of`, sent by the similar list's
        radio buttons), among those the user may see; None when none is chosen or it is out of scope."""
        pk = object_id(self.data.get("repeat_of")) if self.is_bound else None
        if not pk:
            return None
        return Concern.objects.visible_to(self.user).filter(pk=pk).first()

    def similar(self):
        """What the form shows once a worker or a title is given: the worker's open and recent concerns
        and the similar concerns of the unit and category (similar.py)."""
        from ..similar import person_concerns, similar_concerns

        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        unit, category = data.get("unit"), data.get("category")
        person, title = data.get("person"), data.get("title") or ""
        found = {"person": person, "open": [], "recent": [], "similar": [], "checked": True}
        if person is not None and not data.get("anonymous"):
            found["open"], found["recent"] = person_concerns(person)
        if unit is not None and category is not None and title:
            found["similar"] = similar_concerns(
                unit_id=unit.pk,
                category_id=category.pk,
                title=title,
                description=data.get("description") or "",
                named=bool(person or data.get("new_person_name")),
            )
        return found

    def clean(self):
        data = super().clean()
        from ..similar import person_error, repeat_link_error

        unit, anonymous = data.get("unit"), data.get("anonymous", False)
        if unit is not None:
            problem = person_error(anonymous=anonymous, person=data.get("person"), unit_id=unit.pk)
            if problem:
                self.add_error("person", problem)
            if anonymous and data.get("new_person_name"):
                self.add_error(
                    "new_person_name",
                    _("An anonymous concern names nobody: leave the worker empty or untick anonymous."),
                )
            if data.get("person") and data.get("new_person_name"):
                self.add_error("new_person_name", _("Choose a worker or type a new name, not both."))
            raw = self.data.get("repeat_of") if self.is_bound else None
            earlier = self.repeat_candidate()
            if raw and earlier is None:
                self.repeat_error = _("Choose one of the concerns listed.")
            else:
                named = data.get("person").pk if data.get("person") else (-1 if data.get("new_person_name") else None)
                self.repeat_error = repeat_link_error(
                    anonymous=anonymous, person_id=named, unit_id=unit.pk, earlier=earlier
                )
            if self.repeat_error:
                self.add_error(None, self.repeat_error)
            data["repeat_of"] = earlier
        owner = data.get("owner")
        if unit is not None and owner is not None and owner != self.user:
            if not scope.is_leader_of(self.user, unit):
                self.add_error("owner", _("Only a leader of the unit can give the concern to someone else."))
            elif not scope.is_member_of(owner, unit):
                self.add_error("owner", _("The owner must work in this unit or a unit above it."))
        return data

    def to_input(self) -> ConcernInput:
        data = concern_input(self.cleaned_data)
        data.person = self.cleaned_data.get("person")
        data.new_person_name = self.cleaned_data.get("new_person_name") or ""
        data.repeat_of = self.cleaned_data.get("repeat_of")
        return data


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


class CallbackAttemptForm(forms.Form):
    """A call that did not reach the person: how it was made, and a note. No version: an attempt
    changes nothing on the concern that another change could overwrite."""

    channel = forms.ChoiceField(
        label=_("How"),
        choices=[c for c in Feedback.Channel.choices if c[0] != Feedback.Channel.SELF_SERVICE],
        initial=Feedback.Channel.PHONE,
    )
    note = FreeTextField(
        label=_("Note"),
        max_length=2000,
        required=False,
        help_text=_("For example: no answer, the number is switched off."),
    )


class ConcernUnreachableForm(ConcernStepForm):
    """A leader closes the concern as unreachable after the set attempts; the reason is required."""

    reason = FreeTextField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class ConcernWithdrawForm(ConcernStepForm):
    reason = FreeTextField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class ConcernReassignForm(ConcernStepForm):
    owner = ModelChoiceField(label=_("New owner"), queryset=User.objects.none())
    note = FreeTextField(label=_("Note"), max_length=2000, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        owner.queryset = concern_members(self.concern.unit)
        if self.concern.owner_id:
            owner.queryset = owner.queryset.exclude(pk=self.concern.owner_id)
        person_field_setup(self, "owner", user=self.user, within=self.concern.unit_id)


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
    due_date = forms.DateField(
        label=_("Due date"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    principles = ModelMultipleChoiceField(
        label=_("Principles"),
        queryset=Principle.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(),
    )

    def __init__(self, *args, concern: Concern, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.concern = concern
        self.fields["due_date"].initial = self._default_due()
        self.fields["due_date"].help_text = _("Left empty, the concern's own due date.")
        owner = self.fields["owner"]
        owner.queryset = concern_members(concern.unit)
        owner.initial = user.pk
        person_field_setup(self, "owner", user=user, within=concern.unit_id)
        self.fields["principles"].queryset = Principle.objects.filter(active=True)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def _default_due(self) -> datetime.date:
        """The concern's due date (today if that has passed: an action is never due in the past)."""
        return max(self.concern.due_date, timezone.localdate())

    def clean_due_date(self):
        due = self.cleaned_data["due_date"] or self._default_due()
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
