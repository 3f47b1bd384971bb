"""Signing in as a given role in a team, for the spokespeople, training and speaking tests."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.test import Client

from commsdesk.accounts.models import Membership, Team


def person_in(team: Team, role: str, username: str):
    user = get_user_model().objects.create_user(username, f"{username}@example.org", "pw-123456789")
    Membership.objects.create(user=user, team=team, role=role)
    return user


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client
