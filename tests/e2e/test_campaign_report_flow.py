"""A comms lead builds a campaign, adds a KPI, opens its report and follows a figure to the
mentions behind it — in a real browser. (The PDF download step joins with the report outputs.)"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from commsdesk.accounts.models import Membership, Team
from commsdesk.monitoring.models import Mention, Outlet, SavedSearch
from tests.fixtures.articles import stored_article

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def coverage():
    team = Team.objects.create(name="Communications", slug="comms")
    user = get_user_model().objects.create_user("lead", password="correct horse battery")
    Membership.objects.create(user=user, team=team, role=Membership.Role.EDITOR)
    search = SavedSearch.objects.create(team=team, name="Our encyclopedia", query="wikipedia")
    outlet = Outlet.objects.create(
        name="Daily Post", domain="daily.example", tier=1, monthly_audience=120_000
    )
    now = timezone.now()
    found = stored_article(
        "museum", title="Museum opens with Wikipedia editors", outlet=outlet, sort_at=now
    )
    Mention.objects.create(saved_search=search, article=found, sort_at=now)
    return search


def test_build_a_campaign_and_follow_its_report_to_the_mentions(page, live_server, coverage):
    page.goto(f"{live_server.url}/")
    page.get_by_label("Username").fill("lead")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Log in").click()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Campaigns").click()
    page.get_by_role("link", name="New campaign").click()
    page.get_by_label("Name").fill("Open knowledge week")
    week_ago = (timezone.now() - timedelta(days=7)).date().isoformat()
    page.get_by_label("Starts on").fill(week_ago)
    page.get_by_label("Objectives").fill("Be heard in the national press.")
    page.get_by_label("Our encyclopedia").check()
    page.get_by_role("button", name="Save").click()
    page.get_by_role("heading", name="Open knowledge week").wait_for()

    page.locator("#kpis summary").click()
    page.locator("#kpis form").get_by_label("Name").fill("Stories")
    page.locator("#kpis form").get_by_label("Measured by").select_option("stories")
    page.locator("#kpis form").get_by_label("Target").fill("4")
    page.get_by_role("button", name="Add KPI").click()
    page.locator("#kpis table").get_by_text("Stories").first.wait_for()

    page.get_by_role("link", name="Open the report").click()
    page.get_by_role("heading", name="Outputs").wait_for()
    assert "25% of target 4" in page.locator("#output").inner_text()
    assert "Be heard in the national press." in page.locator("#objective").inner_text()
    assert page.locator("#output figure.chart svg").count() >= 1

    with page.expect_download() as download:
        page.get_by_role("link", name="Download PDF").click()
    pdf = download.value
    assert pdf.suggested_filename.endswith(".pdf")
    with open(pdf.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"

    page.get_by_role("link", name="Stories: 1, see the mentions").click()
    page.get_by_role("heading", name="Mentions behind the figure").wait_for()
    assert page.get_by_role("link", name="Museum opens with Wikipedia editors").is_visible()
