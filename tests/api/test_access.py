"""Who may read and change what through the API: another team's records are 404, anonymous
callers 401, viewers read only, volunteers see no contact details and approve nothing."""

from __future__ import annotations

import pytest

from tests.api.conftest import ApiClient

pytestmark = pytest.mark.django_db

TEAM_RECORDS = [
    ("searches/{search}", "search"),
    ("searches/{search}/mentions", "search"),
    ("mentions/{mention}", "mention"),
    ("journalists/{journalist}", "journalist"),
    ("spokespeople/{spokesperson}", "spokesperson"),
    ("inquiries/{inquiry}", "inquiry"),
    ("campaigns/{campaign}", "campaign"),
    ("campaigns/{campaign}/report", "campaign"),
    ("materials/{material}", "material"),
    ("drafts/{draft}", "draft"),
]


def _path(template: str, seeded: dict) -> str:
    return template.format(**{k: getattr(v, "pk", None) for k, v in seeded.items()})


@pytest.mark.parametrize("template,_kind", TEAM_RECORDS)
def test_a_member_reads_each_team_record(api, seeded, template, _kind):
    assert api.get(_path(template, seeded)).status_code == 200


@pytest.mark.parametrize("template,_kind", TEAM_RECORDS)
def test_an_outsider_gets_404_for_each_team_record(outsider_api, seeded, template, _kind):
    response = outsider_api.get(_path(template, seeded))
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")


@pytest.mark.parametrize(
    "path",
    ["searches", "journalists", "spokespeople", "inquiries", "campaigns", "materials", "drafts"],
)
def test_an_outsiders_lists_hold_none_of_the_teams_records(outsider_api, seeded, path):
    body = outsider_api.get(path).json()
    assert body["items"] == [] and body["count"] == 0


@pytest.mark.parametrize(
    "path", ["sources", "outlets", "articles", "stories", "searches", "mentions/1", "campaigns"]
)
def test_anonymous_callers_get_401(anonymous, seeded, path):
    response = anonymous.get(path)
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Bearer"


def test_an_outsider_cannot_change_another_teams_records(outsider_api, seeded):
    assert (
        outsider_api.patch(f"mentions/{seeded['mention'].pk}", {"state": "hidden"}).status_code
        == 404
    )
    assert (
        outsider_api.patch(f"searches/{seeded['search'].pk}", {"name": "Mine"}).status_code == 404
    )
    assert (
        outsider_api.patch(f"materials/{seeded['material'].pk}", {"body": "x"}).status_code == 404
    )
    seeded["mention"].refresh_from_db()
    assert seeded["mention"].state == "new"


def test_an_outsider_cannot_create_in_another_team(outsider_api, seeded, team):
    response = outsider_api.post("searches", {"team": team.pk, "name": "X", "query": "x"})
    assert response.status_code == 404


def test_a_viewer_reads_but_cannot_write(viewer, token_for, seeded):
    client = token_for(viewer, "write")
    assert client.get(f"inquiries/{seeded['inquiry'].pk}").status_code == 200
    response = client.patch(f"mentions/{seeded['mention'].pk}", {"state": "kept"})
    assert response.status_code == 403 and "read-only" in response.json()["detail"]
    assert client.post("inquiries", {"topic": "New"}).status_code == 403
    assert client.post("sources", {"url": "https://x.example/feed", "name": "X"}).status_code == 403


def test_a_volunteer_cannot_add_a_source(volunteer, token_for, seeded):
    """Sources are the installation's: on the web only staff add them, and so in the API."""
    from commsdesk.monitoring.models import Source

    client = token_for(volunteer)
    response = client.post("sources", {"url": "https://new.example/feed", "name": "New"})
    assert response.status_code == 403 and "editors and admins" in response.json()["detail"]
    assert not Source.objects.filter(url="https://new.example/feed").exists()


def test_a_volunteer_gets_no_contact_details(volunteer, token_for, seeded):
    client = token_for(volunteer, "read")
    one = client.get(f"journalists/{seeded['journalist'].pk}").json()
    assert one["name"] == "Ana Reporter"
    assert one["email"] is None and one["phone"] is None and one["social"] is None
    listed = client.get("journalists").json()["items"][0]
    assert listed["email"] is None and listed["phone"] is None
    assert client.get(f"spokespeople/{seeded['spokesperson'].pk}").json()["email"] is None
    assert client.get(f"inquiries/{seeded['inquiry'].pk}").json()["reporter_email"] is None
    assert "ana@daily.example" not in client.get("journalists").content.decode()


def test_staff_see_contact_details(api, seeded):
    one = api.get(f"journalists/{seeded['journalist'].pk}").json()
    assert one["email"] == "ana@daily.example" and one["social"]["mastodon"]
    assert api.get(f"inquiries/{seeded['inquiry'].pk}").json()["reporter_email"]


def test_a_volunteer_cannot_record_a_reporters_email(volunteer, token_for, seeded):
    client = token_for(volunteer)
    response = client.post("inquiries", {"topic": "Q", "reporter_email": "x@daily.example"})
    assert response.status_code == 422 and "contact details" in str(response.json()["errors"])


def test_a_volunteer_cannot_approve(volunteer, token_for, seeded):
    client = token_for(volunteer)
    material = seeded["material"]
    assert client.post(f"materials/{material.pk}/workflow", {"step": "submit"}).status_code == 200
    response = client.post(f"materials/{material.pk}/workflow", {"step": "approve"})
    assert response.status_code == 403 and "staff" in response.json()["detail"]
    material.refresh_from_db()
    assert material.status == "in_review"


def test_an_editor_approves_and_a_new_text_returns_it_to_draft(api, seeded):
    material = seeded["material"]
    response = api.post(f"materials/{material.pk}/workflow", {"step": "approve"})
    assert response.status_code == 200 and response.json()["status"] == "approved"
    changed = api.patch(f"materials/{material.pk}", {"body": "We are volunteers.", "note": "API"})
    body = changed.json()
    assert body["version"] == 2 and body["status"] == "draft" and body["approved_version"] == 1


def test_a_browser_session_reads_and_needs_csrf_to_write(member, seeded):
    client = ApiClient(enforce_csrf_checks=True)
    client.client.force_login(member)
    assert client.get("searches").status_code == 200
    response = client.patch(f"mentions/{seeded['mention'].pk}", {"state": "kept"})
    assert response.status_code == 403 and "CSRF" in response.json()["detail"]
    seeded["mention"].refresh_from_db()
    assert seeded["mention"].state == "new"


def test_a_browser_session_writes_with_the_csrf_token(member, seeded):
    client = ApiClient(enforce_csrf_checks=True)
    client.client.force_login(member)
    client.client.get("/accounts/preferences/")  # sets the CSRF cookie, as the docs page does
    client.headers = {"X-CSRFToken": client.client.cookies["csrftoken"].value}
    response = client.patch(f"mentions/{seeded['mention'].pk}", {"state": "kept"})
    assert response.status_code == 200 and response.json()["state"] == "kept"
