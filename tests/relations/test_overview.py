"""The Relations front page counts only the person's own team's records."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from commsdesk.accounts.models import Team
from commsdesk.relations.models import Inquiry, Journalist

pytestmark = pytest.mark.django_db


def test_it_shows_my_teams_open_inquiries_by_deadline_and_counts(member_client, team, outsider):
    soon = timezone.now() + timedelta(hours=3)
    Inquiry.objects.create(team=team, topic="Data leak rumour", deadline=soon)
    Inquiry.objects.create(team=team, topic="Old question", status="answered")
    Inquiry.objects.create(team=team, topic="Late", deadline=timezone.now() - timedelta(hours=1))
    Journalist.objects.create(team=team, name="Ana Reporter")
    other = Team.objects.get(slug="other")
    Inquiry.objects.create(team=other, topic="Their secret inquiry")

    response = member_client.get(reverse("relations:overview"))

    html = response.content.decode()
    assert [i.topic for i in response.context["due"]] == ["Late", "Data leak rumour"]
    assert response.context["overdue"] == 1
    assert response.context["counts"]["journalists"] == 1
    assert "Their secret inquiry" not in html


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(reverse("relations:overview"))
    assert response.status_code == 302 and "/login/" in response.url
