"""The seeded team (one record of every kind) and the people who ask for its pages."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.relations.roles import client_for, person_in
from tests.web.team_records import seed


@pytest.fixture(autouse=True)
def _quick_passwords(settings):
    """Several people per test: a fast hash instead of the deliberately slow real one."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(team, member, outsider, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    records = seed(team, member)
    records["owner"] = member
    volunteer = person_in(team, "volunteer", "vera")
    return {
        "records": records,
        "anonymous": Client(),
        "outsider": client_for(outsider),
        "volunteer": client_for(volunteer),
        "editor": client_for(member),
    }
