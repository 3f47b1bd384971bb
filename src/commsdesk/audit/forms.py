"""The audit page's filters: person, kind of record, action and a date range."""

from __future__ import annotations

from django import forms

from commsdesk.audit.models import AuditEntry

ACTIONS = (
    (AuditEntry.Action.CREATE, "Created"),
    (AuditEntry.Action.UPDATE, "Changed"),
    (AuditEntry.Action.DELETE, "Deleted"),
    (AuditEntry.Action.ACCESS, "Downloaded"),
)


class AuditFilters(forms.Form):
    actor = forms.ChoiceField(label="Person", required=False)
    model = forms.ChoiceField(label="Record", required=False)
    action = forms.ChoiceField(
        label="Action",
        required=False,
        choices=[("", "Any"), *((str(value), label) for value, label in ACTIONS)],
    )
    start = forms.DateField(label="From", required=False, widget=forms.DateInput({"type": "date"}))
    end = forms.DateField(label="To", required=False, widget=forms.DateInput({"type": "date"}))

    def __init__(self, data, *, people: list[tuple[int, str]], models: list[tuple[int, str]]):
        super().__init__(data)
        self.fields["actor"].choices = [
            ("", "Anyone"),
            ("system", "System (tasks and commands)"),
            *((str(pk), name) for pk, name in people),
        ]
        self.fields["model"].choices = [("", "Any"), *((str(pk), name) for pk, name in models)]

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", "The end date is before the start date.")
        return data
