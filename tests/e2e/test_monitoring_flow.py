"""A communicator adds a source, watches articles arrive, searches, opens one — in a browser."""

from __future__ import annotations

import time

import pytest
from django.contrib.auth import get_user_model

from tests.fixtures.site import serve_gazette
from tests.workers import start_worker

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker(live_server):
    process = start_worker()
    yield process
    process.terminate()
    process.wait(10)


def test_add_a_source_see_articles_arrive_search_and_open_one(page, live_server, server, worker):
    get_user_model().objects.create_user("associate", password="correct horse battery")
    serve_gazette(server)

    page.goto(f"{live_server.url}/")
    page.get_by_label("Username").fill("associate")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Log in").click()

    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_role("link", name="Sources").click()
    page.get_by_role("link", name="Add a source").click()
    page.get_by_label("Feed or website address").fill(server.url("/feed.xml"))
    page.get_by_role("button", name="Add source").click()
    page.get_by_text("Added “Test Gazette”").wait_for()

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        nav.get_by_role("link", name="Articles").click()
        if page.get_by_role("link", name="Volunteers write local history").count():
            break
        time.sleep(1)
    page.get_by_role("link", name="Bloqueos antes de las elecciones").wait_for()

    page.get_by_role("searchbox").fill("bibliotecas OR librarians")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Volunteers write local history").click()
    page.get_by_text("two thousand new articles").wait_for()
    assert (
        page.get_by_role("link", name="Read the original ↗")
        .get_attribute("href")
        .endswith("/news/volunteers.html")
    )
