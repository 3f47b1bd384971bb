"""Embargoed press releases stay hidden through the API from everyone the embargo does not name,
as on the drafts pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from commsdesk.materials.models import Draft

pytestmark = pytest.mark.django_db


def test_an_embargoed_release_is_hidden_from_an_editor_it_does_not_name(
    api, seeded, team, volunteer, token_for
):
    draft = Draft.objects.create(
        team=team,
        owner=volunteer,
        kind=Draft.Kind.PRESS_RELEASE,
        title="Secret launch",
        embargo_until=timezone.now() + timedelta(days=1),
    )
    assert api.get(f"drafts/{draft.pk}").status_code == 404
    assert api.patch(f"drafts/{draft.pk}", {"title": "Leaked"}).status_code == 404
    assert "Secret launch" not in api.get("drafts").content.decode()
    assert token_for(volunteer).get(f"drafts/{draft.pk}").status_code == 200
