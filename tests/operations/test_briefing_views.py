"""Briefing pack pages and PDFs: who may open them and what they show."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from django.test import Client
from django.urls import reverse

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) is not installed"
)


def _page(kind, pk):
    return reverse("operations:briefing", args=[kind, pk])


def test_an_editor_reads_the_briefing_page_with_contacts(engagements, member_client):
    reply = member_client.get(_page("inquiry", engagements.inquiry.pk))
    assert reply.status_code == 200
    text = reply.content.decode()
    for expected in (
        "Lucía Fernández",
        "lucia@diario.example",
        "2,400,000",
        "Comscore",
        "Puntos: Wikipedia en la educación",
        "Stale: older than 90 days",
        "OpenEncyclo Foundation",
        "marta@example.org",
    ):
        assert expected in text
    assert "not approved" not in text


def test_a_volunteer_reads_the_briefing_but_no_contact_details(engagements, volunteer_client):
    reply = volunteer_client.get(_page("inquiry", engagements.inquiry.pk))
    assert reply.status_code == 200
    text = reply.content.decode()
    assert "Lucía Fernández" in text
    assert "lucia@diario.example" not in text and "+34 600" not in text
    assert "marta@example.org" not in text
    assert "Hidden: shared only with the comms staff" in text


@pytest.mark.parametrize("suffix", ["", "briefing.pdf"])
def test_an_outsider_gets_404_for_another_teams_briefing(engagements, outsider_client, suffix):
    for kind, record in (
        ("inquiry", engagements.inquiry),
        ("opportunity", engagements.opportunity),
    ):
        assert outsider_client.get(_page(kind, record.pk) + suffix).status_code == 404


def test_an_anonymous_visitor_is_sent_to_sign_in(engagements, client):
    reply = client.get(_page("inquiry", engagements.inquiry.pk))
    assert reply.status_code == 302 and "login" in reply["Location"]
    reply = client.get(_page("inquiry", engagements.inquiry.pk) + "briefing.pdf")
    assert reply.status_code == 302


def test_the_opportunity_page_offers_the_teams_journalists_as_host(engagements, member_client):
    url = _page("opportunity", engagements.opportunity.pk)
    reply = member_client.get(url, {"journalist": engagements.journalist.pk, "lang": "en"})
    text = reply.content.decode()
    assert "Wikipedia en el aula" in text  # the host's bylined article
    assert "Wikipedia in education: talking points" in text


def test_the_inquiry_and_opportunity_pages_link_to_their_briefing(engagements, member_client):
    inquiry = member_client.get(reverse("relations:inquiry", args=[engagements.inquiry.pk]))
    assert _page("inquiry", engagements.inquiry.pk) in inquiry.content.decode()
    slot = member_client.get(reverse("relations:opportunity", args=[engagements.opportunity.pk]))
    assert _page("opportunity", engagements.opportunity.pk) in slot.content.decode()


@needs_poppler
def test_the_briefing_pdf_holds_the_sections_in_the_spokespersons_language(
    engagements, member_client, tmp_path
):
    reply = member_client.get(_page("inquiry", engagements.inquiry.pk) + "briefing.pdf")
    assert reply.status_code == 200 and reply["Content-Type"] == "application/pdf"
    path = tmp_path / "briefing.pdf"
    path.write_bytes(reply.content)
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    for expected in (
        "Briefing: Wikipedia in education",
        "Lucía Fernández",
        "El Diario Abierto",
        "Puntos: Wikipedia en la educación",
        "Wikipedia ayuda al profesorado",
        "Do not quote",
        "We are looking into it.",
        "Marta Gómez",
    ):
        assert expected in text
    assert "Education draft points" not in text


def test_the_briefings_page_lists_open_engagements_of_the_team_only(
    engagements, member_client, outsider_client
):
    url = reverse("operations:briefings")
    page = member_client.get(url).content.decode()
    assert _page("inquiry", engagements.inquiry.pk) in page
    assert _page("opportunity", engagements.opportunity.pk) in page
    engagements.inquiry.status = "answered"
    engagements.inquiry.save()
    assert _page("inquiry", engagements.inquiry.pk) not in member_client.get(url).content.decode()
    theirs = outsider_client.get(url).content.decode()
    assert "Radio interview on open education" not in theirs
    assert Client().get(url).status_code == 302  # anonymous


def test_a_volunteers_briefing_leaves_out_sensitive_lines(
    engagements, team, member_client, volunteer_client
):
    """Sensitive materials are for staff (COMMSDESK_SENSITIVE_ROLES): not in a volunteer's pack."""
    from tests.operations.conftest import _material

    _material(team, "Confidential education lines", tags=["education"], sensitive=True)
    url = _page("inquiry", engagements.inquiry.pk)
    assert "Confidential education lines" in member_client.get(url).content.decode()
    text = volunteer_client.get(url).content.decode()
    assert "Confidential education lines" not in text
    assert "Wikipedia in education: talking points" in text or "Puntos" in text


def test_a_volunteer_is_not_offered_a_sensitive_journalist_as_host(
    engagements, team, member_client, volunteer_client
):
    from commsdesk.relations.models import Journalist

    secret = Journalist.objects.create(team=team, name="Whistle Blower", sensitive=True)
    url = _page("opportunity", engagements.opportunity.pk)
    assert "Whistle Blower" in member_client.get(url).content.decode()
    assert "Whistle Blower" not in volunteer_client.get(url).content.decode()
    chosen = volunteer_client.get(url, {"journalist": secret.pk}).content.decode()
    assert "Whistle Blower" not in chosen
