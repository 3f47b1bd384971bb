"""Polling the press mailbox over IMAP (imapclient): each new message there becomes an inquiry
(origin "imap"). Messages are read with BODY.PEEK, so nothing is marked read or moved, and known
Message-IDs are skipped, so polling twice never logs one email twice.

Off unless COMMSDESK_IMAP_HOST is set. Parsing and logging one email is `emails`' job.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta
from email import policy
from email.parser import BytesHeaderParser

from django.conf import settings
from django.db.models import F
from django.utils import timezone
from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError

from commsdesk.accounts.models import Team
from commsdesk.relations.inquiries import emails
from commsdesk.relations.models import Inquiry, MailboxCheck

log = logging.getLogger(__name__)

_ID_FIELD = b"BODY[HEADER.FIELDS (MESSAGE-ID)]"


class MailboxError(RuntimeError):
    """The mailbox could not be read (unreachable, refused login, no such folder)."""


@dataclass
class PollReport:
    logged: int = 0  # new inquiries
    known: int = 0  # already logged earlier (same Message-ID)
    skipped: list[str] = field(default_factory=list)  # messages that are not inquiries, and why


def configured() -> bool:
    return bool(settings.COMMSDESK_IMAP_HOST)


def mailbox_team() -> Team | None:
    """COMMSDESK_IMAP_TEAM (a team's slug), else the first team created."""
    slug = settings.COMMSDESK_IMAP_TEAM
    teams = Team.objects.filter(slug=slug) if slug else Team.objects.order_by("id")
    return teams.first()


def mailbox_name() -> str:
    return (
        f"{settings.COMMSDESK_IMAP_USER}@{settings.COMMSDESK_IMAP_HOST}/"
        f"{settings.COMMSDESK_IMAP_FOLDER}"
    )


def check() -> MailboxCheck | None:
    """How the last reads of the configured mailbox went (None: no mailbox, or never read)."""
    if not configured():
        return None
    return MailboxCheck.objects.filter(mailbox=mailbox_name()).first()


def poll_and_record(*, now=None) -> PollReport:
    """poll(), writing how it went where the board shows it; re-raises a MailboxError."""
    now = now or timezone.now()
    row, _ = MailboxCheck.objects.get_or_create(mailbox=mailbox_name())
    try:
        report = poll()
    except MailboxError as exc:
        MailboxCheck.objects.filter(pk=row.pk).update(
            last_checked_at=now, last_error=str(exc)[:2000], last_error_at=now
        )
        raise
    MailboxCheck.objects.filter(pk=row.pk).update(
        last_checked_at=now, last_ok_at=now, logged_total=F("logged_total") + report.logged
    )
    return report


def poll() -> PollReport:
    """Log the messages of the last COMMSDESK_IMAP_LOOKBACK_DAYS that are not logged yet."""
    team = mailbox_team()
    if not configured() or team is None:
        return PollReport()
    try:
        with _connect() as client:
            return _read_new(client, team.pk)
    except (TimeoutError, IMAPClientError, OSError) as exc:
        raise MailboxError(f"press mailbox {settings.COMMSDESK_IMAP_HOST}: {exc}") from exc


def _connect() -> IMAPClient:
    port = settings.COMMSDESK_IMAP_PORT or (993 if settings.COMMSDESK_IMAP_SSL else 143)
    client = IMAPClient(
        settings.COMMSDESK_IMAP_HOST, port=port, ssl=settings.COMMSDESK_IMAP_SSL, timeout=30
    )
    try:
        client.login(settings.COMMSDESK_IMAP_USER, settings.COMMSDESK_IMAP_PASSWORD)
        client.select_folder(settings.COMMSDESK_IMAP_FOLDER, readonly=True)
    except BaseException:
        client.shutdown()
        raise
    return client


def _read_new(client: IMAPClient, team_id: int) -> PollReport:
    report = PollReport()
    since = (timezone.now() - timedelta(days=settings.COMMSDESK_IMAP_LOOKBACK_DAYS)).date()
    uids = client.search(["SINCE", since])
    if not uids:
        return report
    # Headers first: only messages we have not logged are downloaded whole.
    ids = {
        uid: _message_id(data.get(_ID_FIELD, b""))
        for uid, data in client.fetch(uids, ["BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]"]).items()
    }
    known = set(
        Inquiry.objects.filter(
            team_id=team_id, message_id__in=[i for i in ids.values() if i]
        ).values_list("message_id", flat=True)
    )
    wanted = [uid for uid, message_id in ids.items() if not message_id or message_id not in known]
    report.known = len(ids) - len(wanted)
    for uid, data in client.fetch(wanted, ["BODY.PEEK[]"]).items() if wanted else ():
        try:
            received = emails.parse(data[b"BODY[]"])
        except emails.NotAnEmail as exc:
            report.skipped.append(f"message {uid}: {exc}")
            continue
        _inquiry, created = emails.log(team_id, received, origin=Inquiry.Origin.IMAP)
        if created:
            report.logged += 1
        else:
            report.known += 1
    return report


def _message_id(header: bytes) -> str:
    parsed = BytesHeaderParser(policy=policy.default).parsebytes(header)
    return emails.header(parsed, "Message-ID")[:500]
