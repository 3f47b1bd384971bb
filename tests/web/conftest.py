"""The seeded team (one record of every kind) and the people who ask for its pages."""

from __future__ import annotations

import pytest
from django.test import Client

from commsdesk.accounts.models import Profile
from tests.relations.roles import client_for, person_in
from tests.web.team_records import seed


@pytest.fixture(autouse=True)
def _quick_passwords(settings):
    """Several people per test: a fast hash instead of the deliberately slow real one."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(team, member, outsider, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Every API route is asked several times per test by the same people: no 429 in between.
    settings.COMMSDESK_API_RATE = "100000/minute"
    records = seed(team, member)
    records["owner"] = member
    volunteer = person_in(team, "volunteer", "vera")
    for person in (member, outsider, volunteer):
        # Their preferences row, as after a first visit: a page made in the person's time zone
        # creates it (and its audit entry), which is not a change a refused request made.
        Profile.of(person)
    return {
        "records": records,
        "anonymous": Client(),
        "outsider": client_for(outsider),
        "volunteer": client_for(volunteer),
        "editor": client_for(member),
    }
