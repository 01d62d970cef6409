"""Group robots in the admin: a unit's administrators set its 企业微信 or 钉钉 webhooks (scoped to their
units, never deleted, deactivated instead), and see the messages posted to them, read-only.

The signing secret is written, never shown back: the form offers an empty field (empty keeps it) and
says only the secret's last characters. Addresses are checked against the allow-list (webhooks.py).
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import UnitWebhook, WebhookDelivery
from ..webhooks import webhook_url_refusal, webhook_url_shown
from .scoping import ReadOnlyAdmin, ScopedAdmin, ScopedHistoryAdmin


class UnitWebhookForm(forms.ModelForm):
    secret = forms.CharField(
        label=gettext_lazy("signing secret"),
        required=False,
        strip=True,
        max_length=200,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=gettext_lazy("DingTalk (钉钉) robots with the security setting 加签 only: the secret beginning SEC."),
    )
    clear_secret = forms.BooleanField(label=gettext_lazy("Remove the signing secret"), required=False)

    class Meta:
        model = UnitWebhook
        fields = ["unit", "name", "platform", "url", "active", "send_digests", "send_chases", "send_supervision"]
        widgets = {"url": forms.URLInput(attrs={"size": 80})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The admin lists `secret` among the model's fields, so the form would write what was typed (nothing)
        # over it: keep the stored one unless a new one is typed or removal is asked for.
        self._stored_secret = (self.instance.secret, self.instance.secret_hint)
        if self.instance.pk and self.instance.secret:
            self.fields["secret"].help_text = _(
                "A secret ending in %(hint)s is set; leave this empty to keep it, or type a new one."
            ) % {"hint": self.instance.secret_hint}

    def clean_url(self) -> str:
        url = (self.cleaned_data.get("url") or "").strip()
        refusal = webhook_url_refusal(url)
        if refusal:
            raise forms.ValidationError(refusal)
        return url

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("secret") and cleaned.get("platform") != UnitWebhook.Platform.DINGTALK:
            self.add_error(
                "secret", _("Only DingTalk (钉钉) robots are signed; leave this empty for a WeCom (企业微信) robot.")
            )
        return cleaned

    def save(self, commit=True):
        robot = super().save(commit=False)
        typed = self.cleaned_data.get("secret")
        if typed:
            robot.secret, robot.secret_hint = typed, "…" + typed[-4:]
        elif self.cleaned_data.get("clear_secret") or robot.platform != UnitWebhook.Platform.DINGTALK:
            robot.secret, robot.secret_hint = "", ""
        else:
            robot.secret, robot.secret_hint = self._stored_secret
        if commit:
            robot.save()
        return robot


@admin.register(UnitWebhook)
class UnitWebhookAdmin(ScopedHistoryAdmin):
    form = UnitWebhookForm
    fields = [
        "unit",
        "name",
        "platform",
        "url",
        "secret",
        "clear_secret",
        "active",
        "send_digests",
        "send_chases",
        "send_supervision",
    ]
    list_display = ["name", "unit", "platform", "address", "active", "send_digests", "send_chases", "send_supervision"]
    list_filter = ["platform", "active"]
    search_fields = ["name", "unit__name", "unit__code"]
    list_select_related = ["unit"]

    @admin.display(description=gettext_lazy("webhook address"))
    def address(self, obj):
        return webhook_url_shown(obj.url)

    def has_delete_permission(self, request, obj=None):
        return False  # deactivated, never deleted: its messages stay on the record


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdmin, ScopedAdmin):
    """What the day's runs posted to the units' robots, and how it went; the message is as it was sent."""

    scope_field = "target__unit__path"
    list_display = ["day", "target", "unit", "kind", "status", "attempts", "sent_at", "last_error"]
    list_filter = ["status", "kind", "day"]
    search_fields = ["target__name", "target__unit__name"]
    list_select_related = ["target__unit"]
    fields = readonly_fields = [
        "target",
        "kind",
        "day",
        "status",
        "attempts",
        "last_error",
        "next_attempt_at",
        "sent_at",
        "created_at",
        "payload",
    ]

    @admin.display(description=gettext_lazy("unit"), ordering="target__unit__path")
    def unit(self, obj):
        return obj.target.unit
