"""A communicator adds a key statistic from a Wikimedia preset (served by a local stand-in for
the API), sees it read, approves it, and sees a failing refresh keep the value and say why — in a
real browser."""

from __future__ import annotations

import json
import os

import pytest
from django.contrib.auth import get_user_model

from commsdesk.accounts.models import Membership, Team
from commsdesk.materials.models import KeyStatistic
from tests.servers import LocalServer, Route

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("COMMSDESK_SCREENSHOTS")  # a folder to keep screenshots in, when set


def shoot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"statistics-{name}.png"), full_page=True)


def test_add_a_statistic_from_a_preset_approve_it_and_see_a_failed_refresh(
    page, live_server, settings
):
    user = get_user_model().objects.create_user("associate", password="correct horse battery")
    team = Team.objects.create(name="Communications", slug="comms")
    Membership.objects.create(user=user, team=team, role="editor")
    answer = {"query": {"statistics": {"articles": 2_012_345, "activeusers": 14_567}}}

    with LocalServer() as wikimedia:
        settings.COMMSDESK_WIKIMEDIA_API_BASE = wikimedia.url("")
        wikimedia.add(
            "/es.wikipedia.org/w/api.php",
            Route(json.dumps(answer).encode(), 200, {"Content-Type": "application/json"}),
        )

        page.goto(f"{live_server.url}/materials/statistics/")
        page.get_by_label("Username").fill("associate")
        page.get_by_label("Password").fill("correct horse battery")
        page.get_by_role("button", name="Log in").click()

        page.get_by_role("link", name="Add a statistic").click()
        page.get_by_label("Name", exact=True).fill("Articles in Spanish Wikipedia")
        page.get_by_label("Unit", exact=True).fill("articles")
        page.get_by_label("Stale after (days)").fill("30")
        page.get_by_label("A Wikimedia preset").check()
        page.get_by_label("Preset", exact=True).select_option(
            label="Articles in a Wikipedia edition"
        )
        page.get_by_label("Wikipedia language").fill("es")
        page.get_by_role("button", name="Try the source").click()
        assert page.locator("#source-try-value").inner_text() == "2,012,345"
        shoot(page, "form")
        page.get_by_role("button", name="Save").click()

        page.get_by_text("added as a draft").wait_for()
        assert page.locator("#value").inner_text() == "2,012,345 articles"
        page.get_by_role("button", name="Approve").click()
        page.get_by_text("Approve: now approved.").wait_for()

        wikimedia.routes["/es.wikipedia.org/w/api.php"] = Route(b"down", 503)
        page.get_by_role("button", name="Refresh now").click()
        page.get_by_text("Refresh failed, the last value is kept.").wait_for()
        assert page.locator("#value").inner_text() == "2,012,345 articles"
        assert "503" in page.locator("#live").inner_text()
        shoot(page, "detail")

        page.get_by_role("link", name="Key statistics").first.click()
        row = page.locator("#statistics tbody tr", has_text="Articles in Spanish Wikipedia")
        assert "Approved" in row.inner_text() and "Last refresh failed" in row.inner_text()
        assert "Cite as articles-in-spanish-wikipedia" in row.inner_text()
        shoot(page, "list")

    assert KeyStatistic.objects.get().status == "approved"
