"""The draft form: one form whose fields follow the draft's kind (a press release has its parts,
a social post its networks). It cleans what people type; it does not cite or approve."""

from __future__ import annotations

from django import forms

from commsdesk.materials import social
from commsdesk.materials.models import Draft

COMMON = ["title", "language", "body"]
FIELDS = {
    Draft.Kind.PRESS_RELEASE: [
        "title",
        "subtitle",
        "language",
        "dateline",
        "lead",
        "body",
        "quotes",
        "boilerplate",
        "media_contact",
    ],
    Draft.Kind.BLOG_POST: COMMON,
    Draft.Kind.MEDIA_RESPONSE: COMMON,
    Draft.Kind.SOCIAL_POST: ["body", "networks", "title", "language"],
}
TEXT = ("subtitle", "dateline", "lead", "body", "quotes", "boilerplate", "media_contact")


def post_name(text: str) -> str:
    """A social post's name for the drafts list: its first words."""
    return " ".join(text.split())[:60]


class DraftForm(forms.ModelForm):
    networks = forms.MultipleChoiceField(
        choices=social.CHOICES, widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta:
        model = Draft
        fields = FIELDS[Draft.Kind.PRESS_RELEASE] + ["networks", "sensitive"]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 14, "class": "draft-body"}),
            "lead": forms.Textarea(attrs={"rows": 4}),
            "quotes": forms.Textarea(attrs={"rows": 5}),
            "boilerplate": forms.Textarea(attrs={"rows": 4}),
            "media_contact": forms.Textarea(attrs={"rows": 3}),
            "language": forms.TextInput(attrs={"size": 5}),
        }
        labels = {"title": "Title", "lead": "Lead paragraph", "quotes": "Quotes"}
        help_texts = {
            "body": "Markdown: **bold**, *italic*, [link](https://…), ## heading, - list.",
            "quotes": "One quote per paragraph, with who said it.",
        }

    def __init__(self, *args, kind: str, may_mark_sensitive: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        # The sensitive box is staff only; others keep the saved value.
        kept = [*FIELDS[kind], "sensitive"] if may_mark_sensitive else FIELDS[kind]
        for name in list(self.fields):
            if name not in kept:
                del self.fields[name]
        self.order_fields(kept)
        if kind == Draft.Kind.PRESS_RELEASE:
            self.fields["title"].label = "Headline"
        else:
            self.fields["title"].help_text = ""
        if kind == Draft.Kind.SOCIAL_POST:
            self.fields["body"].label = "Post"
            self.fields["body"].help_text = "Links count 23 on X and Mastodon."
            self.fields["body"].widget.attrs["rows"] = 6
            self.fields["title"].label = "Name (for the team, not posted)"
            self.fields["title"].required = False
            self.fields["networks"].label = "Networks"
        if kind == Draft.Kind.MEDIA_RESPONSE:
            self.fields["body"].label = "Response"

    def clean(self):
        data = super().clean()
        for name in TEXT:
            # Browsers send line breaks as \r\n; positions (the cursor) count them as one.
            if isinstance(data.get(name), str):
                data[name] = data[name].replace("\r\n", "\n")
        if self.kind == Draft.Kind.SOCIAL_POST:
            if not data.get("body", "").strip():
                self.add_error("body", "Write the post.")
            if not data.get("networks"):
                self.add_error("networks", "Choose at least one network.")
            # The name follows the post until someone names it themselves.
            named = data.get("title") and data["title"] != post_name(self.instance.body)
            if not named and data.get("body"):
                data["title"] = post_name(data["body"])
        return data
