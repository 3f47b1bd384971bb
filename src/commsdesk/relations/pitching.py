"""Send a pitch one journalist at a time: freeze its recipients, then claim each copy with a lease,
merge it, hand it to the mail server and record that copy's own outcome.

A claim is a conditional UPDATE, so two workers never send one copy twice, and a dead worker's
lease runs out for another to take over. Do-not-contact and missing addresses are checked at the
moment of sending, never only when composing. No open tracking: plain text, no pixels, no links
rewritten. Coverage that follows a pitch lives in `pitch_coverage`.
"""

from __future__ import annotations

import logging
import smtplib
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import formataddr

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django_tasks import task

from commsdesk.relations import merge
from commsdesk.relations.models import (
    Affiliation,
    Journalist,
    MediaListMember,
    Pitch,
    PitchRecipient,
)

log = logging.getLogger(__name__)
Status = PitchRecipient.Status


class SendingError(Exception):
    """A pitch that cannot be sent as it is; the message says what to change."""


class HandOverError(Exception):
    """The mail server did not take a copy; `permanent` when retrying cannot help (5xx)."""

    def __init__(self, reason: str, *, permanent: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent


@dataclass(frozen=True, slots=True)
class SendReport:
    sent: int = 0
    retrying: int = 0  # failed this time, due again after the backoff
    failed: int = 0  # gave up: last attempt, or a refusal retrying cannot fix
    skipped: int = 0  # do not contact, or no email address


# --- starting ---------------------------------------------------------------------------------


def start_sending(pitch: Pitch, user, *, now: datetime | None = None) -> int:
    """Give every journalist on the pitch's list who has no copy yet a pending one, and queue the
    sending; returns how many copies were added. Pressing Send twice adds nobody twice."""
    if pitch.media_list_id is None:
        raise SendingError("Choose a media list before sending.")
    problems = merge.check_pitch(pitch.subject, pitch.body)
    if problems:
        raise SendingError(problems[0])
    now = now or timezone.now()
    with transaction.atomic():
        had = set(pitch.recipients.values_list("journalist_id", flat=True))
        members = MediaListMember.objects.filter(media_list_id=pitch.media_list_id)
        new = [j for j in members.values_list("journalist_id", flat=True) if j not in had]
        if not new:
            raise SendingError(
                "The media list is empty: add journalists to it first."
                if not had
                else "Everyone on the media list already has this pitch."
            )
        PitchRecipient.objects.bulk_create(
            [PitchRecipient(pitch=pitch, journalist_id=j) for j in new], ignore_conflicts=True
        )
        # The first Send dates the pitch (coverage is looked for after it); later ones add
        # journalists who joined the list since.
        Pitch.objects.filter(pk=pitch.pk, sent_at__isnull=True).update(sent_at=now, sent_by=user)
        Pitch.objects.filter(pk=pitch.pk).update(status=Pitch.Status.SENDING)
        # The database task backend commits the task with the copies. A queue outside the
        # database (RQ) may start it before they commit: it finds nothing, and the scheduler's
        # next tick enqueues it again (any_due), so no copy waits longer than a tick.
        send_pitches.enqueue()
    pitch.refresh_from_db(fields=["status", "sent_at", "sent_by"])
    return len(new)


def send_failed_again(pitch: Pitch, *, now: datetime | None = None) -> int:
    """Give the copies that failed (e.g. during a mail server outage) a fresh set of attempts;
    do-not-contact is checked again when each is sent. Returns how many were requeued."""
    now = now or timezone.now()
    with transaction.atomic():
        count = pitch.recipients.filter(status=Status.FAILED).update(
            status=Status.PENDING, attempts=0, next_attempt_at=now, error="", claimed_until=None
        )
        if count:
            Pitch.objects.filter(pk=pitch.pk).update(status=Pitch.Status.SENDING)
            send_pitches.enqueue()
    return count


def not_yet_included(pitch: Pitch) -> QuerySet[Journalist]:
    """Journalists on the list now who have no copy of a pitch already sent (joined since)."""
    if pitch.media_list_id is None or pitch.status == Pitch.Status.DRAFT:
        return Journalist.objects.none()
    # NULLs (copies of since-deleted journalists) left out: NOT IN over a NULL matches nothing.
    copies = pitch.recipients.filter(journalist__isnull=False).values("journalist_id")
    return pitch.media_list.journalists.exclude(pk__in=copies)


# --- claiming ---------------------------------------------------------------------------------


def lease() -> timedelta:
    # One copy per claim, and EMAIL_TIMEOUT (20 s) is far below the lease (300 s): a live worker
    # finishes its copy long before another may take it over.
    return timedelta(seconds=settings.COMMSDESK_LEASE_SECONDS)


def retry_delay(attempts: int) -> timedelta:
    """The base wait doubles with each failed attempt, capped at six hours."""
    seconds = settings.COMMSDESK_PITCH_RETRY_SECONDS * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, 6 * 3600))


