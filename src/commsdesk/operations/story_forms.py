"""Forms of the story bank: an idea (with an optional first photo), another photo, moving an
idea to a stage, and linking a pitch, a draft or coverage. Choices are the team's own records.

Contact details of the people in a story are a field only for roles that may see contacts.
"""

from __future__ import annotations

from django import forms

from commsdesk.materials.models import Draft
from commsdesk.operations import embargo, story_photos
from commsdesk.operations.models import StoryIdea
from commsdesk.relations.models import Pitch

CREDIT_HELP = "e.g. “Photo: Ana Pérez, CC BY-SA 4.0”"


class StoryIdeaForm(forms.ModelForm):
    # Longer than a code so that "Nigeria" reaches clean_country and its explanation.
    country = forms.CharField(
        label="Country code", max_length=60, required=False, help_text="ISO 3166 code, e.g. NG"
    )
    photo = forms.FileField(required=False, help_text="A photo (JPEG, PNG, GIF or WebP)")
    photo_caption = forms.CharField(label="Caption", max_length=500, required=False)
    photo_credit = forms.CharField(
        label="Credit and licence", max_length=300, required=False, help_text=CREDIT_HELP
    )

    class Meta:
        model = StoryIdea
        fields = [
            "title",
            "summary",
            "who",
            "place",
            "country",
            "language",
            "theme",
            "media_angle",
            "contact",
            "consent",
            "consent_notes",
        ]
        labels = {
            "who": "Who",
            "place": "Where",
            "country": "Country code",
            "language": "Language code",
            "media_angle": "Media angle",
            "contact": "How to reach them",
            "consent": "Consent to tell their story",
            "consent_notes": "Consent notes",
        }
        help_texts = {
            "language": "ISO 639-1, e.g. yo, es, hi",
            "media_angle": "Why a journalist or reader would care, in a sentence or two",
            "consent_notes": "Who agreed, how and when; anything they asked us not to share",
        }
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4}),
            "media_angle": forms.Textarea(attrs={"rows": 2}),
            "contact": forms.Textarea(attrs={"rows": 2}),
            "consent_notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, with_contacts: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not with_contacts:
            # Not shown and not accepted: a volunteer cannot read or overwrite it.
            del self.fields["contact"]

    def clean_country(self) -> str:
        code = self.cleaned_data["country"].strip().upper()
        if code and not (len(code) == 2 and code.isalpha()):
            raise forms.ValidationError("Use the two-letter country code, e.g. NG for Nigeria.")
        return code

    def clean_language(self) -> str:
        code = self.cleaned_data["language"].strip().lower()
        if code and not code.replace("-", "").isalpha():
            raise forms.ValidationError("Use the language code, e.g. yo for Yoruba.")
        return code

    def clean_photo(self):
        upload = self.cleaned_data.get("photo")
        if upload:
            story_photos.check(upload)
        return upload


class PhotoForm(forms.Form):
    photo = forms.FileField(help_text="A photo (JPEG, PNG, GIF or WebP)")
    caption = forms.CharField(max_length=500, required=False)
    credit = forms.CharField(
        label="Credit and licence", max_length=300, required=False, help_text=CREDIT_HELP
    )

    def clean_photo(self):
        upload = self.cleaned_data["photo"]
        story_photos.check(upload)
        return upload


class MoveForm(forms.Form):
    stage = forms.ChoiceField(choices=StoryIdea.Stage.choices, label="Move to")


class LinkForm(forms.Form):
    """Link (or unlink) a pitch, a draft or an article by its address."""

    pitch = forms.ModelChoiceField(queryset=Pitch.objects.none(), required=False)
    draft = forms.ModelChoiceField(queryset=Draft.objects.none(), required=False)
    address = forms.URLField(label="Article address", required=False, assume_scheme="https")

    def __init__(self, *args, team_id: int, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pitch"].queryset = Pitch.objects.filter(team_id=team_id)
        # Only drafts the person may see: an embargoed or sensitive one's title is not offered.
        drafts = Draft.objects.visible_to(user).filter(team_id=team_id)
        self.fields["draft"].queryset = embargo.visible(drafts, user)
