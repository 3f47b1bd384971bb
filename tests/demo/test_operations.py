"""The demo's operations area: what `make run` shows in the calendar and the crisis room."""

from __future__ import annotations

from datetime import UTC

import pytest

from commsdesk.demo.load import load_demo
from commsdesk.operations.models import Incident, PlannedItem

pytestmark = pytest.mark.django_db


def test_the_demo_has_an_embargoed_launch_at_nine_in_paris_and_an_open_incident(newsroom):
    load_demo(newsroom)
    load_demo(newsroom)  # idempotent: nothing twice

    launch = PlannedItem.objects.get(kind="press_release")
    assert launch.embargo_until == launch.starts_at
    assert launch.embargo_until.astimezone(UTC).hour in (7, 8)  # 09:00 Paris, summer or winter
    assert PlannedItem.objects.count() == 2
    incident = Incident.objects.get()
    assert incident.status == "open" and incident.searches.count() == 1
    assert incident.materials.filter(kind="holding_statement").exists()
    assert incident.timeline.count() == 2
