"""Queue alerts: turn new mentions (or a spike) into Delivery rows, once per story per recipient.

Runs inside the transaction that created the mentions, so an alert is never lost. It decides
*when* each delivery is due (immediately, the next full hour, after quiet hours); it sends nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from commsdesk.accounts.models import Profile
from commsdesk.monitoring.models import AlertRule, Article, Delivery, Mention, Spike


def queue_mentions(mentions: Iterable[Mention], *, now: datetime | None = None) -> int:
    """Queue a Delivery for each new mention's story to each recipient of its search's active
    rules; returns how many were queued. Hidden mentions, muted searches and daily rules (their
    stories go into the morning digest) queue nothing; a story already owed or sent to a
    recipient is never queued again, whichever search or rule found it."""
    now = now or timezone.now()
    mentions = [m for m in mentions if m.state != Mention.State.HIDDEN]
    if not mentions:
        return 0
    rules = _rules_by_search({m.saved_search_id for m in mentions})
    if not rules:  # most matches alert nobody: skip the story look-up on the ingest hot path
        return 0
    stories = dict(
        Article.objects.filter(pk__in={m.article_id for m in mentions}).values_list(
            "id", "story_id"
        )
    )
    dues = {rule.pk: next_attempt_at(rule, now) for group in rules.values() for rule in group}
    wanted: dict[tuple[str, object], Delivery] = {}
    for mention in mentions:
        story_id = stories.get(mention.article_id)
        # An article not (yet) folded into a story is announced on its own, keyed by article.
        key_of = story_id if story_id is not None else ("article", mention.article_id)
        for rule in rules.get(mention.saved_search_id, ()):
            key = (rule.recipient, key_of)
            due = dues[rule.pk]
            if key in wanted and wanted[key].next_attempt_at <= due:
                continue  # the same recipient through another rule: the earliest one wins
            wanted[key] = Delivery(
                rule=rule,
                recipient=rule.recipient,
                story_id=story_id,
                mention=mention,
                next_attempt_at=due,
                created_at=now,
            )
    return _insert_new(wanted)


def queue_spike(spike: Spike, *, now: datetime | None = None) -> int:
    """Queue a spike alert for the search's active immediate/hourly rules that include spikes."""
    now = now or timezone.now()
    if spike.saved_search.muted:
        return 0
    rules = _rules_by_search({spike.saved_search_id}).get(spike.saved_search_id, [])
    wanted: dict[tuple[str, object], Delivery] = {}
    for rule in rules:
        if rule.include_spikes:
            wanted.setdefault(
                (rule.recipient, ("spike", spike.pk)),
                Delivery(
                    rule=rule,
                    recipient=rule.recipient,
                    spike=spike,
                    next_attempt_at=next_attempt_at(rule, now),
                    created_at=now,
                ),
            )
    return _insert_new(wanted)


def next_attempt_at(rule: AlertRule, now: datetime) -> datetime:
    """When a new delivery of `rule` is due: now, or the next full hour, after quiet hours."""
    due = now
    if rule.cadence == AlertRule.Cadence.HOURLY:
        due = now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    return after_quiet_hours(Profile.of(rule.user), due)


def after_quiet_hours(profile: Profile, moment: datetime) -> datetime:
    """`moment`, or the end of the person's quiet hours if it falls inside them."""
    if not profile.is_quiet(moment):
        return moment
    local = moment.astimezone(profile.zone)
    end = datetime.combine(local.date(), profile.quiet_end, tzinfo=profile.zone)
    if end <= local:
        end = datetime.combine(local.date() + timedelta(days=1), profile.quiet_end, profile.zone)
    return end.astimezone(moment.tzinfo)


def _rules_by_search(search_ids: set[int]) -> dict[int, list[AlertRule]]:
    rules = (
        AlertRule.objects.filter(saved_search_id__in=search_ids, active=True)
        .filter(saved_search__muted=False)
        .exclude(cadence=AlertRule.Cadence.DAILY)
        .select_related("user", "user__profile")
        .order_by("id")
    )
    grouped: dict[int, list[AlertRule]] = {}
    for rule in rules:
        grouped.setdefault(rule.saved_search_id, []).append(rule)
    return grouped


def _insert_new(wanted: dict[tuple[str, object], Delivery]) -> int:
    """Insert the deliveries not owed already; the unique constraints settle races with a
    concurrent transaction (ignore_conflicts), the lookup gives an honest count."""
    if not wanted:
        return 0
    recipients = {recipient for recipient, _ in wanted}
    owed: set[tuple[str, object]] = set()
    story_ids = {key for _, key in wanted if isinstance(key, int)}
    if story_ids:
        owed.update(
            Delivery.objects.filter(recipient__in=recipients, story_id__in=story_ids).values_list(
                "recipient", "story_id"
            )
        )
    article_ids = {key[1] for _, key in wanted if isinstance(key, tuple) and key[0] == "article"}
    if article_ids:
        rows = Delivery.objects.filter(
            Q(recipient__in=recipients, story__isnull=True, spike__isnull=True),
            mention__article_id__in=article_ids,
        ).values_list("recipient", "mention__article_id")
        owed.update((recipient, ("article", article)) for recipient, article in rows)
    spike_ids = {key[1] for _, key in wanted if isinstance(key, tuple) and key[0] == "spike"}
    if spike_ids:
        rows = Delivery.objects.filter(recipient__in=recipients, spike_id__in=spike_ids)
        owed.update((r, ("spike", s)) for r, s in rows.values_list("recipient", "spike_id"))
    new = [delivery for key, delivery in wanted.items() if key not in owed]
    Delivery.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)
