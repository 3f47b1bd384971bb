"""The API's rate limit (429 with Retry-After, per token and per address), its OpenAPI schema
and docs page, campaign report data and drafts."""

from __future__ import annotations

import pytest

from commsdesk.accounts.models import ApiToken
from commsdesk.api.throttle import parse_rate
from tests.api.conftest import ApiClient

pytestmark = pytest.mark.django_db


def test_requests_over_the_rate_get_429_with_retry_after(api, reader, seeded, settings):
    settings.COMMSDESK_API_RATE = "3/minute"
    assert [api.get("sources").status_code for _ in range(3)] == [200, 200, 200]
    refused = api.get("sources")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60 and "Retry-After" in refused.json()["detail"]
    # Counted per token: the same person's other token still has its own allowance.
    assert reader.get("sources").status_code == 200


def test_callers_without_a_valid_token_are_limited_by_address(anonymous, settings, member):
    settings.COMMSDESK_API_RATE = "2/minute"
    guesses = [ApiClient("cdk_guess" + str(i)).get("sources").status_code for i in range(2)]
    assert guesses == [401, 401]
    assert anonymous.get("sources").status_code == 429
    _, secret = ApiToken.issue(member, name="real")
    assert ApiClient(secret).get("sources").status_code == 200


@pytest.mark.parametrize(
    "rate,expected", [("120/minute", (120, 60)), ("5000/hour", (5000, 3600)), ("10/5s", (10, 5))]
)
def test_rates_read_as_people_write_them(rate, expected):
    assert parse_rate(rate) == expected


def test_a_rate_that_cannot_be_read_fails_loudly():
    with pytest.raises(Exception, match="COMMSDESK_API_RATE"):
        parse_rate("lots")


def test_the_openapi_schema_and_docs_are_served(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["info"]["title"] == "commsdesk API"
    assert {"/api/v1/articles", "/api/v1/campaigns/{pk}/report", "/api/v1/inquiries"} <= set(
        schema["paths"]
    )
    assert schema["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200 and b"swagger" in docs.content.lower()


def test_the_campaign_report_is_served_as_data(api, seeded):
    campaign = seeded["campaign"]
    body = api.get(f"campaigns/{campaign.pk}/report", {"start": "2026-01-01"}).json()
    assert body["campaign_id"] == campaign.pk and body["period_start"] == "2026-01-01"
    keys = [s["key"] for s in body["sections"]]
    assert "output" in keys and body["methodology"]
    labels = [f["label"] for s in body["sections"] for f in s["figures"]]
    assert labels


def test_a_report_period_that_cannot_be_used_is_a_400(api, seeded):
    campaign = seeded["campaign"]
    response = api.get(
        f"campaigns/{campaign.pk}/report", {"start": "2026-03-01", "end": "2026-02-01"}
    )
    assert response.status_code == 400 and "before the start" in response.json()["detail"]


def test_a_draft_is_written_and_edited(api, seeded):
    created = api.post("drafts", {"kind": "media_response", "title": "Our answer", "body": "Yes."})
    assert created.status_code == 201
    draft_id = created.json()["id"]
    edited = api.patch(f"drafts/{draft_id}", {"body": "Yes, and thank you."})
    assert edited.json()["body"] == "Yes, and thank you." and edited.json()["title"] == "Our answer"


def test_a_social_post_needs_a_network(api, seeded):
    response = api.post("drafts", {"kind": "social_post", "body": "Happy birthday!"})
    assert response.status_code == 422 and "networks" in response.json()["errors"]


def test_an_inquiry_is_logged_with_its_deadline_in_the_journalists_zone(api, seeded, team):
    response = api.post(
        "inquiries",
        {
            "topic": "Election coverage",
            "deadline_local": "2026-12-01T17:00",
            "deadline_timezone": "Europe/Paris",
            "journalist": seeded["journalist"].pk,
        },
    )
    assert response.status_code == 201, response.json()
    assert response.json()["deadline"].startswith("2026-12-01T16:00")


def test_a_made_up_forwarded_for_does_not_dodge_the_address_limit(settings):
    settings.COMMSDESK_API_RATE = "2/minute"
    codes = [
        ApiClient(HTTP_X_FORWARDED_FOR=f"10.0.0.{i}").get("sources").status_code for i in range(3)
    ]
    assert codes == [401, 401, 429]
