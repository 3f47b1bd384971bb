"""Changes made through the API are in the audit log under the token's owner."""

from __future__ import annotations

import pytest

from commsdesk.audit.models import AuditEntry
from commsdesk.monitoring.models import SavedSearch

pytestmark = pytest.mark.django_db


def test_a_saved_search_created_with_a_token_is_logged_as_its_owner(api, member, team):
    response = api.post("searches", {"name": "Us in the news", "query": "wikipedia"})
    assert response.status_code in (200, 201), response.content
    search = SavedSearch.objects.get(name="Us in the news")
    entry = AuditEntry.objects.get_for_object(search).get()
    assert entry.actor == member
    assert entry.team_id == team.pk
