"""Forms of the pitch pages: templates, composing, the team's sender address and marking a
copy bounced or replied. Merge-field mistakes are form errors, shown before anything is sent."""

from __future__ import annotations

from email.utils import parseaddr

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from commsdesk.accounts.models import Team
from commsdesk.relations import merge
from commsdesk.relations.models import MediaList, Pitch, PitchRecipient, PitchTemplate

MERGE_HELP = "Merge fields: " + ", ".join(
    f"{{{{ {name} }}}} ({what})" for name, what in merge.FIELDS.items()
)


class _MergeFieldsMixin:
    """Subject and body may hold only known merge fields."""

    def clean_subject(self) -> str:
        return self._merge_checked("subject")

    def clean_body(self) -> str:
        return self._merge_checked("body")

    def _merge_checked(self, name: str) -> str:
        text = self.cleaned_data[name]
        try:
            merge.check(text, where=name)
        except merge.MergeError as exc:
            raise ValidationError(str(exc)) from exc
        return text


class PitchTemplateForm(_MergeFieldsMixin, forms.ModelForm):
    team = forms.ModelChoiceField(queryset=Team.objects.none(), required=False)

    class Meta:
        model = PitchTemplate
        fields = ["name", "subject", "body"]
        help_texts = {"body": MERGE_HELP}
        widgets = {"body": forms.Textarea(attrs={"rows": 14})}

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        teams = Team.objects.of(user)
        if self.instance.pk or teams.count() < 2:
            del self.fields["team"]  # one team, or an existing template keeps its own
        else:
            self.fields["team"].queryset = teams
            self.fields["team"].required = True


class PitchForm(_MergeFieldsMixin, forms.ModelForm):
    class Meta:
        model = Pitch
        fields = ["media_list", "subject", "body"]
        labels = {"media_list": "Send to media list"}
        help_texts = {"body": MERGE_HELP + ". Plain text: no formatting, no tracking."}
        widgets = {"body": forms.Textarea(attrs={"rows": 16})}

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["media_list"].queryset = MediaList.objects.for_team(user)
        self.fields["media_list"].required = True
        self.fields["media_list"].empty_label = "Choose a media list"


class SenderForm(forms.ModelForm):
    class Meta:
        model = Team
        fields = ["sender_email"]
        help_texts = {
            "sender_email": "The From of pitches, e.g. Press office <press@example.org>. "
            "Empty: the server's default address. Replies go to the person who sends."
        }

    def clean_sender_email(self) -> str:
        value = " ".join(self.cleaned_data["sender_email"].split())
        if not value:
            return ""
        _, address = parseaddr(value)
        try:
            validate_email(address)
        except ValidationError:
            raise ValidationError(
                f"“{value}” is not an email address; write press@example.org or "
                "Press office <press@example.org>."
            ) from None
        return value


class MarkForm(forms.Form):
    """A person records what the mail server could not tell us: a bounce, a reply."""

    CHOICES = [
        (PitchRecipient.Status.REPLIED, "Replied"),
        (PitchRecipient.Status.BOUNCED, "Bounced"),
        (PitchRecipient.Status.SENT, "Sent (no answer yet)"),
    ]
    status = forms.ChoiceField(choices=CHOICES, label="Mark as")
    note = forms.CharField(max_length=300, required=False, label="Note")
