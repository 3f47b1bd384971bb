"""Sources are shared by every team of the installation: staff of any team manage them, a
volunteer or viewer reads their health but changes nothing (found by the authorization matrix:
every signed-in person could delete any source)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from commsdesk.monitoring.models import Source
from tests.relations.roles import client_for, person_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def source(db):
    return Source.objects.create(name="Daily Example feed", url="https://daily.example/feed")


@pytest.mark.parametrize("role", ["volunteer", "viewer"])
def test_a_volunteer_or_viewer_reads_a_source_but_cannot_change_it(team, source, role):
    client = client_for(person_in(team, role, "vera"))
    page = client.get(reverse("monitoring:source", args=[source.pk])).content.decode()
    assert "Daily Example feed" in page and "Delete source" not in page and "Fetch now" not in page
    for name in ("source_delete", "source_toggle", "source_fetch"):
        assert client.post(reverse(f"monitoring:{name}", args=[source.pk])).status_code == 403
    assert client.get(reverse("monitoring:source_add")).status_code == 403
    assert Source.objects.get(pk=source.pk).active


def test_staff_of_any_team_delete_a_source(member_client, source):
    response = member_client.post(reverse("monitoring:source_delete", args=[source.pk]))
    assert response.status_code == 302 and not Source.objects.exists()
