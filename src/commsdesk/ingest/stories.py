"""Which story a newly stored article joins: the database-backed story index.

An article's keys (the LSH bands of its MinHash signature, its canonical-URL key and its
outlet + normalised-title key) are looked up among the keys of articles within the window; the
most similar candidate at or above the pipeline's threshold wins, else a new story starts.
It never merges or splits stories: people do that (`monitoring.stories`).

Two workers storing two copies at the same moment: each looks for candidates before its write
transaction (`prepare`), so neither may see the other and both may start a story of their own.
That is a missed fold a person can merge, never a wrong count: a join locks the story row
(`place`) and recounts it from its placements after any other writer committed, so two joins,
or a join and a person's split, never lose each other's placement from the counters.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from commsdesk.monitoring.models import Article, Story, StoryEvent, StoryKey
from commsdesk.monitoring.stories import lock, merged_into, recount
from commsdesk.pipeline import dedupe
from commsdesk.pipeline.dedupe import Signature

# Exact keys: a match is a copy by definition (similarity 1.0). Prefixed so they never meet a
# band key; 62 hex digits of the sha256 (248 bits) fit the 64-character column.
URL_PREFIX, TITLE_PREFIX = "u:", "t:"
# Most candidate placements scored per article: a story with hundreds of copies needs only its
# newest few to be found, and this bounds the work an unlucky boilerplate-only text can cause.
MAX_CANDIDATES = 200


def window() -> timedelta:
    return timedelta(days=settings.COMMSDESK_STORY_WINDOW_DAYS)


@dataclass(frozen=True, slots=True)
class Plan:
    """What `prepare` found for one article before it is stored."""

    signature: Signature
    keys: list[str]
    match: tuple[float, int] | None  # (similarity, matched article id), if a copy was found


def prepare(article: Article, text: str) -> Plan:
    """Sign the text and look for the closest placement; read-only, so the caller runs it
    before its write transaction (on SQLite that transaction holds the database's write lock:
    signing and looking up inside it cut two workers' ingest from 28 to 17 pages/s)."""
    sig = dedupe.signature(text)
    keys = keys_of(article, sig)
    return Plan(sig, keys, _best_candidate(article, sig, keys))


def place(article: Article, plan: Plan) -> Story:
    """Insert the (unsaved) article into the story `plan` found or a new one, keep the story's
    counters right and index the article's keys; call inside the transaction that stores it."""
    article.minhash = plan.signature.to_bytes()
    story = _lock_story_of(plan.match[1]) if plan.match else None
    if story is None:
        story = Story.objects.create(
            first_seen=article.sort_at,
            last_seen=article.sort_at,
            size=1,
            outlet_count=1 if article.outlet_id else 0,
        )
        article.story, article.story_similarity = story, None
        article.save(force_insert=True)
        story.representative = article
        Story.objects.filter(pk=story.pk).update(representative=article)
    else:
        similarity, matched = plan.match
        article.story, article.story_similarity = story, round(similarity, 3)
        article.save(force_insert=True)
        recount(story)
        StoryEvent.objects.create(
            story=story, kind=StoryEvent.Kind.JOINED, article=article,
            similarity=article.story_similarity, note=f"most similar to article {matched}",
        )  # fmt: skip
    StoryKey.objects.bulk_create(
        StoryKey(key=key, story=story, article=article, at=article.sort_at) for key in plan.keys
    )
    return story


def keys_of(article: Article, sig: Signature) -> list[str]:
    """The article's lookup keys: LSH bands (when the text is long enough to compare), its
    canonical and fetched URLs, and its normalised title on its outlet."""
    keys = dedupe.band_keys(sig) if sig.shingles >= dedupe.MIN_SHINGLES else []
    for url in {article.canonical_url, article.url}:
        try:
            keys.append(URL_PREFIX + dedupe.url_key(url)[:62])
        except ValueError:
            continue  # a URL the canonicaliser refuses: the canonical one is always there
    if article.outlet_id and dedupe.normalise(article.title):
        keys.append(TITLE_PREFIX + dedupe.title_key(article.outlet.domain, article.title)[:62])
    return keys


def expire_keys(now: datetime | None = None) -> int:
    """Delete index keys older than the window (the scheduler's sweep calls this), so the
    index holds about a window's worth of articles; returns how many were deleted.

    Articles backfilled with old dates fold with each other only while their keys live,
    i.e. until the next sweep: copies in one backfill run still find each other.
    """
    cutoff = (now or timezone.now()) - window()
    deleted, _ = StoryKey.objects.filter(at__lt=cutoff).delete()
    return deleted


def _best_candidate(article: Article, sig: Signature, keys: list[str]) -> tuple[float, int] | None:
    """(similarity, matched article id) of the closest placement, if close enough."""
    span = window()
    rows = list(
        StoryKey.objects.filter(
            key__in=keys, at__gte=article.sort_at - span, at__lte=article.sort_at + span
        )
        .order_by("-at")
        .values_list("key", "story_id", "article_id")[: MAX_CANDIDATES * 4]
    )
    scores: dict[int, tuple[float, int]] = {}  # article id -> (similarity, story id)
    for key, story_id, article_id in rows:
        if key.startswith((URL_PREFIX, TITLE_PREFIX)):
            scores[article_id] = (1.0, story_id)
    banded = {a: s for _, s, a in rows if a not in scores}
    stored = Article.objects.filter(pk__in=list(banded)[:MAX_CANDIDATES]).values_list(
        "pk", "minhash"
    )
    for article_id, data in stored:
        if not data:
            continue
        similarity = sig.jaccard(Signature.from_bytes(bytes(data)))
        if similarity >= dedupe.THRESHOLD:
            scores[article_id] = (similarity, banded[article_id])
    if not scores:
        return None
    # Most similar first; on a tie, the older story (lower id) keeps the copy.
    matched, (similarity, _) = max(
        scores.items(), key=lambda item: (item[1][0], -item[1][1], -item[0])
    )
    return similarity, matched


def _lock_story_of(article_id: int) -> Story | None:
    """The story the matched article is in now (a person may have split or merged it since
    `prepare` looked), locked for the join; None if the article is gone."""
    story_id = Article.objects.filter(pk=article_id).values_list("story_id", flat=True).first()
    if story_id is None:
        return None
    locked = lock([story_id])
    if not locked:  # merged away between the two reads: follow it
        target = merged_into(story_id)
        locked = lock([target]) if target else []
    return locked[0] if locked else None
