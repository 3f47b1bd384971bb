"""A journalist's email (.eml bytes) read with the standard library and logged as an inquiry:
From → reporter (and the journalist with that address), Subject → topic, body → questions,
Date → received, Message-ID → the key that stops one email being logged twice.

It reads one message; fetching messages from a mailbox is `mailbox`'s job.
"""

from __future__ import annotations

import hashlib
import html
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser

import nh3
from django.db import IntegrityError, transaction
from django.utils import timezone

from commsdesk.monitoring.models import Outlet
from commsdesk.relations.models import Affiliation, Inquiry, Journalist

MAX_BYTES = 10 * 1024 * 1024  # a press email with attachments; beyond this is not an inquiry


class NotAnEmail(ValueError):
    """The bytes are not an email we can log; the message says why, for the person."""


@dataclass(frozen=True, slots=True)
class ReceivedEmail:
    sender_name: str
    sender_email: str  # lower-cased address, "" when the From header has none
    subject: str
    body: str  # plain text; an HTML-only email is reduced to its text
    received_at: datetime  # from the Date header, else when we read it
    message_id: str  # from the Message-ID header, else a hash of the bytes (still unique)
    raw: str


def parse(raw: bytes) -> ReceivedEmail:
    """Read an RFC 5322 message; raises NotAnEmail when it has no sender address."""
    if len(raw) > MAX_BYTES:
        raise NotAnEmail(f"This email is larger than {MAX_BYTES // 1024 // 1024} MB.")
    message = BytesParser(policy=policy.default).parsebytes(raw)
    name, address = _sender(message)
    if not address:
        raise NotAnEmail(
            "This does not look like an email: it has no From address. Save the message as "
            ".eml (or paste it with its headers) and try again."
        )
    subject = " ".join(header(message, "Subject").split())
    return ReceivedEmail(
        sender_name=name,
        sender_email=address.lower(),
        subject=subject,
        body=_body_text(message),
        received_at=_date(message),
        message_id=_message_id(message, raw),
        raw=raw.decode("utf-8", errors="replace"),
    )


def header(message: EmailMessage, name: str) -> str:
    """A header's decoded text, "" when absent or too broken for the standard library's parser
    (it raises IndexError on some malformed Message-IDs)."""
    try:
        return str(message.get(name, "") or "").strip()
    except (IndexError, ValueError, TypeError, AttributeError):
        return ""


def _sender(message: EmailMessage) -> tuple[str, str]:
    try:
        addresses = message["From"].addresses if message["From"] is not None else ()
    except (AttributeError, IndexError, TypeError, ValueError):
        return "", ""
    for address in addresses:
        if address.addr_spec and "@" in address.addr_spec:
            return address.display_name, address.addr_spec
    return "", ""


def _body_text(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        content = part.get_content()
    except (LookupError, ValueError):  # an unknown charset: keep what decodes
        content = part.get_payload(decode=True).decode("utf-8", errors="replace")
    if part.get_content_type() == "text/html":
        # nh3 with no allowed tags keeps the text only (script and style contents dropped).
        content = html.unescape(nh3.clean(content, tags=set()))
    lines = [line.rstrip() for line in content.replace("\r\n", "\n").split("\n")]
    return "\n".join(lines).strip()


def _date(message: EmailMessage) -> datetime:
    try:
        header = message["Date"]
        moment = header.datetime if header is not None else None
    except (AttributeError, IndexError, TypeError, ValueError):
        moment = None
    if moment is None:
        return timezone.now()
    if moment.tzinfo is None:  # "-0000": the sender did not say; read it as UTC
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _message_id(message: EmailMessage, raw: bytes) -> str:
    value = header(message, "Message-ID")
    if value:
        return value[:500]
    return f"<sha256-{hashlib.sha256(raw).hexdigest()}@commsdesk>"


def journalist_for(team_id: int, address: str) -> Journalist | None:
    if not address:
        return None
    return Journalist.objects.filter(team_id=team_id, email__iexact=address).first()


def outlet_for(journalist: Journalist | None, address: str) -> Outlet | None:
    """The journalist's current outlet, else an outlet whose domain is the sender's (or a
    parent of it: desk.daily.example → daily.example)."""
    if journalist is not None:
        current = (
            Affiliation.objects.filter(journalist=journalist, until__isnull=True)
            .select_related("outlet")
            .order_by("-since", "-id")
            .first()
        )
        if current is not None:
            return current.outlet
    host = address.rpartition("@")[2].lower()
    labels = host.split(".")
    candidates = [".".join(labels[i:]) for i in range(len(labels) - 1)]
    found = {o.domain: o for o in Outlet.objects.filter(domain__in=candidates)}
    return next((found[c] for c in candidates if c in found), None)


def log(team_id: int, received: ReceivedEmail, *, origin: str) -> tuple[Inquiry, bool]:
    """The inquiry for this email in the team: (new inquiry, True), or (the one already
    logged from the same Message-ID, False). Safe when two pollers race."""
    existing = Inquiry.objects.filter(team_id=team_id, message_id=received.message_id).first()
    if existing is not None:
        return existing, False
    journalist = journalist_for(team_id, received.sender_email)
    inquiry = Inquiry(
        team_id=team_id,
        journalist=journalist,
        outlet=outlet_for(journalist, received.sender_email),
        reporter_name=received.sender_name or (journalist.name if journalist else ""),
        reporter_email=received.sender_email,
        topic=(received.subject or "(no subject)")[:300],
        questions=received.body,
        received_at=received.received_at,
        origin=origin,
        message_id=received.message_id,
        raw_email=received.raw,
    )
    try:
        with transaction.atomic():
            inquiry.save()
    except IntegrityError:  # another poller logged it between our check and our insert
        return Inquiry.objects.get(team_id=team_id, message_id=received.message_id), False
    return inquiry, True
