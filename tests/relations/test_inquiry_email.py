"""A journalist's email read as an inquiry: headers decoded (non-ASCII subject, quoted-printable
body), the journalist and outlet found, and one email never logged twice."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from commsdesk.monitoring.models import Outlet
from commsdesk.relations.inquiries import emails
from commsdesk.relations.models import Affiliation, Inquiry, Journalist

EML = Path(__file__).parent / "data" / "press-inquiry-es.eml"


def test_it_reads_a_non_ascii_subject_and_a_quoted_printable_body():
    received = emails.parse(EML.read_bytes())

    assert received.subject == "Petición de entrevista: sequía en Andalucía"
    assert received.sender_name == "Lucía Fernández"
    assert received.sender_email == "lucia.fernandez@diario.example"
    # Soft line breaks joined, =C3=AD decoded; the plain part wins over the HTML one.
    assert "un artículo sobre la sequía en Andalucía para la edición del viernes" in received.body
    assert "1. ¿Cuántos voluntarios trabajan ahora mismo en la zona?" in received.body
    assert "<p>" not in received.body
    assert received.received_at == datetime(2026, 1, 13, 8, 15, tzinfo=UTC)
    assert received.message_id == "<20260113091500.4242@mail.diario.example>"


def test_an_html_only_email_becomes_its_text():
    raw = (
        b"From: desk@wire.example\r\nSubject: Quick question\r\n"
        b"Content-Type: text/html; charset=utf-8\r\n\r\n"
        b"<html><style>p{color:red}</style><p>Can you confirm the figure &amp; source?</p></html>"
    )
    received = emails.parse(raw)
    assert received.body == "Can you confirm the figure & source?"
    assert received.message_id.startswith("<sha256-")  # no Message-ID: still a stable key


def test_a_malformed_message_id_falls_back_to_a_stable_key():
    # The standard library's parser raises IndexError on this header when it is read.
    raw = b"From: desk@wire.example\r\nMessage-ID: <@>\r\nSubject: Hi\r\n\r\nQuestion?"
    assert emails.parse(raw).message_id == emails.parse(raw).message_id != ""
    assert emails.parse(raw).message_id.startswith("<sha256-")


def test_text_without_a_sender_is_refused_with_a_reason():
    with pytest.raises(emails.NotAnEmail, match="no From address"):
        emails.parse(b"Hello, when can you answer my questions?")


@pytest.mark.django_db
def test_it_links_the_journalist_with_that_address_and_their_current_outlet(team):
    old = Outlet.objects.create(name="Old Weekly", domain="old.example")
    diario = Outlet.objects.create(name="Diario", domain="diario.example")
    lucia = Journalist.objects.create(
        team=team, name="Lucía F.", email="Lucia.Fernandez@diario.example"
    )
    Affiliation.objects.create(journalist=lucia, outlet=old, until=date(2024, 1, 1))
    Affiliation.objects.create(journalist=lucia, outlet=diario, since=date(2024, 2, 1))

    inquiry, created = emails.log(team.pk, emails.parse(EML.read_bytes()), origin="email")

    assert created
    assert inquiry.journalist == lucia and inquiry.outlet == diario
    assert inquiry.topic == "Petición de entrevista: sequía en Andalucía"
    assert inquiry.reporter_email == "lucia.fernandez@diario.example"
    assert inquiry.origin == "email" and "Message-ID" in inquiry.raw_email


@pytest.mark.django_db
def test_without_a_known_journalist_the_outlet_comes_from_the_senders_domain(team):
    diario = Outlet.objects.create(name="Diario", domain="diario.example")
    raw = EML.read_bytes().replace(b"@diario.example>", b"@redaccion.diario.example>")

    inquiry, _ = emails.log(team.pk, emails.parse(raw), origin="email")

    assert inquiry.journalist is None and inquiry.outlet == diario
    assert inquiry.reporter_name == "Lucía Fernández"


@pytest.mark.django_db
def test_the_same_email_twice_is_one_inquiry(team):
    received = emails.parse(EML.read_bytes())
    first, created = emails.log(team.pk, received, origin="email")
    again, created_again = emails.log(team.pk, received, origin="imap")
    assert created and not created_again and first == again
    assert Inquiry.objects.count() == 1
