"""The planned-item form: times are typed in the item's own zone (the one its date was set in,
e.g. an embargo "09:00 Europe/Paris"), whatever the writer's preferences say; the team's people,
campaigns and the embargo's people come from the chosen team only."""

from __future__ import annotations

import zoneinfo

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

from commsdesk.accounts import roles
from commsdesk.accounts.models import Team
from commsdesk.campaigns.models import Campaign
from commsdesk.materials.models import Draft
from commsdesk.operations.models import PlannedItem

ZONES = sorted(zoneinfo.available_timezones() - {"localtime", "Factory"})
LOCAL = "%Y-%m-%dT%H:%M"


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=LOCAL, **kwargs)


class PlannedItemForm(forms.ModelForm):
    timezone = forms.ChoiceField(
        label="Time zone of these times", choices=[(z, z) for z in ZONES], initial="UTC"
    )

    class Meta:
        model = PlannedItem
        fields = [
            "team", "kind", "title", "starts_at", "ends_at", "all_day", "timezone", "campaign",
            "language", "region", "location", "notes", "owner", "embargo_until",
            "embargo_people",
        ]  # fmt: skip
        labels = {
            "starts_at": "Starts",
            "ends_at": "Ends",
            "embargo_until": "Embargoed until",
            "embargo_people": "Who may see it during the embargo",
            "region": "Country or region",
        }
        help_texts = {
            "embargo_until": "Empty: no embargo. Until then only the people ticked below, the "
            "owner and team admins see this item.",
            "language": "ISO 639-1, e.g. es",
        }
        widgets = {
            "starts_at": LocalDateTimeInput(),
            "ends_at": LocalDateTimeInput(),
            "embargo_until": LocalDateTimeInput(),
            "embargo_people": forms.CheckboxSelectMultiple,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        teams = Team.objects.of(user)
        editable = [t.pk for t in teams if roles.can_edit(user, t.pk)]
        self.fields["team"].queryset = Team.objects.filter(pk__in=editable)
        self.fields["team"].empty_label = None
        people = get_user_model().objects.filter(memberships__team_id__in=editable).distinct()
        self.fields["owner"].queryset = people.order_by("username")
        self.fields["embargo_people"].queryset = people.order_by("username")
        self.fields["campaign"].queryset = Campaign.objects.filter(team_id__in=editable)
        instance = self.instance
        if instance.pk:
            zone = _zone(instance.timezone)
            for name in ("starts_at", "ends_at", "embargo_until"):
                value = getattr(instance, name)
                if value is not None:
                    self.initial[name] = timezone.localtime(value, zone).replace(tzinfo=None)

    def clean(self):
        data = super().clean()
        zone = _zone(data.get("timezone") or "UTC")
        for name in ("starts_at", "ends_at", "embargo_until"):
            value = data.get(name)
            if value is not None:
                # The browser sent wall-clock time in the item's zone, not the writer's.
                data[name] = timezone.make_aware(value.replace(tzinfo=None), zone)
        team = data.get("team")
        if team is not None:
            members = set(team.memberships.values_list("user_id", flat=True))
            outside = [p for p in data.get("embargo_people", []) if p.pk not in members]
            if outside:
                self.add_error("embargo_people", "Only people of the item's team can be named.")
            owner = data.get("owner")
            if owner is not None and owner.pk not in members:
                self.add_error("owner", "The owner must be in the item's team.")
            campaign = data.get("campaign")
            if campaign is not None and campaign.team_id != team.pk:
                self.add_error("campaign", "That campaign belongs to another team.")
        start, end = data.get("starts_at"), data.get("ends_at")
        if start and end and end < start:
            self.add_error("ends_at", "The end is before the start.")
        return data


def _zone(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


class DraftEmbargoForm(forms.ModelForm):
    """A press release's embargo: the instant in the zone it is announced in, and its people."""

    embargo_timezone = forms.ChoiceField(
        label="Time zone of the embargo", choices=[(z, z) for z in ZONES], initial="UTC"
    )

    class Meta:
        model = Draft
        fields = ["embargo_until", "embargo_timezone", "embargo_people"]
        labels = {
            "embargo_until": "Embargoed until",
            "embargo_people": "Who may see it during the embargo",
        }
        help_texts = {
            "embargo_until": "Empty: no embargo. The press room publishes it at this instant, "
            "not before, and the people below are told when it lifts."
        }
        widgets = {
            "embargo_until": LocalDateTimeInput(),
            "embargo_people": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        draft = self.instance
        self.fields["embargo_people"].queryset = (
            get_user_model()
            .objects.filter(memberships__team_id=draft.team_id, is_active=True)
            .order_by("username")
        )
        if draft.embargo_until is not None:
            local = timezone.localtime(draft.embargo_until, _zone(draft.embargo_timezone))
            self.initial["embargo_until"] = local.replace(tzinfo=None)
        else:  # a new embargo starts from the writer's own zone
            self.initial["embargo_timezone"] = str(timezone.get_current_timezone())

    def clean(self):
        data = super().clean()
        value = data.get("embargo_until")
        if value is not None:
            zone = _zone(data.get("embargo_timezone") or "UTC")
            data["embargo_until"] = timezone.make_aware(value.replace(tzinfo=None), zone)
        return data
