"""The alert-rule form: who gets what, how and when, with errors a communicator can act on."""

from __future__ import annotations

from django import forms
from django.core.validators import URLValidator, validate_email

from commsdesk.monitoring.models import AlertRule


class AlertRuleForm(forms.ModelForm):
    class Meta:
        model = AlertRule
        fields = ["cadence", "channel", "target", "include_spikes", "active"]
        labels = {
            "cadence": "When",
            "channel": "How",
            "target": "Send to",
            "include_spikes": "Also alert on spikes in coverage",
            "active": "Active",
        }
        help_texts = {
            "target": "Email: leave empty for your own address. Slack or webhook: the https "
            "address the service gave you.",
        }
        widgets = {"target": forms.TextInput(attrs={"autocomplete": "off"})}

    def clean(self):
        data = super().clean()
        channel, target = data.get("channel"), (data.get("target") or "").strip()
        data["target"] = target
        if data.get("cadence") == AlertRule.Cadence.DAILY and channel != AlertRule.Channel.EMAIL:
            self.add_error(
                "channel",
                "The morning digest comes by email; choose Email, or pick “Immediately” or "
                "“Hourly batch” for Slack and webhooks.",
            )
        if channel == AlertRule.Channel.EMAIL and target:
            try:
                validate_email(target)
            except forms.ValidationError:
                self.add_error("target", f"“{target}” is not an email address.")
        elif channel in (AlertRule.Channel.SLACK, AlertRule.Channel.WEBHOOK):
            if not target:
                self.add_error("target", "Paste the webhook address the service gave you.")
            else:
                try:
                    URLValidator(schemes=["http", "https"])(target)
                except forms.ValidationError:
                    self.add_error("target", "A webhook address starts with https:// (or http://).")
        return data
