"""Polling the press mailbox against a real IMAP server (dovecot, started by the test): new
emails become inquiries, polling twice never doubles them, nothing is marked read."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from imapclient import IMAPClient

from commsdesk.ingest import scheduler
from commsdesk.relations.inquiries import mailbox
from commsdesk.relations.models import Inquiry
from tests.fixtures import imap

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not imap.installed(), reason="dovecot is not installed (dovecot-imapd)"),
]

EML = (Path(__file__).parent / "data" / "press-inquiry-es.eml").read_bytes()
SECOND = (
    b"From: Sam Lee <sam@wire.example>\r\nTo: press@ngo.example\r\n"
    b"Subject: Figures for the flood report\r\nDate: Wed, 14 Jan 2026 10:00:00 +0000\r\n"
    b"Message-ID: <flood-1@wire.example>\r\n\r\nWhere does the 40% figure come from?\r\n"
)


@pytest.fixture
def press_mailbox(settings) -> Iterator[imap.Dovecot]:
    with imap.Dovecot() as server:
        settings.COMMSDESK_IMAP_HOST = "127.0.0.1"
        settings.COMMSDESK_IMAP_PORT = server.port
        settings.COMMSDESK_IMAP_SSL = False
        settings.COMMSDESK_IMAP_USER = server.user
        settings.COMMSDESK_IMAP_PASSWORD = server.password
        settings.COMMSDESK_IMAP_FOLDER = "INBOX"
        settings.COMMSDESK_IMAP_LOOKBACK_DAYS = 36500  # the fixture emails are dated 2026
        yield server


def deliver(server: imap.Dovecot, *messages: bytes) -> None:
    with IMAPClient("127.0.0.1", port=server.port, ssl=False, timeout=5) as client:
        client.login(server.user, server.password)
        for message in messages:
            client.append("INBOX", message)


def test_new_emails_become_inquiries_and_polling_twice_never_doubles(team, press_mailbox):
    deliver(press_mailbox, EML, SECOND)

    first = mailbox.poll()
    second = mailbox.poll()

    assert (first.logged, second.logged, second.known) == (2, 0, 2)
    inquiries = {i.topic: i for i in Inquiry.objects.filter(team=team)}
    assert set(inquiries) == {
        "Petición de entrevista: sequía en Andalucía",
        "Figures for the flood report",
    }
    flood = inquiries["Figures for the flood report"]
    assert flood.origin == "imap" and flood.message_id == "<flood-1@wire.example>"
    assert flood.questions == "Where does the 40% figure come from?"


def test_it_leaves_the_mailbox_as_it_was(team, press_mailbox):
    deliver(press_mailbox, SECOND)
    mailbox.poll()
    with IMAPClient("127.0.0.1", port=press_mailbox.port, ssl=False, timeout=5) as client:
        client.login(press_mailbox.user, press_mailbox.password)
        client.select_folder("INBOX", readonly=True)
        assert client.search(["UNSEEN"]) == client.search(["ALL"]) != []


def test_an_email_logged_by_hand_first_is_not_logged_again(team, press_mailbox):
    from commsdesk.relations.inquiries import emails

    emails.log(team.pk, emails.parse(SECOND), origin="email")
    deliver(press_mailbox, SECOND)
    assert mailbox.poll().logged == 0
    assert Inquiry.objects.get().origin == "email"


def test_a_refused_login_is_reported_not_swallowed(team, press_mailbox, settings):
    settings.COMMSDESK_IMAP_PASSWORD = "wrong"
    with pytest.raises(mailbox.MailboxError, match="127.0.0.1"):
        mailbox.poll()


def test_the_scheduler_tick_polls_through_a_task(team, press_mailbox, immediate_tasks):
    deliver(press_mailbox, SECOND)
    scheduler.tick(sweep=False, alerts=False, mail=True)
    assert Inquiry.objects.filter(origin="imap").count() == 1


def test_polling_is_off_while_no_mailbox_is_set(team, settings, immediate_tasks):
    settings.COMMSDESK_IMAP_HOST = ""
    assert not mailbox.configured()
    assert mailbox.poll().logged == 0


def test_a_mailbox_that_cannot_be_read_shows_on_the_board_until_it_can(
    team, press_mailbox, settings, member_client, immediate_tasks
):
    from django.urls import reverse

    good = settings.COMMSDESK_IMAP_PASSWORD
    settings.COMMSDESK_IMAP_PASSWORD = "wrong"
    scheduler.tick(sweep=False, alerts=False, mail=True)  # the task logs and records the error

    failing = member_client.get(reverse("relations:inquiries")).content.decode()
    settings.COMMSDESK_IMAP_PASSWORD = good
    deliver(press_mailbox, SECOND)
    scheduler.tick(sweep=False, alerts=False, mail=True)
    fixed = member_client.get(reverse("relations:inquiries")).content.decode()

    assert "The press mailbox could not be read" in failing and "127.0.0.1" in failing
    assert "could not be read" not in fixed and "1 inquiry logged from it" in fixed
