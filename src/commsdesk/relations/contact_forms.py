"""Forms for journalists, outlets' relations fields, media lists, research and contact files.

A journalist form built for someone who may not see contact details has no contact fields at
all, so saving it never clears them.
"""

from __future__ import annotations

from django import forms

from commsdesk.accounts import roles
from commsdesk.accounts.models import Team
from commsdesk.monitoring.forms import CodeListField
from commsdesk.monitoring.models import Outlet
from commsdesk.relations.models import Journalist, MediaList


class WordListField(forms.CharField):
    """Free words or names, comma- or semicolon-separated, stored as a JSON list."""

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def prepare_value(self, value):
        return ", ".join(value) if isinstance(value, list | tuple) else value

    def clean(self, value):
        parts = (value or "").replace(";", ",").split(",")
        return list(dict.fromkeys(p.strip() for p in parts if p.strip()))


class SocialField(forms.CharField):
    """One handle a line, written network=handle (mastodon=@ana@example.social)."""

    widget = forms.Textarea(attrs={"rows": 3})

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, dict):
            return "\n".join(f"{k}={v}" for k, v in value.items())
        return value

    def clean(self, value):
        handles = {}
        for line in (value or "").splitlines():
            if not line.strip():
                continue
            network, sep, handle = line.partition("=")
            if not sep or not network.strip() or not handle.strip():
                raise forms.ValidationError(f"“{line.strip()}” is not written as network=handle")
            handles[network.strip().lower()] = handle.strip()
        return handles


def offer_teams(form: forms.BaseForm, user, default: Team) -> None:
    """Add a team choice to `form` when `user` can add records to several teams."""
    teams = [t for t in Team.objects.of(user) if roles.can_edit(user, t.pk)]
    if len(teams) > 1:
        form.fields["team"] = forms.ModelChoiceField(
            Team.objects.filter(pk__in=[t.pk for t in teams]),
            initial=default.pk,
            empty_label=None,
            label="Team",
        )
        form.order_fields(["team", *form.fields])


def chosen_team(form: forms.BaseForm, default: Team) -> Team:
    return form.cleaned_data.get("team") or default


class JournalistForm(forms.ModelForm):
    beats = WordListField(help_text="Topics they cover, comma-separated: climate, health")
    languages = CodeListField(help_text="en, es, pt-BR", label="Languages")
    country = CodeListField(upper=True, length=(2, 2), help_text="KE, BR, FR")
    social = SocialField(
        label="Social handles", help_text="One a line: mastodon=@ana@example.social"
    )
    bylines = WordListField(
        help_text="How their name appears on articles, if not exactly their name"
    )
    outlet = forms.ModelChoiceField(
        Outlet.objects.all(), required=False, label="Works for", empty_label="(no outlet)"
    )
    title = forms.CharField(max_length=200, required=False, label="Job title")

    class Meta:
        model = Journalist
        fields = [
            "name",
            "email",
            "phone",
            "social",
            "preferred_contact",
            "beats",
            "languages",
            "country",
            "bylines",
            "notes",
            "do_not_contact",
            "do_not_contact_reason",
            "sensitive",
        ]
        labels = {
            "do_not_contact": "Do not contact",
            "do_not_contact_reason": "Why not",
            "sensitive": "Sensitive contact",
        }
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}

    def __init__(
        self, *args, with_contacts: bool = True, may_mark_sensitive: bool = False, **kwargs
    ):
        super().__init__(*args, **kwargs)
        if not may_mark_sensitive:
            del self.fields["sensitive"]  # staff only: the saved value is kept
        if not with_contacts:
            for name in ("email", "phone", "social", "preferred_contact"):
                del self.fields[name]
        self.order_fields(["name", "outlet", "title"])

    def clean_country(self):
        codes = self.cleaned_data.get("country") or []
        if len(codes) > 1:
            raise forms.ValidationError("One country code.")
        return codes[0] if codes else ""

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("do_not_contact")
            and not (cleaned.get("do_not_contact_reason") or "").strip()
        ):
            self.add_error("do_not_contact_reason", "Say why, so nobody contacts them by mistake.")
        return cleaned


class OutletForm(forms.ModelForm):
    class Meta:
        model = Outlet
        fields = [
            "type",
            "tier",
            "monthly_audience",
            "audience_source",
            "audience_as_of",
            "languages",
            "country",
            "notes",
        ]
        widgets = {"audience_as_of": forms.DateInput(attrs={"type": "date"})}
        labels = {"audience_as_of": "Audience figure as of"}

    def clean_tier(self):
        tier = self.cleaned_data.get("tier")
        if tier is not None and tier not in (1, 2, 3):
            raise forms.ValidationError("Tier is 1 (top), 2 or 3.")
        return tier


class MediaListForm(forms.ModelForm):
    class Meta:
        model = MediaList
        fields = ["name", "description"]


class ResearchForm(forms.Form):
    q = forms.CharField(
        label="Topic (a search query)",
        widget=forms.Textarea(attrs={"rows": 2, "class": "query", "spellcheck": "false"}),
        help_text='Words, "phrases", AND / OR / NOT — the saved-search language.',
    )
    days = forms.IntegerField(min_value=1, max_value=3650, initial=90, label="Over the last (days)")


class ContactFileForm(forms.Form):
    file = forms.FileField(label="CSV or vCard file", help_text=".csv or .vcf, up to 5 MB")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError("That file is over 5 MB; split it into smaller files.")
        return upload
