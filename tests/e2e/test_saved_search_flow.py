"""A communicator writes a saved search, watches the live preview follow their typing, saves it
and curates its mentions — in a real browser."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from commsdesk.monitoring.models import Mention, Outlet
from tests.fixtures.articles import stored_article

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def archive():
    outlet = Outlet.objects.create(name="Daily Post", domain="daily.example")
    stored_article(
        "museum",
        title="Museum opens in Nairobi",
        text="A Wikipedia editor opened it.",
        outlet=outlet,
    )
    stored_article("watches", title="Cheap watches", text="Nothing of interest.", outlet=outlet)


def test_write_a_search_with_a_live_preview_then_keep_a_mention(
    page, live_server, archive, settings
):
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "ENQUEUE_ON_COMMIT": False,
        }
    }
    get_user_model().objects.create_user("associate", password="correct horse battery")
    page.goto(f"{live_server.url}/")
    page.get_by_label("Username").fill("associate")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Log in").click()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Searches").click()
    page.get_by_role("link", name="New saved search").click()
    page.get_by_label("Name", exact=True).fill("Our encyclopedia")
    page.get_by_label("Query", exact=True).fill("wikipedia AND (")
    page.get_by_text("This '(' is never closed.").wait_for()  # the mistake, while typing
    page.get_by_label("Query", exact=True).fill("wiki* AND nairobi")
    preview = page.locator("#preview")
    preview.get_by_text("Museum opens in Nairobi").wait_for()
    assert preview.locator("mark").first.inner_text() in ("Nairobi", "Wikipedia")
    assert "Cheap watches" not in preview.inner_text()

    page.get_by_role("button", name="Save").click()
    page.get_by_role("heading", name="Our encyclopedia").wait_for()
    page.get_by_role("button", name="Keep").click()
    page.locator(".mention.kept").wait_for()
    assert Mention.objects.get().state == "kept"
