"""The report page, its recommendations box and the drill-down page, on the hand-built March
campaign: as a member, an outsider (404) and anonymously."""

from __future__ import annotations

import re

from django.urls import reverse

from commsdesk.campaigns.models import ReportNote

MARCH = {"start": "2026-03-01", "end": "2026-03-31"}


def _report(client, built, **params):
    return client.get(reverse("campaigns:report", args=[built.campaign.pk]), params or MARCH)


def test_the_report_shows_every_section_with_figures_charts_and_observations(member_client, built):
    response = _report(member_client, built)
    page = response.content.decode()
    assert response.status_code == 200
    for title in ("Objectives", "Inputs", "Activities", "Outputs", "Out-takes", "Outcomes"):
        assert f">{title}</h2>" in page
    assert "Organisational impact" in page and "Methodology" in page
    assert "1,050,500" in page  # reach
    assert "62.5%" in page  # share of voice
    assert "Global Times" in page  # the tier-1 outlet that covered a peer, not us
    assert page.count("<svg") >= 2
    assert "-25% vs previous (4)" in page  # stories 3 vs 4 in February
    assert "30% of target 10" in page


def test_every_figure_links_to_its_mentions(member_client, built):
    page = _report(member_client, built).content.decode()
    links = set(re.findall(r'href="(/campaigns/\d+/mentions/\?[^"]+)"', page))
    assert any("metric=language" in link and "value=es" in link for link in links)
    assert any("metric=sentiment" in link for link in links)


def test_the_drill_down_lists_exactly_the_mentions_behind_a_number(member_client, built):
    url = reverse("campaigns:mentions", args=[built.campaign.pk])
    page = member_client.get(url, {"metric": "language", "value": "en", **MARCH}).content.decode()
    for slug in ("s1a", "s1b", "s1c", "a4"):
        assert f"Title {slug}<" in page
    assert "Title a5" not in page and "Title a6" not in page
    assert "2 stories · 4 placements · 3 outlets" in page


def test_a_bad_drill_down_says_why(member_client, built):
    url = reverse("campaigns:mentions", args=[built.campaign.pk])
    response = member_client.get(url, {"metric": "impressions", **MARCH})
    assert response.status_code == 400
    assert "not a figure we can list mentions for" in response.content.decode()


def test_a_bad_period_says_why_and_keeps_what_was_typed(member_client, built):
    response = _report(member_client, built, start="2026-03-31", end="2026-03-01")
    page = response.content.decode()
    assert response.status_code == 400 and "is before the start" in page
    assert 'value="2026-03-31"' in page


def test_a_preset_period_is_accepted(member_client, built):
    response = _report(member_client, built, preset="quarter")
    assert response.status_code == 200 and "compared with" in response.content.decode()


def test_recommendations_are_saved_for_the_period_by_htmx(member_client, built):
    url = reverse("campaigns:recommendations", args=[built.campaign.pk])
    response = member_client.post(
        url, {"recommendations": "Call Diario Tres.", **MARCH}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200 and "Saved." in response.content.decode()
    note = ReportNote.objects.get(campaign=built.campaign)
    assert (str(note.period_start), note.recommendations) == ("2026-03-01", "Call Diario Tres.")
    assert "Call Diario Tres." in _report(member_client, built).content.decode()


def test_an_outsider_gets_404_for_the_report_its_mentions_and_recommendations(
    client, outsider, built
):
    client.force_login(outsider)
    pk = built.campaign.pk
    assert _report(client, built).status_code == 404
    assert client.get(reverse("campaigns:mentions", args=[pk]), MARCH).status_code == 404
    url = reverse("campaigns:recommendations", args=[pk])
    assert client.post(url, {"recommendations": "x", **MARCH}).status_code == 404
    assert not ReportNote.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in_from_the_report(client, built):
    response = _report(client, built)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_without_htmx_saving_recommendations_returns_to_the_report(member_client, built):
    url = reverse("campaigns:recommendations", args=[built.campaign.pk])
    response = member_client.post(url, {"recommendations": "Fewer press releases.", **MARCH})
    assert response.status_code == 302
    assert response["Location"].endswith("/report/?start=2026-03-01&end=2026-03-31")
    assert ReportNote.objects.get().recommendations == "Fewer press releases."


def test_a_viewer_reads_the_report_but_cannot_write_recommendations(client, team, built):
    from django.contrib.auth import get_user_model

    from commsdesk.accounts.models import Membership

    viewer = get_user_model().objects.create_user("vic", password="a-long-test-password")
    Membership.objects.create(user=viewer, team=team, role=Membership.Role.VIEWER)
    client.force_login(viewer)
    page = _report(client, built).content.decode()
    assert "Save recommendations" not in page
    url = reverse("campaigns:recommendations", args=[built.campaign.pk])
    assert client.post(url, {"recommendations": "x", **MARCH}).status_code == 403
