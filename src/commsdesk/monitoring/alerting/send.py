"""Send due alerts: claim deliveries with a lease, send one message per rule, record the outcome.

A claim is a conditional UPDATE (as for ingest items), so N workers never send one delivery
twice and a killed worker's lease runs out for another to take over. Failures back off
exponentially per delivery and show on the rule; one failing endpoint never holds up the others.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from commsdesk.ingest.fetching import make_webhook_poster
from commsdesk.monitoring.alerting.channels import (
    Alert,
    DeliveryError,
    SpikeLine,
    StoryLine,
    absolute,
    deliver,
)
from commsdesk.monitoring.models import AlertRule, Article, Delivery, Mention, SavedSearch, Spike
from commsdesk.pipeline.fetch import Fetcher

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SendReport:
    sent: int = 0  # deliveries handed over
    retrying: int = 0  # failed this time, due again later
    failed: int = 0  # gave up after the last attempt (or a permanent error)
    skipped: int = 0  # rule paused or search muted since they were queued


def lease() -> timedelta:
    return timedelta(seconds=settings.COMMSDESK_LEASE_SECONDS)


def retry_delay(attempts: int) -> timedelta:
    """Exponential: the base wait doubles with each failed attempt, capped at six hours."""
    seconds = settings.COMMSDESK_ALERT_RETRY_SECONDS * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, 6 * 3600))


def _claimable(now: datetime):
    return Delivery.objects.filter(state=Delivery.State.PENDING, next_attempt_at__lte=now).filter(
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    )


def any_due(now: datetime | None = None) -> bool:
    return _claimable(now or timezone.now()).exists()


def claim(delivery_id: int, now: datetime) -> bool:
    """Take one delivery for sending; False when it is not due or another worker holds it."""
    return (
        _claimable(now)
        .filter(pk=delivery_id)
        .update(claimed_until=now + lease(), attempts=F("attempts") + 1)
        == 1
    )


def send_due(*, now: datetime | None = None, limit: int = 500) -> SendReport:
    """Claim what is due and send it, one message per rule."""
    now = now or timezone.now()
    ids = list(_claimable(now).order_by("next_attempt_at").values_list("id", flat=True)[:limit])
    claimed = [pk for pk in ids if claim(pk, now)]
    if not claimed:
        return SendReport()
    deliveries = Delivery.objects.filter(pk__in=claimed).select_related(
        "rule__user", "rule__saved_search", "spike", "story__representative__outlet"
    )
    batches: dict[int, list[Delivery]] = defaultdict(list)
    for delivery in deliveries:
        batches[delivery.rule_id].append(delivery)
    totals = defaultdict(int)
    with make_webhook_poster() as poster:
        for batch in batches.values():
            for outcome, n in _send_batch(batch, poster, now).items():
                totals[outcome] += n
    return SendReport(**totals)


def _send_batch(batch: list[Delivery], poster: Fetcher, now: datetime) -> dict[str, int]:
    rule = batch[0].rule
    ids = [d.pk for d in batch]
    if not rule.active or rule.saved_search.muted:
        Delivery.objects.filter(pk__in=ids).update(state=Delivery.State.SKIPPED, claimed_until=None)
        return {"skipped": len(ids)}
    try:
        deliver(alert_for(rule, batch), poster)
    except DeliveryError as exc:
        log.warning("alert rule %s failed: %s", rule.pk, exc.reason)
        return _record_failure(rule, batch, exc, now)
    except Exception as exc:  # a bug in one rule's message must not stop the other rules
        log.exception("alert rule %s crashed", rule.pk)
        return _record_failure(rule, batch, DeliveryError(f"internal error: {exc!r}"), now)
    Delivery.objects.filter(pk__in=ids).update(
        state=Delivery.State.SENT, sent_at=timezone.now(), claimed_until=None, error=""
    )
    AlertRule.objects.filter(pk=rule.pk).update(consecutive_failures=0, last_sent_at=now)
    return {"sent": len(ids)}


def _record_failure(
    rule: AlertRule, batch: list[Delivery], exc: DeliveryError, now: datetime
) -> dict[str, int]:
    outcomes = {"retrying": 0, "failed": 0}
    for delivery in batch:
        # `attempts` was counted when the delivery was claimed.
        gave_up = exc.permanent or delivery.attempts >= settings.COMMSDESK_ALERT_MAX_ATTEMPTS
        Delivery.objects.filter(pk=delivery.pk).update(
            state=Delivery.State.FAILED if gave_up else Delivery.State.PENDING,
            next_attempt_at=now + retry_delay(delivery.attempts),
            claimed_until=None,
            error=exc.reason,
        )
        outcomes["failed" if gave_up else "retrying"] += 1
    AlertRule.objects.filter(pk=rule.pk).update(
        consecutive_failures=F("consecutive_failures") + 1,
        last_error=exc.reason,
        last_error_at=now,
    )
    return outcomes


def send_test(rule: AlertRule) -> None:
    """Send a test message with the search's latest stories (or a sample); raises DeliveryError."""
    mentions = (
        Mention.objects.filter(saved_search=rule.saved_search)
        .exclude(state=Mention.State.HIDDEN)
        .select_related("article__outlet", "article__story")[:3]
    )
    stories = tuple(story_line(m.article, m) for m in mentions) or (_sample_line(),)
    with make_webhook_poster() as poster:
        deliver(Alert(rule=rule, stories=stories, test=True), poster)


