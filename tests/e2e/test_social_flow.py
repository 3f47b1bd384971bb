"""A communicator follows a Mastodon hashtag, sees its posts arrive as posts, filters the archive
to posts and opens one with its engagement — in a browser, with a real worker."""

from __future__ import annotations

import json
import os
import time

import pytest
from django.contrib.auth import get_user_model

from tests.servers import Route
from tests.workers import start_worker

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("COMMSDESK_E2E_SHOTS")  # a folder: keep screenshots for people to look at


@pytest.fixture
def worker(live_server):
    process = start_worker()
    yield process
    process.terminate()
    process.wait(10)


def shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def test_follow_a_hashtag_and_open_a_post(page, live_server, server, worker):
    status = {
        "id": "109",
        "created_at": "2026-11-20T10:00:00.000Z",
        "url": server.url("/@ana/109"),
        "content": "<p>Volunteers photographed every library in the city</p>",
        "language": "en",
        "account": {"acct": "ana", "display_name": "Ana", "url": server.url("/@ana")},
        "reblog": None,
        "replies_count": 3,
        "reblogs_count": 8,
        "favourites_count": 21,
    }
    server.add(
        "/api/v1/timelines/tag/WikiLovesLibraries",
        Route(json.dumps([status]).encode(), 200, {"Content-Type": "application/json"}),
    )
    get_user_model().objects.create_user("associate", password="correct horse battery")

    page.goto(f"{live_server.url}/")
    page.get_by_label("Username").fill("associate")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Log in").click()
    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_role("link", name="Sources").click()
    page.get_by_role("link", name="Add a source").click()
    page.get_by_role("link", name="Mastodon").click()
    page.get_by_label("Instance").fill(server.url())
    page.get_by_label("A hashtag").check()
    page.get_by_label("What to follow").fill("#WikiLovesLibraries")
    shot(page, "social-add")
    page.get_by_role("button", name="Add source").click()
    page.get_by_text("Mastodon hashtag #WikiLovesLibraries on 127.0.0.1").wait_for()

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        page.reload()
        if page.get_by_text("1 post").count():
            break
        time.sleep(1)
    shot(page, "social-source")
    nav.get_by_role("link", name="Articles").click()
    page.get_by_label("Kind").select_option("post")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Volunteers photographed every library in the city").click()
    page.get_by_text("21 likes · 8 reposts · 3 replies").wait_for()
    shot(page, "social-post")
    link = page.get_by_role("link", name="Open the post on Mastodon ↗")
    assert link.get_attribute("href") == server.url("/@ana/109")