def _claimable(now: datetime) -> QuerySet[PitchRecipient]:
    return PitchRecipient.objects.filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now),
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=now),
        status=Status.PENDING,
    )


def any_due(now: datetime | None = None) -> bool:
    return _claimable(now or timezone.now()).exists()


def claim(recipient_id: int, now: datetime) -> bool:
    """Take one copy for sending; False when it is not due or another worker holds it."""
    updated = (
        _claimable(now)
        .filter(pk=recipient_id)
        .update(claimed_until=now + lease(), attempts=F("attempts") + 1)
    )
    return updated == 1


# --- sending ----------------------------------------------------------------------------------


def send_due(*, now: datetime | None = None, limit: int = 500) -> SendReport:
    """Claim the copies that are due, one at a time, and send each."""
    now = now or timezone.now()
    ids = list(_claimable(now).order_by("pk").values_list("pk", flat=True)[:limit])
    outcomes: Counter[str] = Counter()
    pitches = set()
    for pk in ids:
        if claim(pk, now):
            recipient = PitchRecipient.objects.select_related(
                "pitch__team", "pitch__sent_by", "journalist"
            ).get(pk=pk)
            outcomes[_send_one(recipient, now)] += 1
            pitches.add(recipient.pitch_id)
    _finish(pitches)
    return SendReport(**outcomes)


@task()
def send_pitches() -> int:
    """Background task: send the pitch copies that are due; returns how many went out."""
    return send_due().sent


def skip_reason(journalist: Journalist | None) -> str:
    """Why this journalist must not get the copy, or "" when they may."""
    if journalist is None:
        return "The journalist was deleted after the pitch was composed."
    if journalist.do_not_contact:
        reason = journalist.do_not_contact_reason.strip()
        return f"Do not contact{': ' + reason if reason else ''}."
    if not journalist.email.strip():
        return "No email address."
    return ""


def _send_one(recipient: PitchRecipient, now: datetime) -> str:
    journalist = recipient.journalist
    reason = skip_reason(journalist)
    if reason:
        _record(recipient, status=Status.SKIPPED, error=reason)
        return "skipped"
    address = journalist.email.strip()  # as it is now: the address this copy goes to
    try:
        hand_over(build_message(recipient.pitch, journalist))
    except merge.MergeError as exc:  # the text changed under us: retrying will not help
        failure = HandOverError(str(exc), permanent=True)
        return _record_failure(recipient, failure, now, email=address)
    except HandOverError as exc:
        log.warning("pitch copy %s failed: %s", recipient.pk, exc.reason)
        return _record_failure(recipient, exc, now, email=address)
    except Exception as exc:  # one copy's bug must not stop the other copies
        log.exception("pitch copy %s crashed", recipient.pk)
        failure = HandOverError(f"internal error: {exc!r}")
        return _record_failure(recipient, failure, now, email=address)
    _record(recipient, status=Status.SENT, sent_at=timezone.now(), email=address)
    return "sent"


