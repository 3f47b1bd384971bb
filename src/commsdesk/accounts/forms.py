"""The preferences form: time zone, quiet hours and the morning digest."""

from __future__ import annotations

import zoneinfo

from django import forms

from commsdesk.accounts.models import Profile


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
