"""Forms for a campaign and its parts: KPIs and their manual entries, key messages with their
phrasings per language, peers, the activity log and the report's recommendations.

Choices of saved searches and pitches are limited to the campaign's team.
"""

from __future__ import annotations

import re

from django import forms

from commsdesk.campaigns.models import KPI, Activity, Campaign, KeyMessage, KPIEntry, Peer
from commsdesk.monitoring.models import SavedSearch
from commsdesk.relations.models import Pitch

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})?$")


class CampaignForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = ["name", "starts_on", "ends_on", "objectives", "audiences", "notes", "searches"]
        widgets = {
            "starts_on": DATE,
            "ends_on": DATE,
            "searches": forms.CheckboxSelectMultiple,
            "objectives": forms.Textarea(attrs={"rows": 4}),
            "audiences": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"starts_on": "Starts on", "ends_on": "Ends on", "searches": "Coverage"}
        help_texts = {
            "searches": "The saved searches whose mentions are this campaign's coverage.",
            "objectives": "What the campaign should achieve; measurable targets go in KPIs.",
        }

    def __init__(self, *args, team_id: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["searches"].queryset = SavedSearch.objects.filter(team_id=team_id)

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", "The campaign cannot end before it starts.")
        return data


class KPIForm(forms.ModelForm):
    class Meta:
        model = KPI
        fields = ["name", "level", "metric", "target", "unit"]
        labels = {"level": "AMEC level", "metric": "Measured by"}
        help_texts = {
            "metric": "A figure commsdesk computes, or “Entered by hand” for survey results, "
            "donations and the like.",
        }


class KPIEntryForm(forms.ModelForm):
    class Meta:
        model = KPIEntry
        fields = ["value", "as_of", "source", "note"]
        widgets = {"as_of": DATE, "note": forms.Textarea(attrs={"rows": 2})}
        labels = {"as_of": "As of"}


class KeyMessageForm(forms.ModelForm):
    phrasings_text = forms.CharField(
        label="Phrasings",
        required=False,
        widget=forms.Textarea(
            attrs={"rows": 4, "placeholder": "en: knowledge belongs to everyone"}
        ),
        help_text="One per line as “language code: phrase”, e.g. "
        "“es: el conocimiento es de todos”.",
    )

    class Meta:
        model = KeyMessage
        fields = ["text"]
        labels = {"text": "Key message"}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["phrasings_text"] = phrasings_to_text(self.instance.phrasings)

    def clean_phrasings_text(self) -> dict[str, list[str]]:
        return phrasings_from_text(self.cleaned_data["phrasings_text"])

    def save(self, commit: bool = True) -> KeyMessage:
        self.instance.phrasings = self.cleaned_data["phrasings_text"]
        return super().save(commit)


def phrasings_from_text(text: str) -> dict[str, list[str]]:
    """{"es": ["…", …]} from "es: …" lines; a line it cannot read is an error naming it."""
    phrasings: dict[str, list[str]] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        code, colon, phrase = line.partition(":")
        code = code.strip().lower()
        if not colon or not LANGUAGE_CODE.match(code) or not phrase.strip():
            raise forms.ValidationError(
                f"Line {number} (“{line.strip()[:60]}”) needs a language code, a colon and the "
                "phrase, like “fr: le savoir appartient à tous”."
            )
        phrasings.setdefault(code, [])
        if phrase.strip() not in phrasings[code]:
            phrasings[code].append(phrase.strip())
    return phrasings


def phrasings_to_text(phrasings: dict) -> str:
    return "\n".join(f"{code}: {p}" for code, items in phrasings.items() for p in items)


class PeerForm(forms.ModelForm):
    class Meta:
        model = Peer
        fields = ["name", "saved_search"]
        labels = {"name": "Organisation", "saved_search": "Its saved search"}

    def __init__(self, *args, team_id: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["saved_search"].queryset = SavedSearch.objects.filter(team_id=team_id)


class ActivityForm(forms.ModelForm):
    url = forms.URLField(label="Link", max_length=2000, required=False, assume_scheme="https")

    class Meta:
        model = Activity
        fields = ["kind", "title", "happened_on", "url", "pitch", "notes"]
        widgets = {"happened_on": DATE, "notes": forms.Textarea(attrs={"rows": 2})}
        labels = {"happened_on": "Date", "url": "Link", "pitch": "Pitch (optional)"}

    def __init__(self, *args, team_id: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pitch"].queryset = Pitch.objects.filter(team_id=team_id)


class RecommendationsForm(forms.Form):
    recommendations = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 6}), label="Recommendations"
    )
    start = forms.DateField()
    end = forms.DateField()

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise forms.ValidationError("The period's end is before its start.")
        return data
