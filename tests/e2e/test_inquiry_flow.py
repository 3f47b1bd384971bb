"""A press officer logs a journalist's inquiry with a deadline in the journalist's time zone,
assigns a spokesperson, records the response and finds it on the board — in a real browser."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.contrib.auth import get_user_model

from commsdesk.accounts.models import Membership, Profile, Team
from commsdesk.relations.models import Inquiry, Spokesperson

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_log_an_inquiry_assign_a_spokesperson_answer_it_and_see_it_on_the_board(page, live_server):
    user = get_user_model().objects.create_user("associate", password="correct horse battery")
    team = Team.objects.create(name="Communications", slug="comms")
    Membership.objects.create(user=user, team=team, role="editor")
    Profile.objects.create(user=user, timezone="Europe/London")
    Spokesperson.objects.create(team=team, name="Dr Amara Diallo", languages=["en", "fr"])

    page.goto(f"{live_server.url}/")
    page.get_by_label("Username").fill("associate")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Log in").click()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Relations").click()
    page.get_by_role("link", name="Log an inquiry").click()
    page.get_by_label("Topic").fill("Flood relief in Sindh")
    page.get_by_label("Reporter (if not in your contacts)").fill("Sam Lee")
    page.get_by_label("Questions").fill("How many families have you reached?")
    page.get_by_label("Deadline", exact=True).fill("2036-01-15T17:00")
    page.get_by_label("Deadline time zone").select_option("America/New_York")
    page.get_by_role("button", name="Log inquiry").click()

    page.get_by_role("heading", name="Flood relief in Sindh").wait_for()
    deadline = page.locator("#inquiry-deadline").inner_text()
    assert "Tue 15 Jan 2036, 22:00" in deadline  # the associate's London clock
    assert "17:00 for the journalist (America/New_York)" in deadline

    page.get_by_label("Spokesperson").select_option(label="Dr Amara Diallo")
    page.get_by_role("button", name="Assign").click()
    page.get_by_text("Assigned.").wait_for()
    assert page.locator("#inquiry-status").inner_text() == "Assigned"
    assert page.locator("#inquiry-spokesperson").inner_text() == "Dr Amara Diallo"

    page.get_by_label("Response sent to the journalist").fill("We have reached 12,000 families.")
    page.get_by_role("button", name="Mark answered").click()
    page.get_by_text("Now answered.").wait_for()
    assert "12,000 families" in page.locator("#inquiry-response").inner_text()

    page.get_by_role("link", name="← Inquiries due").click()
    page.get_by_text("No open press inquiries.").wait_for()
    page.get_by_role("link", name="Include answered and declined").click()
    row = page.locator("#inquiry-board tr.inquiry", has_text="Flood relief in Sindh")
    assert "Answered" in row.inner_text() and "Dr Amara Diallo" in row.inner_text()

    inquiry = Inquiry.objects.get()
    assert inquiry.deadline == datetime(2036, 1, 15, 22, 0, tzinfo=UTC)
    assert inquiry.first_response_at and inquiry.closed_at
