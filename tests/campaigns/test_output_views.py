"""The download addresses: /campaigns/<pk>/report.pdf|.xlsx|.csv?start=&end=, scoped to the team.

Most tests stand in for the report builder (`assemble.build_report`, written by the report pages
in parallel and absent from this branch) with the hand-built report; the last ones use the real
builder when it is there.
"""

from __future__ import annotations

import dataclasses
import io
import zipfile
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from commsdesk.campaigns.models import Campaign
from commsdesk.campaigns.views import outputs
from tests.fixtures.reports import sample_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(team):
    return Campaign.objects.create(
        team=team, name="Open Knowledge Week", starts_on=date(2026, 9, 1)
    )


@pytest.fixture
def built(monkeypatch) -> list[tuple]:
    """Stand in for the report builder; records what it was asked for."""
    calls: list[tuple] = []

    def build(campaign, start, end):
        calls.append((campaign.pk, start, end))
        report = sample_report(period_start=start, period_end=end)
        return dataclasses.replace(report, campaign_id=campaign.pk)

    monkeypatch.setattr(outputs, "build_report", build)
    return calls


def _url(name: str, campaign: Campaign, query: str = "?start=2026-10-01&end=2026-10-31") -> str:
    return reverse(f"campaigns:{name}", args=[campaign.pk]) + query


def test_the_urls_are_the_agreed_addresses(campaign):
    assert _url("report_pdf", campaign, "") == f"/campaigns/{campaign.pk}/report.pdf"
    assert _url("report_xlsx", campaign, "") == f"/campaigns/{campaign.pk}/report.xlsx"
    assert _url("report_csv", campaign, "") == f"/campaigns/{campaign.pk}/report.csv"


def test_a_member_downloads_the_pdf_named_for_the_campaign_and_period(
    member_client, campaign, built
):
    reply = member_client.get(_url("report_pdf", campaign))
    assert reply.status_code == 200 and reply["Content-Type"] == "application/pdf"
    assert reply.content.startswith(b"%PDF-")
    assert reply["Content-Disposition"] == (
        'attachment; filename="open-knowledge-week_2026-10-01_2026-10-31.pdf"'
    )
    assert built == [(campaign.pk, date(2026, 10, 1), date(2026, 10, 31))]


def test_a_member_downloads_the_xlsx_with_every_sheet(member_client, campaign, built):
    reply = member_client.get(_url("report_xlsx", campaign))
    assert reply.status_code == 200
    assert "open-knowledge-week_2026-10-01_2026-10-31.xlsx" in reply["Content-Disposition"]
    book = load_workbook(io.BytesIO(b"".join(reply.streaming_content)), read_only=True)
    assert book.sheetnames == ["Summary", "Outlets", "Key messages", "Mentions"]


def test_a_member_downloads_the_csv_zip(member_client, campaign, built):
    reply = member_client.get(_url("report_csv", campaign))
    assert reply.status_code == 200 and reply["Content-Type"] == "application/zip"
    assert "open-knowledge-week_2026-10-01_2026-10-31.csv.zip" in reply["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(reply.streaming_content)))
    assert "mentions.csv" in archive.namelist() and "figures.csv" in archive.namelist()


def test_without_dates_the_report_runs_from_the_campaign_start_to_its_end(
    member_client, campaign, built
):
    Campaign.objects.filter(pk=campaign.pk).update(ends_on=date(2026, 10, 15))
    member_client.get(_url("report_pdf", campaign, ""))
    assert built == [(campaign.pk, date(2026, 9, 1), date(2026, 10, 15))]


@pytest.mark.parametrize(
    "query, says",
    [
        ("?start=2026-13-01", "The start date “2026-13-01” is not a date like 2026-11-30."),
        ("?start=2026-10-31&end=2026-10-01", "The start (31 Oct 2026) is after the end"),
    ],
)
def test_a_bad_period_is_explained_on_a_page_with_the_dates_kept(
    member_client, campaign, built, query, says
):
    reply = member_client.get(_url("report_xlsx", campaign, query))
    assert reply.status_code == 400
    page = reply.content.decode()
    assert says in page and 'role="alert"' in page
    assert 'name="start"' in page and 'name="end"' in page
    assert built == []


@pytest.mark.parametrize("name", ["report_pdf", "report_xlsx", "report_csv"])
def test_an_outsider_gets_404_for_another_teams_report(client, outsider, campaign, built, name):
    client.force_login(outsider)
    assert client.get(_url(name, campaign)).status_code == 404
    assert built == []


def test_someone_not_signed_in_is_sent_to_sign_in(client, campaign, built):
    reply = client.get(_url("report_pdf", campaign))
    assert reply.status_code == 302 and "/login" in reply["Location"]


def test_the_real_builder_makes_a_pdf_of_a_campaign_with_coverage(member_client, campaign, team):
    pytest.importorskip("commsdesk.campaigns.assemble")
    from tests.fixtures.alerts import mention, placement, saved_search

    search = saved_search(team, "Open knowledge")
    campaign.searches.add(search)
    mention(search, placement("ok1", "Open knowledge week opens", outlet_name="El País"))
    for name in ("report_pdf", "report_xlsx", "report_csv"):
        reply = member_client.get(_url(name, campaign, ""))
        assert reply.status_code == 200, name
