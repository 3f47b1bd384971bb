"""The demo's comms operations: a calendar with an embargoed launch (09:00 Paris time) and a
campaign milestone, and an open incident in the crisis room that follows the team's own search
with the library's holding statement and Q&A attached. Created once; a second run changes nothing.
"""

from __future__ import annotations

import zoneinfo
from datetime import datetime, time, timedelta

from django.utils import timezone

from commsdesk.campaigns.models import Campaign
from commsdesk.materials.models import Material
from commsdesk.monitoring.models import SavedSearch
from commsdesk.operations.models import Incident, PlannedItem

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def load_operations(team, user) -> None:
    if PlannedItem.objects.filter(team=team).exists():
        return
    today = timezone.localdate()
    launch = datetime.combine(today + timedelta(days=6), time(9, 0), tzinfo=PARIS)
    item = PlannedItem.objects.create(
        team=team,
        kind=PlannedItem.Kind.PRESS_RELEASE,
        title="Launch: readers' survey results",
        starts_at=launch,
        timezone="Europe/Paris",
        language="en",
        owner=user,
        created_by=user,
        embargo_until=launch,
        notes="Embargoed for journalists until 09:00 Paris time.",
    )
    item.embargo_people.add(user)
    campaign = Campaign.objects.filter(team=team).first()
    PlannedItem.objects.create(
        team=team,
        kind=PlannedItem.Kind.MILESTONE,
        title="Edit-a-thon week: mid-campaign check",
        starts_at=datetime.combine(today + timedelta(days=10), time(12, 0), tzinfo=PARIS),
        all_day=True,
        timezone="Europe/Paris",
        campaign=campaign,
        created_by=user,
    )
    incident = Incident.objects.create(
        team=team,
        title="Reader numbers questioned in the press",
        summary="A columnist says our reader numbers are inflated; two outlets picked it up.",
        severity=Incident.Severity.MEDIUM,
        owner=user,
        created_by=user,
        opened_at=timezone.now() - timedelta(hours=5),
    )
    incident.on_call.add(user)
    incident.searches.add(*SavedSearch.objects.filter(team=team, name="Our organisation"))
    incident.materials.add(
        *Material.objects.filter(team=team, kind__in=["holding_statement", "faq"])
    )
    incident.timeline.create(
        kind="event", at=incident.opened_at, text="Column published; two outlets follow.",
        author=user,
    )  # fmt: skip
    incident.timeline.create(
        kind="decision",
        at=incident.opened_at + timedelta(hours=1),
        text="Answer with the reader-numbers Q&A; holding statement once approved.",
        author=user,
    )
