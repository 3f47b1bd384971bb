"""Fixtures shared by the whole suite: the shared corpus and a local HTTP server."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.servers import LocalServer

# Tests fetch from servers they start on 127.0.0.1, quickly; subprocesses inherit these.
os.environ.setdefault("COMMSDESK_ALLOW_PRIVATE_NETWORKS", "1")
os.environ.setdefault("COMMSDESK_POLITENESS_DELAY", "0")
os.environ.setdefault("COMMSDESK_FETCH_TIMEOUT", "5")

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


@pytest.fixture(autouse=True, scope="session")
def _fetch_locally() -> None:
    """pytest-django may read settings before this file sets the environment: set both."""
    from django.conf import settings

    settings.COMMSDESK_ALLOW_PRIVATE_NETWORKS = True
    settings.COMMSDESK_POLITENESS_DELAY = 0.0
    settings.COMMSDESK_FETCH_TIMEOUT = 5.0


@pytest.fixture(scope="session")
def corpus() -> Path:
    """../shared/corpus; tests that read it skip cleanly when it is absent."""
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not present")
    return CORPUS


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with LocalServer() as running:
        yield running


@pytest.fixture
def team(db):
    """The communications team whose records the tests look at."""
    from commsdesk.accounts.models import Team

    return Team.objects.create(name="Communications", slug="comms")


@pytest.fixture
def member(db, team, django_user_model):
    """A person in `team`, with an email address for alerts and digests."""
    from commsdesk.accounts.models import Membership

    user = django_user_model.objects.create_user("ana", "ana@example.org", "a-long-test-password")
    Membership.objects.create(user=user, team=team, role=Membership.Role.EDITOR)
    return user


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


@pytest.fixture
def outsider(db, django_user_model):
    """Someone from another team: every team-owned page must be a 404 for them."""
    from commsdesk.accounts.models import Membership, Team

    other = Team.objects.create(name="Another team", slug="other")
    user = django_user_model.objects.create_user("eve", "eve@example.org", "another-password-1")
    Membership.objects.create(user=user, team=other, role=Membership.Role.EDITOR)
    return user


@pytest.fixture
def immediate_tasks(settings):
    """Tasks run when enqueued (not on commit: a test's transaction never commits)."""
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "ENQUEUE_ON_COMMIT": False,
        }
    }


@pytest.fixture(autouse=True)
def _forget_compiled_searches():
    """The percolator is cached per process; each test starts from its own saved searches."""
    import sys

    yield
    matching = sys.modules.get("commsdesk.ingest.matching")
    if matching is not None:
        matching.forget()


@pytest.fixture
def smtp(settings):
    """A real SMTP server on 127.0.0.1 that Django's SMTP backend sends to; yields its inbox."""
    from tests.fixtures.mail import MailServer

    with MailServer() as mail:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = mail.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_TIMEOUT = 5
        settings.COMMSDESK_BASE_URL = "https://desk.example.org"
        yield mail.inbox
