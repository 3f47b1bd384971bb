"""A comms lead opens an incident with its own saved search, attaches the approved holding
statement from the library, adds a decision to the timeline and generates the situation
report (page and PDF) — in a real browser."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from commsdesk.accounts.models import Membership, Profile, Team
from commsdesk.materials.models import Material, Status
from commsdesk.operations.models import Incident

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_open_an_incident_attach_a_holding_statement_and_generate_the_situation_report(
    page, live_server
):
    user = get_user_model().objects.create_user(
        "lead", "lead@example.org", password="correct horse battery"
    )
    team = Team.objects.create(name="Communications", slug="comms")
    Membership.objects.create(user=user, team=team, role="editor")
    Profile.objects.create(user=user, timezone="Europe/Berlin")
    Material.objects.create(
        team=team,
        kind=Material.Kind.HOLDING_STATEMENT,
        title="Holding statement: access blocked",
        body="We are aware that Wikipedia cannot be reached in some countries.",
        status=Status.APPROVED,
        version=1,
        approved_version=1,
    )

    page.goto(f"{live_server.url}/")
    page.get_by_label("Username").fill("lead")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Log in").click()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Operations").click()
    page.get_by_role("navigation", name="In this area").get_by_role(
        "link", name="Crisis room"
    ).click()
    page.get_by_role("link", name="Open an incident").click()
    page.get_by_label("Title").fill("Wikipedia blocked in Freedonia")
    page.get_by_label("Severity").select_option("high")
    page.get_by_label("Holding statement: access blocked").check()
    page.get_by_label("New saved search: name").fill("Freedonia block")
    page.get_by_label("New saved search: query").fill("wikipedia AND (block OR blocked)")
    page.get_by_role("button", name="Open the incident").click()

    page.get_by_role("heading", name="Wikipedia blocked in Freedonia").wait_for()
    lines = page.locator("#incident-lines").inner_text()
    assert "Holding statement: access blocked" in lines and "Approved" in lines
    # The live panel loads by itself (htmx) and says what it follows.
    page.locator("#coverage").get_by_text("mentions in 48 h").wait_for()

    page.get_by_label("Kind").select_option("decision")
    page.get_by_label("What happened or was decided").fill("Publish the holding statement now.")
    page.get_by_role("button", name="Add to the timeline").click()
    page.get_by_text("Added to the timeline.").wait_for()

    page.get_by_role("link", name="Situation report").click()
    report = page.locator("#sitrep")
    report.get_by_text("We are aware that Wikipedia cannot be reached").wait_for()
    text = report.inner_text()
    assert "Severity: High" in text and "Publish the holding statement now." in text
    assert "0 mentions" in text

    with page.expect_download() as download:
        page.get_by_role("link", name="Download PDF").click()
    path = download.value.path()
    with open(path, "rb") as pdf:
        assert pdf.read(4) == b"%PDF"

    incident = Incident.objects.get()
    assert incident.searches.get().name == "Freedonia block"
    assert incident.timeline.filter(kind="decision").exists()
