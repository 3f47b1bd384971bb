"""schemathesis against the live OpenAPI schema: every operation, called with generated valid and
invalid input by a read-and-write token on seeded data, never answers 5xx.

The WSGI application is the real one (middleware, URL map, database); requests run in the test's
transaction, so nothing they write outlives the test. Examples per operation are bounded to keep
the run under a minute.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig

from commsdesk.accounts.models import ApiToken

# Per operation (36 with their methods): about a minute on the 2-core machine. Raise it to search
# harder before a release: COMMSDESK_FUZZ_EXAMPLES=100.
EXAMPLES = int(os.environ.get("COMMSDESK_FUZZ_EXAMPLES", "5"))


# Loaded when the module is collected: the schema endpoint reads no database. (schemathesis's
# lazy `from_fixture` loader does not work with pytest 9.)
schema = schemathesis.openapi.from_wsgi(
    "/api/v1/openapi.json",
    get_wsgi_application(),
    config=SchemathesisConfig.from_dict({"phases": {"coverage": {"enabled": False}}}),
)


@pytest.fixture
def keep_the_test_transaction(db):
    """As Django's test client does: a request's end must not close the test's connection (it
    would end the transaction the seeded data lives in)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def write_token(keep_the_test_transaction, member, seeded, settings) -> str:
    settings.COMMSDESK_API_RATE = "1000000/minute"  # fuzzing is not a flood to slow down
    settings.DEBUG = False  # a crash must surface as the 500 production would send
    _, secret = ApiToken.issue(member, name="fuzz", scope="write")
    return secret


@pytest.mark.fuzz
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_no_input_makes_the_api_answer_5xx(case, write_token):
    case.call_and_validate(
        headers={"Authorization": f"Bearer {write_token}"}, checks=[not_a_server_error]
    )
