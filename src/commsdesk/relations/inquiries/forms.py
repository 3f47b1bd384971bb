"""Forms for press inquiries: logging or editing one (deadline typed as a wall-clock time in a
chosen time zone), logging one from an email, assigning, moving it on, linking coverage.

Choices are limited to the person's teams; volunteers get no reporter email field.
"""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

from commsdesk.accounts.models import Team
from commsdesk.monitoring.models import Outlet
from commsdesk.relations.inquiries import emails
from commsdesk.relations.inquiries.times import NotALocalTime, to_local, to_utc, zone_names
from commsdesk.relations.models import Inquiry, Journalist, Spokesperson

_LOCAL = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _people(teams):
    return (
        get_user_model().objects.filter(memberships__team__in=teams).distinct().order_by("username")
    )


class InquiryForm(forms.ModelForm):
    team = forms.ModelChoiceField(queryset=Team.objects.none(), required=False)
    deadline_local = forms.DateTimeField(
        label="Deadline",
        required=False,
        widget=_LOCAL,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text="As the journalist said it, in the time zone below.",
    )
    deadline_timezone = forms.ChoiceField(label="Deadline time zone", choices=())
    received_local = forms.DateTimeField(
        label="Received",
        required=False,
        widget=_LOCAL,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text="In your time zone. Change it for a call or message that came in earlier.",
    )

    field_order = [
        "team",
        "topic",
        "journalist",
        "reporter_name",
        "reporter_email",
        "outlet",
        "questions",
        "deadline_local",
        "deadline_timezone",
        "received_local",
        "owner",
        "spokesperson",
    ]

    class Meta:
        model = Inquiry
        fields = [
            "topic",
            "journalist",
            "reporter_name",
            "reporter_email",
            "outlet",
            "questions",
            "owner",
            "spokesperson",
        ]
        labels = {
            "reporter_name": "Reporter (if not in your contacts)",
            "reporter_email": "Reporter's email",
            "owner": "Owner (answers it)",
        }
        widgets = {"questions": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, user, zone: str, see_contacts: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        teams = Team.objects.of(user)
        self.fields["journalist"].queryset = Journalist.objects.visible_to(user)
        self.fields["spokesperson"].queryset = Spokesperson.objects.for_team(user).filter(
            active=True
        )
        self.fields["owner"].queryset = _people(teams)
        self.fields["outlet"].queryset = Outlet.objects.order_by("name")
        self.fields["deadline_timezone"].choices = [(z, z) for z in zone_names()]
        self.zone = zone
        self.fields[
            "received_local"
        ].help_text = (
            f"In your time zone ({zone}). Change it for a call or message that came in earlier."
        )
        received = self.instance.received_at if self.instance.pk else timezone.now()
        self.initial["received_local"] = to_local(received, zone).replace(
            tzinfo=None, second=0, microsecond=0
        )
        if self.instance.pk:
            del self.fields["team"]
            self.initial["deadline_timezone"] = self.instance.deadline_timezone
            if self.instance.deadline:
                local = to_local(self.instance.deadline, self.instance.deadline_timezone)
                self.initial["deadline_local"] = local.replace(tzinfo=None)
        else:
            self.initial.setdefault("deadline_timezone", zone)
            self.fields["team"].queryset = teams
            if teams.count() < 2:
                del self.fields["team"]  # one team: new records go to it
        if not see_contacts:
            del self.fields["reporter_email"]

    def clean(self):
        data = super().clean()
        local, zone = data.get("deadline_local"), data.get("deadline_timezone")
        if local is not None and zone:
            try:
                data["deadline"] = to_utc(local.replace(tzinfo=None), zone)
            except NotALocalTime as exc:
                self.add_error("deadline_local", str(exc))
        else:
            data["deadline"] = None
        received = data.get("received_local")
        received = received.replace(tzinfo=None) if received is not None else None
        data["received_at"] = self.instance.received_at if self.instance.pk else timezone.now()
        # Unchanged (the form shows whole minutes): keep the exact time it had.
        if received is not None and received != self.initial["received_local"]:
            try:
                data["received_at"] = to_utc(received, self.zone)
            except NotALocalTime as exc:
                self.add_error("received_local", str(exc))
            else:
                if data["received_at"] > timezone.now() + timedelta(minutes=5):
                    self.add_error("received_local", "An inquiry cannot arrive in the future.")
        team = data.get("team") or (self.instance.team if self.instance.team_id else None)
        for name in ("journalist", "spokesperson"):
            record = data.get(name)
            if team is not None and record is not None and record.team_id != team.pk:
                self.add_error(name, f"{record} belongs to another team.")
        return data

    def save(self, commit: bool = True) -> Inquiry:
        inquiry = super().save(commit=False)
        inquiry.deadline = self.cleaned_data["deadline"]
        inquiry.deadline_timezone = self.cleaned_data["deadline_timezone"]
        inquiry.received_at = self.cleaned_data["received_at"]
        if inquiry.outlet is None and inquiry.journalist is not None:
            inquiry.outlet = emails.outlet_for(inquiry.journalist, inquiry.journalist.email)
        if commit:
            inquiry.save()
        return inquiry


class EmailForm(forms.Form):
    """An .eml file, or the message pasted with its headers."""

    file = forms.FileField(label="Email file (.eml)", required=False)
    pasted = forms.CharField(
        label="…or paste the whole email, headers included",
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
    )

    def clean(self):
        data = super().clean()
        upload, pasted = data.get("file"), (data.get("pasted") or "").strip()
        if upload is None and not pasted:
            raise forms.ValidationError("Choose an .eml file or paste the email.")
        if upload is not None and upload.size > emails.MAX_BYTES:
            raise forms.ValidationError("This file is larger than 10 MB: is it really an email?")
        raw = upload.read() if upload is not None else pasted.encode("utf-8")
        try:
            data["received"] = emails.parse(raw)
        except emails.NotAnEmail as exc:
            raise forms.ValidationError(str(exc)) from exc
        return data


class AssignForm(forms.Form):
    owner = forms.ModelChoiceField(queryset=None, required=False, label="Owner (answers it)")
    spokesperson = forms.ModelChoiceField(queryset=None, required=False)

    def __init__(self, *args, inquiry: Inquiry, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _people(Team.objects.filter(pk=inquiry.team_id))
        self.fields["spokesperson"].queryset = Spokesperson.objects.filter(
            team_id=inquiry.team_id, active=True
        )
        self.initial.update(owner=inquiry.owner_id, spokesperson=inquiry.spokesperson_id)


class CoverageForm(forms.Form):
    address = forms.URLField(label="Article address", assume_scheme="https")
