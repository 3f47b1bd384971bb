"""Word an alert for its channel and hand it over: email (Django's mail backend, text + HTML),
a Slack-compatible incoming webhook, or a generic JSON webhook signed with HMAC-SHA256.

It sends one message and raises `DeliveryError` when that fails; retries and bookkeeping live in
`send`. Webhooks go through the project's one HTTP client (SSRF guard, pinning, timeouts).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import smtplib
import time
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.urls import reverse

from commsdesk.monitoring.models import AlertRule
from commsdesk.pipeline.errors import PermanentError, PipelineError
from commsdesk.pipeline.fetch import Fetcher

SIGNATURE_HEADER = "X-Commsdesk-Signature"
TIMESTAMP_HEADER = "X-Commsdesk-Timestamp"


class DeliveryError(Exception):
    """A message could not be handed over; `permanent` means retrying cannot help."""

    def __init__(self, reason: str, *, permanent: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent


@dataclass(frozen=True, slots=True)
class StoryLine:
    """One story in an alert: its first or representative placement, and what matched."""

    title: str
    url: str  # the publisher's page
    link: (
        str  # the article page in commsdesk, as a path: web pages link it as is, mail adds the host
    )
    outlet: str
    placements: int  # copies of the story seen so far (syndication folded)
    hits: tuple[str, ...]  # the query terms that matched, for "why"
    published_at: datetime | None


@dataclass(frozen=True, slots=True)
class SpikeLine:
    """A spike and why: the stories, outlets and terms driving it (labels as written)."""

    hour: datetime
    count: int
    baseline: float
    stories: tuple[str, ...]
    outlets: tuple[str, ...]
    terms: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Alert:
    """One message for one rule: its due stories and spikes together."""

    rule: AlertRule
    stories: tuple[StoryLine, ...] = ()
    spikes: tuple[SpikeLine, ...] = ()
    test: bool = False  # a "send a test message" from the rule's page

    @property
    def search_name(self) -> str:
        return self.rule.saved_search.name

    @property
    def subject(self) -> str:
        parts = []
        if self.stories:
            n = len(self.stories)
            parts.append(f"{n} new stor{'y' if n == 1 else 'ies'}")
        if self.spikes:
            parts.append("a spike in coverage")
        prefix = "Test: " if self.test else ""
        return f"{prefix}{self.search_name}: {' and '.join(parts) or 'nothing new'}"


def absolute(path: str) -> str:
    return settings.COMMSDESK_BASE_URL + path


def unsubscribe_url(rule: AlertRule) -> str:
    from commsdesk.accounts.models import Profile

    token = Profile.of(rule.user).unsubscribe_token
    return absolute(reverse("monitoring:unsubscribe_rule", args=[token, rule.pk]))


def deliver(alert: Alert, poster: Fetcher) -> None:
    """Send `alert` through its rule's channel, or raise DeliveryError."""
    channel = alert.rule.channel
    if channel == AlertRule.Channel.EMAIL:
        send_email(alert)
    elif channel == AlertRule.Channel.SLACK:
        _post(poster, alert.rule.target, slack_body(alert), {})
    else:
        body = webhook_body(alert)
        _post(poster, alert.rule.target, body, signed_headers(alert.rule.secret, body))


# --- email ----------------------------------------------------------------------------------


