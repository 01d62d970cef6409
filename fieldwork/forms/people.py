"""The one people picker of every form and filter: a search box and a list of people to choose from.

Without JavaScript, the field's Find button sends the form; the view sees `picker_search_sent` and
shows the same page again with what was typed kept and the matches of `<field>__q` as choices (radio
buttons, or checkboxes for several people). With JavaScript, htmx asks /people/search/ as one types
and puts the same fragment (fieldwork/people/_matches.html) under the box. Either way a page sends
only the people chosen and at most pickers.LIMIT matches, never everyone in scope. Whom a field may
choose is its queryset (validation, a message beside the field); whom it offers is its kind's.
"""

from __future__ import annotations

from collections.abc import Mapping

from django import forms
from django.forms.utils import ErrorDict, ErrorList
from django.http import QueryDict
from django.template.loader import render_to_string
from django.urls import reverse

from .. import pickers
from ..inputs import search_text

SEARCH_BUTTON = "_picker"  # the name of every Find button: its value is the field's name


class PersonPicker(forms.Widget):
    """Renders the search box, the people chosen, and the matches of the query typed; person_field_setup
    gives it the user, the query and the kind's parameters."""

    template = "fieldwork/people/_picker.html"

    def __init__(self, *, multiple: bool = False, empty_label=None, null_choice=None, attrs=None):
        super().__init__(attrs)
        self.allow_multiple_selected = multiple
        self.empty_label = empty_label  # a choice for no one (an optional field)
        self.null_choice = null_choice  # (value, label) of a filter's "nobody"
        self.user = None
        self.kind = pickers.kind_get(None)
        self.params: dict[str, str] = {}
        self.query = ""
        self.label = ""
        self.accepted = None  # the field's queryset: whom it accepts, shown when chosen

    def value_from_datadict(self, data, files, name):
        if self.allow_multiple_selected and hasattr(data, "getlist"):
            return data.getlist(name)
        return data.get(name)

    def value_omitted_from_data(self, data, files, name):
        return False if self.allow_multiple_selected else name not in data

    def format_value(self, value):
        if value is None:
            return []
        values = value if isinstance(value, list | tuple) else [value]
        return [str(v.pk if hasattr(v, "pk") else v) for v in values if v not in ("", None)]

    def id_for_label(self, id_):
        return id_  # the label names the search box

    def search_url(self, name: str) -> str:
        params = QueryDict(mutable=True)
        params.update({"kind": self.kind.name, "field": name, "multiple": "1" if self.allow_multiple_selected else ""})
        params.update(self.params)
        return f"{reverse('fieldwork:people-search')}?{params.urlencode()}"

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        values = self.format_value(value)
        chosen = []
        if self.user is not None:
            chosen = self.kind.chosen(user=self.user, ids=values, params=self.params, people=self.accepted)
        matches = pickers.Matches(query=self.query)
        if self.query and self.user is not None:
            matches = self.kind.find(user=self.user, query=self.query, params=self.params)
        picked = {choice.value for choice in chosen}
        context = {
            "name": name,
            "id": attrs.get("id") or f"id_{name}",
            "attrs": attrs,
            "label": self.label,
            "multiple": self.allow_multiple_selected,
            "query_name": f"{name}__q",
            "query": self.query,
            "chosen": chosen,
            "choices": [choice for choice in matches.choices if choice.value not in picked],
            "message": matches.message if self.query else "",
            "search_url": self.search_url(name),
            "search_button": SEARCH_BUTTON,
            "empty_label": self.empty_label,
            "empty_checked": not values,
            "null_choice": self.null_choice,
            "null_checked": bool(self.null_choice) and values == [str(self.null_choice[0])],
        }
        return render_to_string(self.template, context)


def person_field_setup(
    form: forms.Form,
    name: str,
    *,
    user,
    data: Mapping | None = None,
    kind: str | None = None,
    empty_label=None,
    null_choice: tuple[str, object] | None = None,
    **params: object,
) -> None:
    """Give a form's person field the picker: who asks (scope), what was typed in its search box
    (the no-JS reload), its kind and the kind's parameters (`within=unit.pk`); `empty_label` offers
    no one (an optional field), `null_choice` a filter's "nobody"."""
    field = form.fields[name]
    widget = PersonPicker(
        multiple=isinstance(field, forms.ModelMultipleChoiceField), empty_label=empty_label, null_choice=null_choice
    )
    widget.is_required = field.required
    widget.user = user
    widget.kind = pickers.kind_get(kind) or widget.kind
    widget.params = {key: str(value) for key, value in params.items()}
    widget.label = str(field.label or "")
    widget.accepted = getattr(field, "queryset", None)
    data = form.data if data is None else data
    widget.query = search_text((data or {}).get(f"{form.add_prefix(name)}__q"), max_length=pickers.QUERY_LENGTH)
    field.widget = widget  # whom it accepts stays the field's queryset: "Select a valid choice" beside it


def picker_search_sent(request) -> bool:
    """A form sent with a picker's Find button (no JavaScript): show it again, save nothing."""
    return request.method == "POST" and SEARCH_BUTTON in request.POST


def unchecked(*forms_or_formsets) -> None:
    """Show bound forms (and formsets) again as typed without checking them: a Find button's reload
    is not a submission, and "this field is required" beside half-typed fields would say it was.
    (Django checks a form when its errors are first read; this marks them read and empty.)"""
    for item in forms_or_formsets:
        if isinstance(item, forms.BaseForm):
            item._errors = ErrorDict()
        else:  # a formset
            item._non_form_errors = ErrorList()
            item._errors = []
            unchecked(*item.forms)
