"""A comms lead sets up a monthly report email and downloads a campaign's PDF — in a real browser.

The download starts from the report page, which the campaign pages provide (with the report
builder): that test skips until they are there.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth import get_user_model

from commsdesk.accounts.models import Membership, Team
from commsdesk.campaigns.models import Campaign, ReportSchedule

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def campaign():
    team = Team.objects.create(name="Communications", slug="comms")
    user = get_user_model().objects.create_user("lead", password="correct horse battery")
    Membership.objects.create(user=user, team=team, role=Membership.Role.EDITOR)
    return Campaign.objects.create(
        team=team, name="Open Knowledge Week", starts_on=date(2026, 9, 1)
    )


def _log_in(page, live_server) -> None:
    page.goto(f"{live_server.url}/")
    page.get_by_label("Username").fill("lead")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Log in").click()


def test_add_a_monthly_report_email_fix_a_typo_and_remove_it(page, live_server, campaign):
    _log_in(page, live_server)
    page.goto(f"{live_server.url}/campaigns/{campaign.pk}/schedules/")
    page.get_by_label("Frequency").select_option("monthly")
    page.get_by_label("Recipients").fill("board@example.org\nlead@example")
    page.get_by_role("button", name="Add", exact=True).click()
    page.get_by_text("Not an email address: lead@example").wait_for()
    assert "board@example.org" in page.get_by_label("Recipients").input_value()  # kept
    page.get_by_label("Recipients").fill("board@example.org\nlead@example.org")
    page.get_by_role("button", name="Add", exact=True).click()
    page.get_by_text("Monthly report added: the first goes out").wait_for()
    assert ReportSchedule.objects.get().recipients == ["board@example.org", "lead@example.org"]
    page.get_by_role("button", name="Remove the monthly report").click()
    page.get_by_text("Monthly report removed.").wait_for()
    assert not ReportSchedule.objects.exists()


def test_download_the_pdf_from_the_report_page(page, live_server, campaign):
    pytest.importorskip("commsdesk.campaigns.assemble")
    _log_in(page, live_server)
    page.goto(f"{live_server.url}/campaigns/{campaign.pk}/report/")
    with page.expect_download() as download:
        page.locator("a[href*='report.pdf']").first.click()
    assert download.value.suggested_filename.startswith("open-knowledge-week_")
    assert download.value.suggested_filename.endswith(".pdf")
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
