"""Key-message pull-through for a campaign: one MessagePresence per key message and article of its
coverage that carries it (pipeline.messages decides), rewritten idempotently.

Runs as a task when a key message changes and nightly for coverage that arrived since; it never
reads or changes mentions' curation.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db import transaction
from django.db.models.signals import m2m_changed, post_save
from django.dispatch import receiver
from django.utils import timezone
from django_tasks import task

from commsdesk.campaigns.models import Campaign, KeyMessage, MessagePresence
from commsdesk.monitoring.models import Article, Mention
from commsdesk.pipeline import messages

BATCH = 500  # articles read and written per transaction
NIGHTLY_LOOKBACK = timedelta(days=2)  # a missed night is caught up the next one


def coverage(campaign: Campaign, *, since: datetime | None = None):
    """Mentions of the campaign's saved searches in its period, hidden ones left out."""
    found = Mention.objects.filter(saved_search__in=campaign.searches.all()).exclude(
        state=Mention.State.HIDDEN
    )
    start = timezone.make_aware(datetime.combine(campaign.starts_on, time.min))
    found = found.filter(sort_at__gte=start)
    if campaign.ends_on:
        end = timezone.make_aware(datetime.combine(campaign.ends_on + timedelta(days=1), time.min))
        found = found.filter(sort_at__lt=end)
    if since is not None:
        found = found.filter(matched_at__gte=since)
    return found


def phrasings_of(message: KeyMessage) -> dict[str, list[str]]:
    """The phrasings per language; the message's own text counts when none are given."""
    given = {lang: list(p) for lang, p in (message.phrasings or {}).items() if p}
    return given or {"": [message.text]}


def refresh(campaign: Campaign, *, since: datetime | None = None) -> int:
    """Recompute presences over the coverage (or only what was matched since `since`).

    Returns how many presences exist afterwards for the articles looked at. Running it twice
    changes nothing; a message no longer found in an article loses its presence row.
    """
    key_messages = [(m, phrasings_of(m)) for m in campaign.key_messages.all()]
    if not key_messages:
        return 0
    article_ids = sorted(set(coverage(campaign, since=since).values_list("article_id", flat=True)))
    if since is None:  # articles no longer covered (a search removed, a mention hidden) drop out
        MessagePresence.objects.filter(key_message__campaign=campaign).exclude(
            article_id__in=coverage(campaign).values("article_id")  # a subquery: no id limit
        ).delete()
    present = 0
    for start in range(0, len(article_ids), BATCH):
        chunk = article_ids[start : start + BATCH]
        articles = Article.objects.filter(pk__in=chunk).only("pk", "title", "text", "language")
        present += _refresh_articles(list(articles), key_messages)
    return present


def _refresh_articles(articles: list[Article], key_messages: list) -> int:
    # Matching (CPU) first, then one short write transaction per batch.
    found = []
    for article in articles:
        passages = messages.passages(article.title, article.text)
        for message, phrasings in key_messages:
            result = messages.presence(passages, phrasings, language=article.language)
            found.append((message, article, result))
    present = 0
    with transaction.atomic():
        for message, article, result in found:
            if result.prominence == messages.ABSENT:
                MessagePresence.objects.filter(key_message=message, article=article).delete()
                continue
            MessagePresence.objects.update_or_create(
                key_message=message,
                article=article,
                defaults={
                    "prominence": result.prominence,
                    "score": result.score,
                    "passage": result.passage,
                    "language": article.language,
                },
            )
            present += 1
    return present


@task()
def refresh_campaign(campaign_id: int) -> int:
    """A campaign's key messages changed: recompute its whole coverage."""
    campaign = Campaign.objects.filter(pk=campaign_id).first()
    return refresh(campaign) if campaign is not None else 0


@task()
def refresh_new_coverage() -> int:
    """Nightly: presences for coverage matched in the last two days, every campaign with key
    messages (current or ended lately, since backfills can add older articles)."""
    since = timezone.now() - NIGHTLY_LOOKBACK
    campaigns = Campaign.objects.filter(key_messages__isnull=False).distinct()
    return sum(refresh(campaign, since=since) for campaign in campaigns)


@receiver(post_save, sender=KeyMessage, dispatch_uid="pullthrough-key-message-saved")
def _key_message_saved(sender, instance: KeyMessage, **kwargs) -> None:
    # Enqueued on commit (the task backend's default), so the worker sees the saved text. A
    # deleted message needs nothing: its presences go with it (on_delete=CASCADE).
    refresh_campaign.enqueue(instance.campaign_id)


@receiver(m2m_changed, sender=Campaign.searches.through, dispatch_uid="pullthrough-coverage")
def _coverage_changed(sender, instance, action: str, **kwargs) -> None:
    # Other saved searches bring other articles: their presences are due now, not next night.
    changed = action in ("post_add", "post_remove", "post_clear")
    if changed and isinstance(instance, Campaign) and instance.key_messages.exists():
        refresh_campaign.enqueue(instance.pk)
