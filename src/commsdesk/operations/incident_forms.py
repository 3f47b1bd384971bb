"""Forms of the crisis room: opening or editing an incident (with a new saved search written
inline, checked by the query language like any other), a timeline entry, closing with a summary,
and whom to email the situation report to. People, searches, lines and inquiries come from the
incident's team only."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q

from commsdesk.materials.models import Material, Status
from commsdesk.monitoring import searches
from commsdesk.monitoring.models import SavedSearch
from commsdesk.operations.calendar_forms import LocalDateTimeInput
from commsdesk.operations.models import Incident, IncidentEvent
from commsdesk.pipeline.query import QueryError
from commsdesk.relations.models import Inquiry


def _people(team_id: int):
    return (
        get_user_model()
        .objects.filter(memberships__team_id=team_id, is_active=True)
        .order_by("username")
    )


def _material_label(material: Material) -> str:
    state = "approved" if material.status == Status.APPROVED else "NOT approved"
    return f"{material.title} · {material.get_kind_display()} · {state}"


class IncidentForm(forms.ModelForm):
    new_search_name = forms.CharField(
        label="New saved search: name", required=False, max_length=200
    )
    new_search_query = forms.CharField(
        label="New saved search: query",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "query", "spellcheck": "false"}),
        help_text="e.g. wikipedia AND (block OR blocked OR ban) AND country:TR",
    )

    class Meta:
        model = Incident
        fields = [
            "title", "summary", "severity", "status", "owner", "on_call", "searches",
            "materials", "inquiries",
        ]  # fmt: skip
        labels = {
            "on_call": "On call",
            "searches": "Its saved searches",
            "materials": "Holding statement, Q&A and other lines",
            "inquiries": "Linked press inquiries",
        }
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "on_call": forms.CheckboxSelectMultiple,
            "searches": forms.CheckboxSelectMultiple,
            "materials": forms.CheckboxSelectMultiple,
            "inquiries": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, team_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.team_id = team_id
        self.fields["owner"].queryset = _people(team_id)
        self.fields["on_call"].queryset = _people(team_id)
        self.fields["searches"].queryset = SavedSearch.objects.filter(team_id=team_id)
        lines = Material.objects.filter(team_id=team_id).exclude(status=Status.RETIRED)
        self.fields["materials"].queryset = lines.order_by("kind", "title")
        self.fields["materials"].label_from_instance = _material_label
        # Open inquiries, and any already linked (so editing never drops an answered one).
        linked = self.instance.inquiries.values("pk") if self.instance.pk else []
        self.fields["inquiries"].queryset = Inquiry.objects.filter(
            Q(pk__in=linked) | ~Q(status__in=["answered", "declined"]), team_id=team_id
        ).order_by("deadline")
        if not self.instance.pk:
            self.fields["status"].widget = forms.HiddenInput()
            self.fields["status"].choices = [(Incident.Status.OPEN, "Open")]
        elif self.instance.status != Incident.Status.CLOSED:
            # Closing has its own page: it records closed_at and the post-incident summary.
            self.fields["status"].choices = [
                c for c in Incident.Status.choices if c[0] != Incident.Status.CLOSED
            ]

    def clean(self):
        data = super().clean()
        name, query = data.get("new_search_name", ""), data.get("new_search_query", "")
        if query and not name:
            self.add_error("new_search_name", "Give the new search a name.")
        if name and not query:
            self.add_error("new_search_query", "Write the new search's query.")
        if query:
            try:
                searches.expand(query, [], self.team_id)
            except QueryError as exc:
                self.add_error(
                    "new_search_query", f"{exc.message} (at character {exc.position + 1})"
                )
        return data

    def new_search(self, user) -> SavedSearch | None:
        """The inline search, saved and added to the incident (after `save`)."""
        name = self.cleaned_data.get("new_search_name")
        if not name:
            return None
        saved = SavedSearch.objects.create(
            team_id=self.team_id, owner=user, name=name, query=self.cleaned_data["new_search_query"]
        )
        self.instance.searches.add(saved)
        return saved


class EventForm(forms.ModelForm):
    class Meta:
        model = IncidentEvent
        fields = ["kind", "text", "at"]
        labels = {"text": "What happened or was decided", "at": "When (empty: now)"}
        widgets = {"text": forms.Textarea(attrs={"rows": 2}), "at": LocalDateTimeInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["at"].required = False
        self.initial.pop("at", None)  # empty means "when I press Add", not "when I opened the page"


class CloseForm(forms.Form):
    summary = forms.CharField(
        label="Post-incident summary",
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text="Proposed from the timeline and coverage: edit before closing.",
    )


class SendForm(forms.Form):
    people = forms.ModelMultipleChoiceField(
        queryset=get_user_model().objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="Send the situation report to",
    )

    def __init__(self, *args, team_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = _people(team_id).exclude(email="")
