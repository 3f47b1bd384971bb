"""Forms for spokespeople, media trainings and speaking opportunities.

Choices (teams, owners, speakers) are limited to the person's own teams; which fields a person
gets (contact details, approval) is decided by the view from their role, not here.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model

from commsdesk.accounts.models import Team
from commsdesk.monitoring.forms import CodeListField, TagsField
from commsdesk.relations import roster
from commsdesk.relations.models import SpeakingOpportunity, Spokesperson, Training

LOCAL_MINUTE = "%Y-%m-%dT%H:%M"


def _when(**kwargs) -> forms.DateTimeField:
    return forms.DateTimeField(
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_MINUTE),
        **kwargs,
    )


class TeamChoiceMixin:
    """A "Team" field only for someone in several teams; everyone else gets their one team."""

    def add_team_field(self, teams) -> None:
        if self.instance.pk is None and len(teams) > 1:
            self.fields["team"] = forms.ModelChoiceField(
                Team.objects.filter(pk__in=[t.pk for t in teams]), label="Team"
            )

    def chosen_team(self, fallback: Team) -> Team:
        if self.instance.pk is not None:
            return self.instance.team
        return self.cleaned_data.get("team") or fallback


class SpokespersonForm(TeamChoiceMixin, forms.ModelForm):
    languages = CodeListField(help_text="en, es, pt-BR", label="Languages")
    regions = TagsField(label="Regions", help_text="Comma-separated, e.g. East Africa, Brazil")
    topics = TagsField(label="Topics", help_text="Comma-separated, e.g. climate, open data")
    consent = forms.BooleanField(
        required=False,
        label="Agrees to share contact details beyond the comms staff",
        help_text="The date you change this is recorded.",
    )

    class Meta:
        model = Spokesperson
        fields = [
            "name",
            "kind",
            "user",
            "email",
            "phone",
            "languages",
            "regions",
            "topics",
            "availability",
            "media_trained_on",
            "trained_by",
            "approval",
            "notes",
        ]
        labels = {"user": "Their commsdesk account", "media_trained_on": "Media-trained on"}
        widgets = {
            "media_trained_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "user": "Links the record to their login: they can then see and update it.",
            "availability": "e.g. weekdays after 14:00 UTC, not in August",
        }

    def __init__(self, *args, teams, shows_contacts: bool, can_manage: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["consent"].initial = self.instance.contact_consent
        if not shows_contacts:
            for name in ("email", "phone", "consent"):
                del self.fields[name]
        if can_manage:
            self.fields["user"].queryset = (
                get_user_model().objects.filter(memberships__team__in=teams).distinct()
            )
        else:
            # Linking an account opens the record's contact details to it; approving is staff work.
            del self.fields["user"]
            del self.fields["approval"]
        self.add_team_field(teams)

    def save(self, commit: bool = True) -> Spokesperson:
        person = super().save(commit=False)
        if "consent" in self.fields:
            roster.record_consent(person, self.cleaned_data["consent"])
        if commit:
            person.save()
        return person


class RosterFilterForm(forms.Form):
    language = forms.CharField(required=False, max_length=12, label="Language")
    region = forms.CharField(required=False, max_length=100, label="Region")
    topic = forms.CharField(required=False, max_length=100, label="Topic")
    kind = forms.ChoiceField(
        required=False,
        label="Staff or volunteer",
        choices=[("", "Both"), *Spokesperson.Kind.choices],
    )
    trained = forms.ChoiceField(
        required=False,
        label="Media-trained",
        choices=[("", "Either"), ("yes", "Trained"), ("no", "Not yet")],
    )
    approval = forms.ChoiceField(
        required=False, label="Approval", choices=[("", "Any"), *Spokesperson.Approval.choices]
    )
    inactive = forms.BooleanField(required=False, label="Include inactive")

    def chosen(self) -> roster.RosterFilter:
        data = self.cleaned_data if self.is_valid() else {}
        return roster.RosterFilter(
            language=data.get("language", ""),
            region=data.get("region", ""),
            topic=data.get("topic", ""),
            kind=data.get("kind", ""),
            trained=data.get("trained", ""),
            approval=data.get("approval", ""),
            show_inactive=data.get("inactive", False),
        )


class TrainingForm(TeamChoiceMixin, forms.ModelForm):
    starts_at = _when(label="Date and time")

    class Meta:
        model = Training
        fields = ["title", "starts_at", "trainer", "format", "materials", "follow_ups"]
        labels = {"follow_ups": "Follow-ups", "materials": "Materials used"}
        widgets = {
            "materials": forms.Textarea(attrs={"rows": 3}),
            "follow_ups": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, teams, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.add_team_field(teams)


class AttendeeForm(forms.Form):
    spokesperson = forms.ModelChoiceField(Spokesperson.objects.none(), label="Spokesperson")
    attended = forms.BooleanField(required=False, initial=True, label="Attended")
    follow_up = forms.CharField(required=False, max_length=300, label="Follow-up")

    def __init__(self, *args, training: Training, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["spokesperson"].queryset = Spokesperson.objects.filter(
            team=training.team, active=True
        ).exclude(pk__in=training.attendance.values("spokesperson"))


class AttendanceForm(forms.Form):
    attended = forms.BooleanField(required=False, label="Attended")
    follow_up = forms.CharField(required=False, max_length=300, label="Follow-up")


class OpportunityForm(TeamChoiceMixin, forms.ModelForm):
    deadline = _when(required=False, label="Deadline", help_text="e.g. the call for papers closes")
    starts_at = _when(required=False, label="Starts")
    ends_at = _when(required=False, label="Ends")
    languages = CodeListField(help_text="en, es, pt-BR", label="Languages")
    topics = TagsField(label="Topics", help_text="Comma-separated, e.g. climate, open data")
    url = forms.URLField(required=False, max_length=2000, assume_scheme="https", label="Web page")

    class Meta:
        model = SpeakingOpportunity
        fields = [
            "title",
            "kind",
            "stage",
            "owner",
            "speaker",
            "deadline",
            "starts_at",
            "ends_at",
            "location",
            "url",
            "languages",
            "topics",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, teams, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = (
            get_user_model().objects.filter(memberships__team__in=teams).distinct()
        )
        self.fields["speaker"].queryset = Spokesperson.objects.filter(team__in=teams, active=True)
        self.add_team_field(teams)

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends < starts:
            self.add_error("ends_at", "The end is before the start.")
        if ends and not starts:
            self.add_error("starts_at", "Give the start too, or leave both empty.")
        team = self.chosen_team(fallback=None)
        speaker = data.get("speaker")
        if team is not None and speaker is not None and speaker.team_id != team.pk:
            self.add_error("speaker", "That spokesperson belongs to another team.")
        return data


class MoveForm(forms.Form):
    stage = forms.ChoiceField(choices=SpeakingOpportunity.Stage.choices, label="Move to")
