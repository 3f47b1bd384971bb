"""Forms for sources, clips, the article filters (the story list uses them too), story
merges, saved searches, mention curation and a team's own name spellings."""

from __future__ import annotations

from django import forms

from commsdesk.monitoring import searches
from commsdesk.monitoring.models import Mention, Outlet, SavedSearch, Source
from commsdesk.monitoring.names import language_choices
from commsdesk.pipeline.query import QueryError, tokenize
from commsdesk.pipeline.social import bluesky, mastodon, reddit


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


class SocialSourceForm(forms.Form):
    """A social source: what to follow on which platform. `kind`, `modes` and `build` are set by
    each platform's subclass; `clean` leaves the source address in cleaned_data["url"]."""

    kind: str = ""
    modes: list[tuple[str, str]] = []
    value_help = ""

    mode = forms.ChoiceField(label="Follow", widget=forms.RadioSelect)
    value = forms.CharField(label="What to follow", max_length=300)
    name = forms.CharField(
        max_length=200, required=False, help_text="Leave empty to name it after what it follows."
    )
    language = forms.CharField(max_length=8, required=False, help_text="Expected language, e.g. es")
    country = forms.CharField(max_length=2, required=False, help_text="ISO code, e.g. AR")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mode"].choices = self.modes
        self.fields["mode"].initial = self.modes[0][0]
        self.fields["value"].help_text = self.value_help

    def build(self, data: dict) -> tuple[str, str]:
        """(source address, a default name) from the cleaned fields; ValueError if wrong."""
        raise NotImplementedError

    def clean(self):
        data = super().clean()
        if "mode" in data and "value" in data:
            try:
                data["url"], data["default_name"] = self.build(data)
            except ValueError as exc:
                self.add_error("value", str(exc))
        return data


class MastodonSourceForm(SocialSourceForm):
    kind = Source.Kind.MASTODON
    modes = [
        ("hashtag", "A hashtag"),
        ("search", "A search (words in posts)"),
        ("account", "An account's posts"),
    ]
    value_help = "#OpenData, the words to search for, or an account such as wikimedia@wikis.world"
    field_order = ["instance", "mode", "value", "access_token", "name", "language", "country"]

    instance = forms.CharField(
        max_length=253,
        initial="mastodon.social",
        help_text="The Mastodon server to ask, e.g. mastodon.social. Hashtags and searches see "
        "what that server knows about.",
    )
    access_token = forms.CharField(
        required=False,
        max_length=500,
        strip=True,
        widget=forms.PasswordInput,
        help_text="Only if the server asks for one (some only search for signed-in apps): "
        "create it under Preferences → Development with the read scope.",
    )

    def build(self, data: dict) -> tuple[str, str]:
        target = mastodon.make_target(data.get("instance", ""), data["mode"], data["value"])
        host = target.instance.split("://", 1)[1]
        label = {"hashtag": f"#{target.value}", "account": f"@{target.value}"}.get(
            target.mode, f"“{target.value}”"
        )
        return mastodon.source_url(target), f"{label} on {host}"


class BlueskySourceForm(SocialSourceForm):
    kind = Source.Kind.BLUESKY
    modes = [("search", "A search (words in posts)"), ("author", "An account's posts")]
    value_help = "The words to search for, or an account such as wikimedia.org"

    def build(self, data: dict) -> tuple[str, str]:
        target = bluesky.make_target(data["mode"], data["value"])
        label = f"@{target.value}" if target.mode == "author" else f"“{target.value}”"
        return bluesky.source_url(target), f"{label} on Bluesky"


class RedditSourceForm(SocialSourceForm):
    kind = Source.Kind.REDDIT
    modes = [("subreddit", "A subreddit's new posts"), ("search", "A search of all Reddit")]
    value_help = "A subreddit such as r/wikipedia, or the words to search for"

    def build(self, data: dict) -> tuple[str, str]:
        target = reddit.make_target(data["mode"], data["value"])
        label = f"r/{target.value}" if target.mode == "subreddit" else f"“{target.value}”"
        return reddit.source_url(target), f"{label} on Reddit"


SOCIAL_SOURCE_FORMS: dict[str, type[SocialSourceForm]] = {
    form.kind: form for form in (MastodonSourceForm, BlueskySourceForm, RedditSourceForm)
}


