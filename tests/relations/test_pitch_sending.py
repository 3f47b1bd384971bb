"""Sending pitches through a real SMTP server (aiosmtpd on 127.0.0.1): one merged copy per
journalist, do-not-contact always enforced, retries with backoff, leases, the scheduler."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from commsdesk.ingest.scheduler import tick
from commsdesk.relations import pitching
from commsdesk.relations.models import MediaListMember, Pitch, PitchRecipient
from tests.relations.pitch_fixtures import journalist, media_list, pitch

pytestmark = pytest.mark.django_db
Status = PitchRecipient.Status


@pytest.fixture
def sender(member):
    member.first_name, member.last_name = "Ana", "Lima"
    member.save()
    return member


def _status(person) -> tuple[str, str]:
    copy = PitchRecipient.objects.get(journalist=person)
    return copy.status, copy.error


def test_each_journalist_gets_their_own_merged_plain_text_copy(smtp, team, sender):
    team.sender_email = "Press office <press@org.example>"
    team.save()
    bruno = journalist(team, "Bruno Costa", outlet="Gazette", beats=["climate", "energy"])
    chidi = journalist(team, "Chidi Okafor", outlet="Daily Wire", beats=["health"])
    sent = pitch(team, media_list(team, bruno, chidi))

    assert pitching.start_sending(sent, sender) == 2
    report = pitching.send_due()

    assert report.sent == 2
    by_to = {m["X-Envelope-To"]: m for m in smtp.messages}
    assert set(by_to) == {"bruno@news.example", "chidi@news.example"}
    bruno_copy, chidi_copy = by_to["bruno@news.example"], by_to["chidi@news.example"]
    assert bruno_copy["Subject"] == "For Gazette: our report"
    assert chidi_copy["Subject"] == "For Daily Wire: our report"
    assert bruno_copy.get_content_type() == "text/plain"  # one plain part: nothing to track
    text = bruno_copy.get_content()
    assert text.startswith("Dear Bruno,") and "cover climate..." in text and "Ana Lima" in text
    assert "Chidi" not in text
    assert "Dear Chidi," in chidi_copy.get_content()
    assert bruno_copy["To"] == "Bruno Costa <bruno@news.example>"
    assert bruno_copy["From"] == "Press office <press@org.example>"
    assert bruno_copy["Reply-To"] == "ana@example.org"
    assert _status(bruno) == (Status.SENT, "")
    sent.refresh_from_db()
    assert sent.status == Pitch.Status.SENT and sent.sent_by == sender and sent.sent_at


def test_it_sends_from_the_default_address_when_the_team_has_none(smtp, team, sender, settings):
    settings.DEFAULT_FROM_EMAIL = "Desk <desk@org.example>"
    bruno = journalist(team, "Bruno Costa")
    pitching.start_sending(pitch(team, media_list(team, bruno)), sender)
    pitching.send_due()
    assert smtp.messages[0]["From"] == "Desk <desk@org.example>"


def test_do_not_contact_and_no_email_are_skipped_with_the_reason_even_when_added_late(
    smtp, team, sender
):
    bruno = journalist(team, "Bruno Costa")
    chidi = journalist(team, "Chidi Okafor")
    dara = journalist(team, "Dara Ní Bhriain")
    listed = media_list(team, bruno, chidi, dara)
    composed = pitch(team, listed)
    # Added to the list after the pitch was written, already marked do-not-contact.
    eve = journalist(team, "Eve Adams", do_not_contact=True, do_not_contact_reason="Asked us")
    MediaListMember.objects.create(media_list=listed, journalist=eve)
    pitching.start_sending(composed, sender)
    # Marked between pressing Send and the worker reaching them: still skipped.
    chidi.do_not_contact = True
    chidi.save()
    dara.email = ""
    dara.save()

    report = pitching.send_due()

    assert (report.sent, report.skipped) == (1, 3)
    assert [m["X-Envelope-To"] for m in smtp.messages] == ["bruno@news.example"]
    assert _status(eve) == (Status.SKIPPED, "Do not contact: Asked us.")
    assert _status(chidi) == (Status.SKIPPED, "Do not contact.")
    assert _status(dara) == (Status.SKIPPED, "No email address.")


def test_journalists_added_after_sending_get_it_only_when_sent_again_and_dnc_still_holds(
    smtp, team, sender
):
    bruno = journalist(team, "Bruno Costa")
    listed = media_list(team, bruno)
    sent = pitch(team, listed)
    pitching.start_sending(sent, sender)
    pitching.send_due()
    chidi = journalist(team, "Chidi Okafor")
    eve = journalist(team, "Eve Adams", do_not_contact=True)
    for person in (chidi, eve):
        MediaListMember.objects.create(media_list=listed, journalist=person)
    assert list(pitching.not_yet_included(sent)) == [chidi, eve]

    assert pitching.start_sending(sent, sender) == 2
    pitching.send_due()

    assert [m["X-Envelope-To"] for m in smtp.messages] == [
        "bruno@news.example",
        "chidi@news.example",
    ]
    assert _status(eve)[0] == Status.SKIPPED
    with pytest.raises(pitching.SendingError, match="already has this pitch"):
        pitching.start_sending(sent, sender)


def test_a_refused_copy_is_retried_with_backoff_then_failed_with_the_reason_others_sent(
    smtp, team, sender, settings
):
    settings.COMMSDESK_PITCH_MAX_ATTEMPTS = 3
    settings.COMMSDESK_PITCH_RETRY_SECONDS = 60
    smtp.refuse_rcpt["chidi@news.example"] = "451 4.3.0 Mailbox busy, try later"
    bruno, chidi = journalist(team, "Bruno Costa"), journalist(team, "Chidi Okafor")
    sent = pitch(team, media_list(team, bruno, chidi))
    start = timezone.now()
    pitching.start_sending(sent, sender, now=start)

    first = pitching.send_due(now=start)
    assert (first.sent, first.retrying) == (1, 1)
    copy = PitchRecipient.objects.get(journalist=chidi)
    assert copy.status == Status.PENDING and copy.next_attempt_at == start + timedelta(seconds=60)
    assert "451" in copy.error and "Mailbox busy" in copy.error
    assert pitching.send_due(now=start + timedelta(seconds=30)).retrying == 0  # backing off
    second = start + timedelta(seconds=61)
    assert pitching.send_due(now=second).retrying == 1
    # The wait doubles: not due 100 s later, due after 120 s.
    assert pitching.send_due(now=second + timedelta(seconds=100)).failed == 0
    assert pitching.send_due(now=second + timedelta(seconds=121)).failed == 1

    copy.refresh_from_db()
    assert copy.status == Status.FAILED and copy.attempts == 3
    assert copy.error == (
        "the mail server refused the address: "
        "Chidi Okafor <chidi@news.example>: 451 4.3.0 Mailbox busy, try later"
    )
    assert copy.email == "chidi@news.example"
    assert [m["X-Envelope-To"] for m in smtp.messages] == ["bruno@news.example"]
    sent.refresh_from_db()
    assert sent.status == Pitch.Status.SENT  # every copy has settled


def test_a_permanent_refusal_fails_at_once(smtp, team, sender):
    smtp.refuse = "554 5.7.1 Message rejected as spam"
    bruno = journalist(team, "Bruno Costa")
    pitching.start_sending(pitch(team, media_list(team, bruno)), sender)
    assert pitching.send_due().failed == 1
    assert _status(bruno) == (
        Status.FAILED,
        "the mail server refused the message: 554 5.7.1 Message rejected as spam",
    )


def test_an_unreachable_mail_server_is_a_retry_not_a_failure(team, sender, settings):
    from tests.fixtures.mail import free_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    bruno = journalist(team, "Bruno Costa")
    pitching.start_sending(pitch(team, media_list(team, bruno)), sender)
    assert pitching.send_due().retrying == 1
    status, error = _status(bruno)
    assert status == Status.PENDING and error.startswith("could not reach the mail server")


def test_a_copy_held_by_a_dead_worker_is_sent_once_after_its_lease_runs_out(
    smtp, team, sender, settings
):
    settings.COMMSDESK_LEASE_SECONDS = 300
    bruno = journalist(team, "Bruno Costa")
    pitching.start_sending(pitch(team, media_list(team, bruno)), sender)
    copy = PitchRecipient.objects.get()
    start = timezone.now()
    assert pitching.claim(copy.pk, start)  # a worker takes it, then dies before sending

    assert pitching.send_due(now=start + timedelta(seconds=10)).sent == 0  # still held
    assert not pitching.claim(copy.pk, start + timedelta(seconds=10))
    later = start + timedelta(seconds=301)
    assert pitching.send_due(now=later).sent == 1
    for moment in (later, later + timedelta(seconds=301), later + timedelta(days=1)):
        assert pitching.send_due(now=moment).sent == 0
    assert len(smtp.messages) == 1
    copy.refresh_from_db()
    assert copy.status == Status.SENT and copy.attempts == 2 and copy.claimed_until is None


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_each_copy_once(smtp, team, sender):
    people = [
        journalist(team, f"Reporter{i} Example", email=f"r{i}@news.example") for i in range(6)
    ]
    pitching.start_sending(pitch(team, media_list(team, *people)), sender)
    barrier = threading.Barrier(2)
    reports = []

    def worker() -> None:
        try:
            barrier.wait()
            reports.append(pitching.send_due())
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sum(r.sent for r in reports) == 6
    addresses = sorted(m["X-Envelope-To"] for m in smtp.messages)
    assert addresses == sorted(f"r{i}@news.example" for i in range(6))


def test_the_scheduler_tick_sends_copies_due_for_a_retry(smtp, team, sender, immediate_tasks):
    bruno = journalist(team, "Bruno Costa")
    sent = pitch(team, media_list(team, bruno))
    smtp.refuse = "451 4.3.0 Try again later"
    pitching.start_sending(sent, sender)  # the immediate backend runs the send task at once
    assert _status(bruno)[0] == Status.PENDING
    smtp.refuse = None
    PitchRecipient.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))

    tick(sweep=False)

    assert _status(bruno) == (Status.SENT, "")
    assert len(smtp.messages) == 1


def test_it_refuses_to_send_a_pitch_with_an_unknown_merge_field(smtp, team, sender):
    bruno = journalist(team, "Bruno Costa")
    broken = pitch(team, media_list(team, bruno), body="Hi {{ frist_name }}")
    with pytest.raises(pitching.SendingError, match=r"Did you mean \{\{ first_name \}\}"):
        pitching.start_sending(broken, sender)
    assert not PitchRecipient.objects.exists() and smtp.messages == []


def test_failed_copies_can_be_sent_again_once_the_server_takes_mail(
    smtp, team, sender, member_client
):
    from django.urls import reverse

    smtp.refuse = "554 5.7.1 Relay temporarily broken"
    bruno = journalist(team, "Bruno Costa")
    sent_pitch = pitch(team, media_list(team, bruno))
    pitching.start_sending(sent_pitch, sender)
    pitching.send_due()
    assert _status(bruno)[0] == Status.FAILED
    smtp.refuse = None

    page = member_client.get(reverse("relations:pitch_recipients", args=[sent_pitch.pk]))
    member_client.post(reverse("relations:pitch_retry", args=[sent_pitch.pk]))
    pitching.send_due()

    assert "Send the 1 failed copy again" in page.content.decode()
    assert _status(bruno) == (Status.SENT, "")
    assert len(smtp.messages) == 1
