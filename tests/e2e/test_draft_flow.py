"""In a real browser: a communicator writes a social post and watches the per-network counters
change as they type, inserts an approved statistic where the cursor is, sees the preview, and
approves it once it fits."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from commsdesk.accounts.models import Membership, Team
from commsdesk.materials.models import Draft, Status
from tests.materials.drafting_records import statistic

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_write_a_post_watch_the_counters_insert_a_statistic_and_approve(page, live_server):  # noqa: F811
    user = get_user_model().objects.create_user("associate", password="correct horse battery")
    team = Team.objects.create(name="Communications", slug="comms")
    Membership.objects.create(user=user, team=team, role="editor")
    statistic(team, "Articles on English Wikipedia", "6912345", slug="articles-en", unit="articles")

    page.goto(f"{live_server.url}/")
    page.get_by_label("Username").fill("associate")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{live_server.url}/materials/drafts/new/?kind=social_post")

    post = page.get_by_label("Post", exact=True)
    post.fill("中" * 141)
    counters = page.locator("#social-counts")
    counters.get_by_text("282 / 280 — 2 over").wait_for()
    assert "141 / 300" in counters.inner_text()  # Bluesky counts graphemes
    page.get_by_label("Bluesky").uncheck()
    # A locator assertion polls without eval (the page's CSP forbids it).
    expect(counters).not_to_contain_text("300")

    page.get_by_label("Search").fill("pageviews")
    page.get_by_text("No approved statistics match.").wait_for()
    page.get_by_label("Search").fill("articles")
    page.get_by_role("button", name="Insert").wait_for()

    post.fill("Wikipedia now has  in English.")
    post.press("End")
    for _ in " in English.":
        post.press("ArrowLeft")  # the cursor goes back between "has " and " in"
    page.get_by_role("button", name="Insert").first.click()
    page.get_by_text("Inserted “6,912,345 articles”").wait_for()
    assert post.input_value() == "Wikipedia now has 6,912,345 articles in English."
    page.locator("#draft-preview").get_by_text("6,912,345 articles").wait_for()

    page.get_by_role("button", name="Save").click()
    page.get_by_role("heading", name="What it cites").wait_for()
    assert "Articles on English Wikipedia" in page.locator("#draft-cites").inner_text()
    page.get_by_role("button", name="Approve").click()
    page.get_by_text("now approved").wait_for()

    draft = Draft.objects.get()
    assert draft.status == Status.APPROVED and draft.networks == ["x", "mastodon"]
