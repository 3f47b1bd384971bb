"""A communicator composes a pitch from a template, previews two journalists' copies, sends it
and reads each copy's status — in a real browser, with a real SMTP server."""

from __future__ import annotations

import os

import pytest
from django.contrib.auth import get_user_model

from commsdesk.accounts.models import Membership, Team
from commsdesk.relations.models import PitchTemplate
from tests.relations.pitch_fixtures import journalist, media_list

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_compose_from_a_template_preview_each_copy_send_and_see_statuses(
    page, live_server, smtp, settings
):
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "ENQUEUE_ON_COMMIT": False,
        }
    }
    team = Team.objects.create(name="Comms", slug="comms")
    user = get_user_model().objects.create_user(
        "associate", "associate@org.example", "correct horse battery", first_name="Ana"
    )
    Membership.objects.create(user=user, team=team, role=Membership.Role.EDITOR)
    bruno = journalist(team, "Bruno Costa", outlet="Gazette", beats=["climate"])
    chidi = journalist(team, "Chidi Okafor", outlet="Daily Wire", beats=["health"])
    media_list(team, bruno, chidi, name="Science desks")
    PitchTemplate.objects.create(
        team=team,
        name="Report launch",
        subject="For {{ outlet }}: our report",
        body="Dear {{ first_name }},\n\nYou cover {{ beat }}.\n\n{{ sender_name }}",
    )

    page.goto(f"{live_server.url}/")
    page.get_by_label("Username").fill("associate")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Relations").click()
    page.locator("#relations-links").get_by_role("link", name="Pitches").click()
    page.get_by_role("link", name="New pitch", exact=True).click()
    page.get_by_label("Start from a template").select_option(label="Report launch")
    page.get_by_role("button", name="Use template").click()
    page.get_by_label("Send to media list").select_option(label="Science desks")
    page.get_by_role("button", name="Save draft").click()

    preview = page.locator("#preview")
    preview.get_by_text("For Gazette: our report").wait_for()
    page.get_by_label("Preview the copy for").select_option(label="Chidi Okafor")
    preview.get_by_text("For Daily Wire: our report").wait_for()  # swapped in by htmx
    assert "You cover health." in preview.inner_text()
    _shot(page, "pitch")

    page.get_by_role("button", name="Send to 2 journalists").click()
    page.get_by_role("heading", name="Status of each copy").wait_for()
    assert page.locator(".pill.sent").count() == 2
    _shot(page, "pitch-status")
    assert sorted(m["X-Envelope-To"] for m in smtp.messages) == [
        "bruno@news.example",
        "chidi@news.example",
    ]


def _shot(page, name: str) -> None:
    """Screenshots for a person reviewing the UI, when COMMSDESK_SCREENSHOTS names a folder."""
    folder = os.environ.get("COMMSDESK_SCREENSHOTS")
    if folder:
        page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=True)
