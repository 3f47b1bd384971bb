"""A person's own forms: preferences (time zone, quiet hours, the morning digest) and new API
tokens."""

from __future__ import annotations

import zoneinfo
from datetime import datetime, timedelta

from django import forms
from django.utils import timezone

from commsdesk.accounts.models import ApiToken, Profile


def _zones() -> list[tuple[str, str]]:
    # Etc/GMT+5 means UTC-5 (POSIX sign): confusing to people, and a city names the same offset.
    zones = zoneinfo.available_timezones()
    names = sorted(z for z in zones if ("/" in z and not z.startswith("Etc/")) or z == "UTC")
    return [(name, name.replace("_", " ")) for name in names]


class PreferencesForm(forms.ModelForm):
    timezone = forms.ChoiceField(label="Time zone", choices=_zones)

    class Meta:
        model = Profile
        fields = ["timezone", "quiet_start", "quiet_end", "digest_enabled", "digest_time"]
        labels = {
            "quiet_start": "Quiet hours start",
            "quiet_end": "Quiet hours end",
            "digest_enabled": "Send me the morning digest",
            "digest_time": "Digest time",
        }
        help_texts = {
            "quiet_start": "Alerts wait until quiet hours end. Both empty: none.",
            "quiet_end": "May be earlier than the start: 22:00 to 07:00 spans the night.",
            "digest_time": "Your local time, in the time zone above.",
        }
        widgets = {
            "quiet_start": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "quiet_end": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "digest_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }

    def clean(self):
        data = super().clean()
        start, end = data.get("quiet_start"), data.get("quiet_end")
        if (start is None) != (end is None) and not self.errors:
            missing = "quiet_end" if end is None else "quiet_start"
            self.add_error(missing, "Give both the start and the end of quiet hours, or neither.")
        return data


class ApiTokenForm(forms.Form):
    """A new personal API token: a name, read or read-and-write, and an optional expiry."""

    EXPIRY = (("30", "In 30 days"), ("90", "In 90 days"), ("365", "In a year"), ("", "Never"))

    name = forms.CharField(
        max_length=100, help_text="What it is for, so you know which one to revoke later."
    )
    scope = forms.ChoiceField(
        choices=ApiToken.Scope.choices,
        initial=ApiToken.Scope.READ,
        widget=forms.RadioSelect,
        help_text="Read and write lets the token change what your role lets you change.",
    )
    expires = forms.ChoiceField(choices=EXPIRY, initial="90", required=False, label="Expires")

    def expires_at(self) -> datetime | None:
        days = self.cleaned_data.get("expires")
        return timezone.now() + timedelta(days=int(days)) if days else None
