"""An embargoed press release stays out of the public press room, its page and its feed until
the embargo's instant, whatever its publish time says."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.materials.press_data import release, room

pytestmark = pytest.mark.django_db


def test_an_embargoed_release_appears_at_the_embargo_instant(client, team):
    room(team)
    embargoed = release(
        team,
        "Record edit-a-thon results",
        slug="results",
        embargo_until=timezone.now() + timedelta(hours=2),
        embargo_timezone="Europe/Paris",
    )
    pages = [
        reverse("press:room", args=["comms"]),
        reverse("press:feed", args=["comms"]),
    ]
    for page in pages:
        assert b"Record edit-a-thon results" not in client.get(page).content
    assert client.get(reverse("press:release", args=["comms", "results"])).status_code == 404

    embargoed.embargo_until = timezone.now() - timedelta(seconds=1)
    embargoed.save(update_fields=["embargo_until"])
    for page in pages:
        assert b"Record edit-a-thon results" in client.get(page).content
    assert client.get(reverse("press:release", args=["comms", "results"])).status_code == 200
