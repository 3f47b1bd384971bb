"""A comms lead writes a talking point, approves it, has it translated, changes the source and
sees the translation flagged stale with what changed — in a real browser."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from commsdesk.accounts.models import Membership, Team
from commsdesk.materials.models import Material

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def lead():
    team = Team.objects.create(name="Communications", slug="comms")
    user = get_user_model().objects.create_user("lead", password="correct horse battery")
    Membership.objects.create(user=user, team=team, role=Membership.Role.EDITOR)
    return user


def test_write_approve_translate_change_and_see_the_translation_stale(page, live_server, lead):
    page.goto(f"{live_server.url}/")
    page.get_by_label("Username").fill("lead")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Log in").click()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Materials").click()
    page.get_by_role("link", name="New material").click()
    page.get_by_label("Kind").select_option("talking_points")
    page.get_by_label("Title").fill("Why Wikipedia is free")
    page.get_by_label("Text (Markdown)").fill("- Knowledge is **free** for 60 million readers.")
    # The live preview renders the Markdown as it is typed.
    page.locator("#preview strong").get_by_text("free").wait_for()
    page.get_by_role("button", name="Save").click()
    page.get_by_role("heading", name="Why Wikipedia is free").wait_for()

    page.get_by_role("button", name="Approve").click()
    page.get_by_text("Approved version 1.").wait_for()
    assert page.locator("#status").inner_text() == "Approved"

    page.get_by_role("link", name="Translate").click()
    page.get_by_label("Language").fill("es")
    page.get_by_label("Title").fill("Por qué Wikipedia es libre")
    page.get_by_role("button", name="Start the translation").click()
    page.get_by_label("Text (Markdown)").fill(
        "- El conocimiento es **libre** para 60 millones de lectores."
    )
    page.get_by_role("button", name="Save").click()
    page.get_by_role("heading", name="Por qué Wikipedia es libre").wait_for()
    assert page.locator(".pill.stale").count() == 0

    page.get_by_role("link", name="Why Wikipedia is free").click()
    page.get_by_role("link", name="Edit").click()
    page.get_by_label("Text (Markdown)").fill("- Knowledge is **free** for 65 million readers.")
    page.get_by_label("What changed").fill("New readership figure")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("It is a draft again").wait_for()
    assert page.locator("#translations .pill.stale").inner_text() == "stale"

    page.get_by_role("link", name="es: Por qué Wikipedia es libre").click()
    page.locator("#translation-of .pill.stale").wait_for()
    changes = page.locator("#source-changes")
    assert changes.locator("del").inner_text() == "60"
    assert changes.locator("ins").inner_text() == "65"

    # The translator brings the change across, seeing it beside the editor, then marks it done.
    page.get_by_role("link", name="Edit").click()
    assert "65" in page.locator("#source-changes-while-editing ins").inner_text()
    page.get_by_label("Text (Markdown)").fill(
        "- El conocimiento es **libre** para 65 millones de lectores."
    )
    page.get_by_role("button", name="Save").click()
    page.locator("#translation-of .pill.stale").wait_for()  # saving alone does not decide it
    page.get_by_role("button", name="Mark as updated").click()
    page.get_by_text("Marked as up to date with version 2").wait_for()
    assert page.locator(".pill.stale").count() == 0
    translation = Material.objects.get(language="es")
    assert translation.source_version == 2

    # The library's search box speaks the article search's language and answers as one types.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Materials").click()
    page.get_by_label("Search", exact=True).fill('"65 millones" NOT free')
    page.locator("#materials").get_by_role("link", name="Why Wikipedia is free").wait_for(
        state="detached"
    )
    assert page.locator("#materials tbody tr").count() == 1
    assert "Por qué Wikipedia es libre" in page.locator("#materials").inner_text()
    page.get_by_label("Search", exact=True).fill("(65")
    page.get_by_text("This search cannot run:").wait_for()