def send_email(alert: Alert) -> None:
    address = alert.rule.target.strip() or alert.rule.user.email
    if not address:
        raise DeliveryError("the rule has no email address and its owner has none", permanent=True)
    context = _context(alert)
    message = EmailMultiAlternatives(
        subject=alert.subject,
        body=render_to_string("monitoring/alerts/alert_email.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[address],
        headers={"List-Unsubscribe": f"<{context['unsubscribe_url']}>"},
    )
    message.attach_alternative(
        render_to_string("monitoring/alerts/alert_email.html", context), "text/html"
    )
    send_mail_message(message)


def send_mail_message(message: EmailMultiAlternatives) -> None:
    """Send through Django's configured backend; SMTP trouble becomes a DeliveryError to retry."""
    try:
        with get_connection(fail_silently=False) as connection:
            connection.send_messages([message])
    except smtplib.SMTPException as exc:
        raise DeliveryError(f"mail server refused the message: {_smtp_reason(exc)}") from exc
    except OSError as exc:  # refused connection, DNS, timeout
        raise DeliveryError(f"could not reach the mail server: {exc}") from exc


def _smtp_reason(exc: smtplib.SMTPException) -> str:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "; ".join(
            f"{who}: {code} {text.decode(errors='replace')}"
            for who, (code, text) in exc.recipients.items()
        )
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{exc.smtp_code} {exc.smtp_error.decode(errors='replace')}"
    return str(exc) or type(exc).__name__


def _context(alert: Alert) -> dict:
    search_path = reverse("monitoring:search_alerts", args=[alert.rule.saved_search_id])
    return {
        "alert": alert,
        "rule": alert.rule,
        "base_url": settings.COMMSDESK_BASE_URL,
        "unsubscribe_url": unsubscribe_url(alert.rule),
        "rule_url": absolute(search_path),
    }


# --- webhooks -------------------------------------------------------------------------------


def slack_body(alert: Alert) -> bytes:
    """Slack's incoming-webhook JSON: `text` (the fallback every compatible service reads) and
    Block Kit sections. Mattermost, Rocket.Chat and Discord's /slack endpoint accept it too."""
    lines = [f"*{_slack_escape(alert.subject)}*"]
    for story in alert.stories:
        why = f" — matched {', '.join(story.hits)}" if story.hits else ""
        copies = f", {story.placements} placements" if story.placements > 1 else ""
        lines.append(
            f"• <{story.url}|{_slack_escape(story.title)}> ({_slack_escape(story.outlet)}"
            f"{copies}){_slack_escape(why)}"
        )
    for spike in alert.spikes:
        lines.append(_slack_escape(spike_sentence(spike)))
    text = "\n".join(lines)
    blocks = [
        {"type": "section", "text": {"type": "mrkdwn", "text": line[:3000]}} for line in lines
    ]
    return json.dumps({"text": text, "blocks": blocks[:50]}).encode()


def _slack_escape(text: str) -> str:
    # Slack's mrkdwn reserves these three (api.slack.com "Escaping text").
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def webhook_body(alert: Alert) -> bytes:
    search = alert.rule.saved_search
    payload = {
        "event": "test" if alert.test else "alert",
        "saved_search": {"id": search.pk, "name": search.name},
        "rule": alert.rule.pk,
        "stories": [
            {
                "title": s.title,
                "url": s.url,
                "link": absolute(s.link),
                "outlet": s.outlet,
                "placements": s.placements,
                "hits": list(s.hits),
                "published_at": s.published_at.isoformat() if s.published_at else None,
            }
            for s in alert.stories
        ],
        "spikes": [
            {
                "hour": s.hour.isoformat(),
                "count": s.count,
                "baseline": s.baseline,
                "why": {
                    "stories": list(s.stories),
                    "outlets": list(s.outlets),
                    "terms": list(s.terms),
                },
            }
            for s in alert.spikes
        ],
    }
    return json.dumps(payload, ensure_ascii=False).encode()


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """`sha256=` + hex HMAC-SHA256 of `timestamp.body` keyed with the rule's secret.

    The scheme is documented for receivers in docs/deployment.md."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


def signed_headers(secret: str, body: bytes, *, now: float | None = None) -> dict[str, str]:
    timestamp = str(int(now if now is not None else time.time()))
    return {TIMESTAMP_HEADER: timestamp, SIGNATURE_HEADER: sign(secret, timestamp, body)}


def _post(poster: Fetcher, url: str, body: bytes, headers: dict[str, str]) -> None:
    if not url:
        raise DeliveryError("the rule has no webhook address", permanent=True)
    try:
        poster.post_json(url, body, headers=headers)
    except PipelineError as exc:
        raise DeliveryError(exc.reason, permanent=isinstance(exc, PermanentError)) from exc


def spike_sentence(spike: SpikeLine) -> str:
    why = [
        f"{label}: {', '.join(items)}"
        for label, items in (
            ("stories", spike.stories),
            ("outlets", spike.outlets),
            ("terms", spike.terms),
        )
        if items
    ]
    return (
        f"Spike at {spike.hour:%Y-%m-%d %H:00} UTC: {spike.count} matches "
        f"(usually about {spike.baseline:.0f}). " + ("; ".join(why) if why else "")
    ).strip()
