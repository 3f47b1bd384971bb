"""Forms of the materials library: writing or editing a material, the library's filters, and
starting a translation. Labels are typed comma-separated and stored as JSON lists.

Owners are chosen among the material's team; saving and versioning live in `versions`.
"""

from __future__ import annotations

import re

from django import forms
from django.contrib.auth import get_user_model

from commsdesk.materials.models import Material, Status

_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})*$")
_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def team_people(team_id: int):
    return (
        get_user_model()
        .objects.filter(memberships__team_id=team_id, is_active=True)
        .distinct()
        .order_by("username")
    )


def clean_language(value: str) -> str:
    code = (value or "").strip().lower().replace("_", "-")
    if not _LANGUAGE.match(code):
        raise forms.ValidationError("Use a language code such as en, es, pt-br.")
    return code


class LabelsField(forms.CharField):
    """ "climate, Open data ,climate" → ["climate", "Open data"]: trimmed, no repeats."""

    def to_python(self, value) -> list[str]:
        text = super().to_python(value) or ""
        labels = [part.strip() for part in text.split(",")]
        return list(dict.fromkeys(label[:100] for label in labels if label))

    def prepare_value(self, value) -> str:
        if isinstance(value, list | tuple):
            return ", ".join(value)
        return value or ""


class MaterialForm(forms.ModelForm):
    tags = LabelsField(required=False, help_text="Comma-separated, e.g. climate, funding")
    topics = LabelsField(required=False, help_text="Comma-separated")
    audiences = LabelsField(required=False, help_text="Comma-separated, e.g. journalists, donors")
    note = forms.CharField(
        label="What changed",
        max_length=300,
        required=False,
        help_text="A few words for the history, e.g. “Updated the 2026 figures”.",
    )
    # The version the person started from, so a save over someone else's newer one is caught.
    based_on = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Material
        fields = [
            "kind",
            "title",
            "language",
            "body",
            "tags",
            "topics",
            "audiences",
            "owner",
            "review_by",
            "public",
            "sensitive",
        ]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 18, "class": "markdown"}),
            "review_by": _DATE,
        }
        labels = {"body": "Text (Markdown)", "review_by": "Review by"}
        help_texts = {
            "body": "Markdown: **bold**, _italic_, [link](https://…), lists. "
            "For an FAQ, start each question with ## .",
        }

    def __init__(self, *args, team_id: int, may_mark_sensitive: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not may_mark_sensitive:
            del self.fields["sensitive"]  # staff only: the saved value is kept
        self.fields["owner"].queryset = team_people(team_id)
        self.fields["owner"].label_from_instance = lambda u: u.get_full_name() or u.username
        if self.instance.pk:
            self.fields["based_on"].initial = self.instance.version
            if self.instance.is_translation:
                # A translation keeps its source's kind: it is the same material in another
                # language.
                self.fields["kind"].disabled = True

    def clean_language(self) -> str:
        return clean_language(self.cleaned_data.get("language", ""))


class TranslateForm(forms.Form):
    language = forms.CharField(max_length=12, help_text="The language you will translate into")
    title = forms.CharField(max_length=300, help_text="The title in that language")

    def __init__(self, *args, source: Material, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.source = source

    def clean_language(self) -> str:
        code = clean_language(self.cleaned_data.get("language", ""))
        if code == self.source.language:
            raise forms.ValidationError("Choose a language other than the source's.")
        return code


class LibraryFilterForm(forms.Form):
    q = forms.CharField(
        label="Search",
        required=False,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": '"open knowledge" NOT donors'}
        ),
    )
    kind = forms.ChoiceField(choices=[("", "Any"), *Material.Kind.choices], required=False)
    status = forms.ChoiceField(choices=[("", "Any"), *Status.choices], required=False)
    language = forms.CharField(required=False, max_length=12)
    label = forms.CharField(
        label="Tag, topic or audience", required=False, widget=forms.TextInput()
    )
    owner = forms.ChoiceField(choices=(), required=False)
    needs_review = forms.BooleanField(label="Needs review", required=False)
    stale = forms.BooleanField(label="Stale translations", required=False)

    def __init__(self, *args, people, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [
            ("", "Anyone"),
            ("none", "Nobody"),
            *((str(p.pk), p.get_full_name() or p.username) for p in people),
        ]
