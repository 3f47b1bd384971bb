"""Forms for sources, clips, the article filters (the story list uses them too) and merging."""

from __future__ import annotations

from django import forms

from commsdesk.monitoring.models import Outlet, Source


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


class StoryMergeForm(forms.Form):
    other = forms.IntegerField(
        label="Story number",
        min_value=1,
        help_text="The number of the story to fold into this one (shown in its address).",
        error_messages={"invalid": "Enter a story number, such as 42."},
    )
