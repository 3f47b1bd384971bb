"""Forms for sources, clips, the article filters and a team's own name spellings."""

from __future__ import annotations

from django import forms

from commsdesk.monitoring.models import Outlet, Source
from commsdesk.monitoring.names import language_choices
from commsdesk.pipeline.query import tokenize


class SourceAddForm(forms.Form):
    url = forms.URLField(
        label="Feed or website address",
        max_length=2000,
        assume_scheme="https",
        help_text="A feed URL, or a page that links to its feed (we find it for you).",
    )
    name = forms.CharField(
        max_length=200, required=False, help_text="Leave empty to use the feed's title."
    )
    language = forms.CharField(max_length=8, required=False, help_text="Expected language, e.g. es")
    country = forms.CharField(max_length=2, required=False, help_text="ISO code, e.g. AR")


class SourceEditForm(forms.ModelForm):
    url = forms.URLField(label="Feed address", max_length=2000, assume_scheme="https")

    class Meta:
        model = Source
        fields = ["name", "url", "outlet", "language", "country", "interval_minutes", "active"]


class ClipForm(forms.Form):
    url = forms.URLField(label="Article address", max_length=2000, assume_scheme="https")


class OPMLImportForm(forms.Form):
    file = forms.FileField(label="OPML file")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError("That file is over 5 MB; an OPML list is usually tiny.")
        return upload


class ArticleFilterForm(forms.Form):
    q = forms.CharField(
        required=False, label="Search", widget=forms.TextInput(attrs={"type": "search"})
    )
    source = forms.ModelChoiceField(Source.objects.all(), required=False, empty_label="Any source")
    outlet = forms.ModelChoiceField(Outlet.objects.all(), required=False, empty_label="Any outlet")
    language = forms.CharField(required=False, max_length=8)
    country = forms.CharField(required=False, max_length=2)
    since = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))


class NameVariantForm(forms.Form):
    """A team's own spelling of a name; the team comes from the page, never from the form."""

    name = forms.CharField(
        max_length=200,
        label="Name",
        help_text="As you write it in searches, e.g. Wikipedia or Wiki Loves Monuments.",
    )
    language = forms.ChoiceField(label="Language", choices=())
    label = forms.CharField(
        max_length=300, label="Spelling", help_text="How the press writes it in that language."
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [("", "Choose a language"), *language_choices()]

    def clean_name(self) -> str:
        return _searchable(self.cleaned_data["name"])

    def clean_label(self) -> str:
        return _searchable(self.cleaned_data["label"])


def _searchable(value: str) -> str:
    value = " ".join(value.split())
    if not tokenize(value):
        raise forms.ValidationError("Type at least one letter or digit: a search needs words.")
    return value
