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