def _record(recipient: PitchRecipient, **fields) -> None:
    fields.setdefault("error", "")
    PitchRecipient.objects.filter(pk=recipient.pk).update(
        claimed_until=None, updated_at=timezone.now(), **fields
    )


def _record_failure(recipient: PitchRecipient, exc: HandOverError, now: datetime, **fields) -> str:
    # `attempts` was counted when the copy was claimed.
    gave_up = exc.permanent or recipient.attempts >= settings.COMMSDESK_PITCH_MAX_ATTEMPTS
    _record(
        recipient,
        status=Status.FAILED if gave_up else Status.PENDING,
        next_attempt_at=now + retry_delay(recipient.attempts),
        error=exc.reason,
        **fields,
    )
    return "failed" if gave_up else "retrying"


def _finish(pitch_ids: set[int]) -> None:
    """A pitch whose copies have all settled (none pending) is sent."""
    for pitch_id in pitch_ids:
        if not PitchRecipient.objects.filter(pitch_id=pitch_id, status=Status.PENDING).exists():
            Pitch.objects.filter(pk=pitch_id, status=Pitch.Status.SENDING).update(
                status=Pitch.Status.SENT
            )


# --- the message ------------------------------------------------------------------------------


def sender_address(pitch: Pitch) -> str:
    return pitch.team.sender_email.strip() or settings.DEFAULT_FROM_EMAIL


def person_name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name().strip() or user.get_username()


def merge_fields(journalist: Journalist, sender) -> dict[str, str]:
    """The values of the merge fields for one journalist, as of now."""
    name = " ".join(journalist.name.split())
    outlet = current_outlet(journalist)
    beats = [str(b).strip() for b in journalist.beats or [] if str(b).strip()]
    return {
        "first_name": name.split(" ")[0] if name else "",
        "name": name,
        "outlet": outlet,
        "beat": beats[0] if beats else "",
        "sender_name": person_name(sender),
    }


def current_outlet(journalist: Journalist) -> str:
    today = timezone.now().date()
    job = (
        Affiliation.objects.filter(journalist=journalist)
        .filter(Q(until__isnull=True) | Q(until__gte=today))
        .select_related("outlet")
        .first()
    )
    return job.outlet.name if job else ""


def merged(pitch: Pitch, journalist: Journalist, sender) -> merge.Merged:
    return merge.render(pitch.subject, pitch.body, merge_fields(journalist, sender))


def build_message(pitch: Pitch, journalist: Journalist) -> EmailMessage:
    """One journalist's own copy: text/plain, From the team's sender, Reply-To the sender."""
    copy = merged(pitch, journalist, pitch.sent_by)
    reply_to = [pitch.sent_by.email] if pitch.sent_by and pitch.sent_by.email else []
    return EmailMessage(
        subject=copy.subject,
        body=copy.body,
        from_email=sender_address(pitch),
        to=[formataddr((journalist.name, journalist.email.strip()))],
        reply_to=reply_to,
    )


def hand_over(message: EmailMessage) -> None:
    """Send through Django's mail backend; a refusal becomes a HandOverError with its reason."""
    try:
        with get_connection(fail_silently=False) as connection:
            connection.send_messages([message])
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _ in exc.recipients.values()]
        reasons = "; ".join(
            f"{who}: {code} {_text(text)}" for who, (code, text) in exc.recipients.items()
        )
        raise HandOverError(
            f"the mail server refused the address: {reasons}",
            permanent=all(code >= 500 for code in codes),
        ) from exc
    except smtplib.SMTPResponseException as exc:
        raise HandOverError(
            f"the mail server refused the message: {exc.smtp_code} {_text(exc.smtp_error)}",
            permanent=exc.smtp_code >= 500,
        ) from exc
    except (smtplib.SMTPException, OSError) as exc:  # disconnects, refused connection, timeout
        raise HandOverError(f"could not reach the mail server: {exc}") from exc


def _text(value: bytes | str) -> str:
    return value.decode(errors="replace") if isinstance(value, bytes) else str(value)