# --- building the message -------------------------------------------------------------------


def alert_for(rule: AlertRule, batch: list[Delivery]) -> Alert:
    mention_ids = [d.mention_id for d in batch if d.mention_id]
    mentions = Mention.objects.filter(pk__in=mention_ids).select_related(
        "article__outlet", "article__story__representative__outlet"
    )
    by_id = {m.pk: m for m in mentions}
    stories = []
    for delivery in batch:
        mention = by_id.get(delivery.mention_id)
        if mention is not None:
            stories.append(story_line(_shown_article(mention.article), mention))
        elif delivery.story_id and delivery.story.representative:
            # The mention was deleted since: the story is still owed, without its hit terms.
            stories.append(story_line(delivery.story.representative, None))
    spikes = tuple(spike_line(d.spike) for d in batch if d.spike_id)
    return Alert(rule=rule, stories=tuple(stories), spikes=spikes)


def _shown_article(article: Article) -> Article:
    """The story's representative placement when there is one: usually the first publisher."""
    story = article.story
    return story.representative if story and story.representative else article


def story_line(article: Article, mention: Mention | None) -> StoryLine:
    return StoryLine(
        title=article.title,
        url=article.url,
        link=reverse("monitoring:article", args=[article.pk]),
        outlet=article.outlet.name if article.outlet else _domain(article.url),
        placements=article.story.size if article.story else 1,
        hits=hit_terms(mention) if mention else (),
        published_at=article.published_at,
    )


def spike_line(spike: Spike) -> SpikeLine:
    why = spike.why or {}
    return SpikeLine(
        hour=spike.hour,
        count=spike.count,
        baseline=spike.baseline,
        stories=tuple(_label(x) for x in why.get("stories", []))[:5],
        outlets=tuple(_label(x) for x in why.get("outlets", []))[:5],
        terms=tuple(_label(x) for x in why.get("terms", []))[:8],
    )


def _label(item: object) -> str:
    """A spike's "why" entries may be plain strings or small dicts ({"title"|"name"|"term",
    "count"}): show them as one label either way."""
    if isinstance(item, dict):
        name = next((item[k] for k in ("title", "name", "term", "outlet") if item.get(k)), "")
        count = item.get("count")
        return f"{name} ({count})" if count else str(name)
    return str(item)


def hit_terms(mention: Mention) -> tuple[str, ...]:
    """The distinct terms that made the search match, in the order the matcher gave them."""
    terms = (h.get("term", "") if isinstance(h, dict) else h for h in mention.hits or [])
    return tuple(dict.fromkeys(str(t) for t in terms if t))


def _domain(url: str) -> str:
    return url.split("/")[2] if "://" in url else url


def _sample_line() -> StoryLine:
    return StoryLine(
        title="Sample story: your alerts will look like this",
        url=absolute("/"),
        link="/",
        outlet="commsdesk",
        placements=1,
        hits=("sample",),
        published_at=timezone.now(),
    )


def failing_rules(search: SavedSearch):
    """The search's rules whose last attempts failed, for the saved-search page."""
    return search.alert_rules.filter(consecutive_failures__gt=0)