class SocialSourceEditForm(forms.ModelForm):
    """Editing a social source: what it follows is its identity (add another source to follow
    something else); a Mastodon token can be replaced or forgotten but is never shown again."""

    new_token = forms.CharField(
        label="New access token",
        required=False,
        max_length=500,
        widget=forms.PasswordInput,
        help_text="Leave empty to keep the current one.",
    )
    forget_token = forms.BooleanField(label="Forget the access token", required=False)

    class Meta:
        model = Source
        fields = ["name", "outlet", "language", "country", "interval_minutes", "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.kind != Source.Kind.MASTODON:
            del self.fields["new_token"], self.fields["forget_token"]
        elif self.instance.access_token:
            self.fields[
                "new_token"
            ].help_text = f"Leave empty to keep the current one ({self.instance.token_hint})."

    def save(self, commit: bool = True) -> Source:
        source = super().save(commit=False)
        if self.cleaned_data.get("forget_token"):
            source.access_token = None
        elif self.cleaned_data.get("new_token"):
            source.access_token = self.cleaned_data["new_token"]
        if commit:
            source.save()
        return source


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
    kind = forms.ChoiceField(
        required=False,
        label="Kind",
        choices=[("", "Articles and posts"), ("article", "Articles only"), ("post", "Posts only")],
    )


class CodeListField(forms.CharField):
    """Comma- or space-separated codes (languages, countries) stored as a JSON list."""

    def __init__(self, *, upper: bool = False, length: tuple[int, int] = (2, 8), **kwargs):
        self.upper, self.length = upper, length
        super().__init__(required=False, **kwargs)

    def prepare_value(self, value):
        return ", ".join(value) if isinstance(value, list | tuple) else value

    def clean(self, value):
        codes = [c.strip() for c in (value or "").replace(",", " ").split() if c.strip()]
        cleaned = []
        for code in codes:
            if (
                not (self.length[0] <= len(code) <= self.length[1])
                or not code.replace("-", "").isalnum()
            ):
                raise forms.ValidationError(f"“{code}” is not a code such as {self.help_text}")
            cleaned.append(code.upper() if self.upper else code.lower())
        return list(dict.fromkeys(cleaned))


class SavedSearchForm(forms.ModelForm):
    query = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3, "class": "query", "spellcheck": "false"}),
        help_text='Words, "phrases", AND / OR / NOT, (groups), wiki*, title:, lang:, country:.',
    )
    languages = CodeListField(help_text="en, es, pt-BR", label="Only these languages")
    countries = CodeListField(
        upper=True, length=(2, 2), help_text="KE, BR, FR", label="Only outlets in these countries"
    )
    tiers = forms.TypedMultipleChoiceField(
        choices=[(1, "Tier 1"), (2, "Tier 2"), (3, "Tier 3")],
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Only outlets of these tiers",
    )
    name_languages = CodeListField(
        help_text="ru, ja, ar",
        label="Also find names in",
    )

    class Meta:
        model = SavedSearch
        fields = [
            "name",
            "query",
            "languages",
            "countries",
            "tiers",
            "sources",
            "outlets",
            "name_languages",
            "muted",
        ]
        widgets = {
            "sources": forms.SelectMultiple(attrs={"size": 6}),
            "outlets": forms.SelectMultiple(attrs={"size": 6}),
        }
        help_texts = {
            "sources": "None selected: every source.",
            "outlets": "None selected: every outlet.",
        }

    def __init__(self, *args, team_id: int | None = None, **kwargs):
        self.team_id = team_id
        super().__init__(*args, **kwargs)
        self.fields["sources"].required = False
        self.fields["outlets"].required = False

    def clean(self):
        data = super().clean()
        text = data.get("query")
        if text:
            try:
                data["compiled"], data["expansions"] = searches.expand(
                    text, data.get("name_languages") or [], self.team_id
                )
            except QueryError as exc:
                self.query_error = exc
                self.add_error("query", f"{exc.message} (at character {exc.position + 1})")
        return data


class TagsField(forms.CharField):
    """Comma-separated tags, stored as a JSON list (spaces inside a tag are kept)."""

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def prepare_value(self, value):
        return ", ".join(value) if isinstance(value, list | tuple) else value

    def clean(self, value):
        tags = [t.strip()[:60] for t in (value or "").split(",") if t.strip()]
        return list(dict.fromkeys(tags))


class MentionForm(forms.ModelForm):
    tags = TagsField(label="Tags", help_text="Comma-separated, e.g. follow up, interview")

    class Meta:
        model = Mention
        fields = ["state", "tags", "note", "sentiment_override"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}


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


class StoryMergeForm(forms.Form):
    other = forms.IntegerField(
        label="Story number",
        min_value=1,
        help_text="The number of the story to fold into this one (shown in its address).",
        error_messages={"invalid": "Enter a story number, such as 42."},
    )
