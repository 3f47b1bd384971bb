"""Where coverage comes from (Source, Outlet) and what arrived (Item, Article).

Health figures are derived from Item outcomes, never stored twice. Stories live in `stories`.

Fetching and parsing live in `commsdesk.pipeline`; turning its records into rows lives in `ingest`.
"""

from __future__ import annotations

import zlib
from datetime import timedelta

from django.db import connection, models
from django.utils import timezone


class Outlet(models.Model):
    """A publication. Created automatically from an article's domain; people enrich it."""

    class Type(models.TextChoices):
        WIRE = "wire", "Wire service"
        NATIONAL = "national", "National"
        REGIONAL = "regional", "Regional / local"
        TRADE = "trade", "Trade / specialist"
        BLOG = "blog", "Blog / newsletter"
        BROADCAST = "broadcast", "Broadcast"
        SOCIAL = "social", "Social platform"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200)
    domain = models.CharField(max_length=253, unique=True)
    country = models.CharField(max_length=2, blank=True, help_text="ISO 3166-1 alpha-2")
    languages = models.CharField(max_length=100, blank=True, help_text="ISO 639-1, comma-separated")
    type = models.CharField(max_length=20, choices=Type.choices, default=Type.OTHER)
    tier = models.PositiveSmallIntegerField(null=True, blank=True, help_text="1 (top) to 3")
    monthly_audience = models.PositiveBigIntegerField(null=True, blank=True)
    audience_source = models.CharField(max_length=200, blank=True)
    audience_as_of = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SourceQuerySet(models.QuerySet):
    def failing(self) -> SourceQuerySet:
        return self.filter(active=True, consecutive_failures__gt=0)


class Source(models.Model):
    """A place we fetch coverage from on a schedule (a feed today; social and archives later)."""

    class Kind(models.TextChoices):
        RSS = "rss", "RSS"
        ATOM = "atom", "Atom"
        JSON = "json", "JSON Feed"
        SITEMAP = "sitemap", "Sitemap"
        MASTODON = "mastodon", "Mastodon"
        BLUESKY = "bluesky", "Bluesky"
        REDDIT = "reddit", "Reddit"
        WARC = "warc", "Web archive"
        MANUAL = "manual", "Manual clips"

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.RSS)
    url = models.URLField(max_length=2000, unique=True)
    outlet = models.ForeignKey(Outlet, null=True, blank=True, on_delete=models.SET_NULL)
    language = models.CharField(max_length=8, blank=True, help_text="Expected language, if known")
    country = models.CharField(max_length=2, blank=True)
    active = models.BooleanField(default=True, help_text="Paused sources are not fetched")
    interval_minutes = models.PositiveIntegerField(default=30)
    # Scheduling: a scheduler claims a due source by moving next_fetch_at forward in one
    # conditional UPDATE, so N schedulers never fetch one source twice.
    next_fetch_at = models.DateTimeField(default=timezone.now, db_index=True)
    # Health
    last_fetch_at = models.DateTimeField(null=True, blank=True)
    last_ok_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    # Conditional GET
    etag = models.CharField(max_length=500, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    # Social sources: where the next poll resumes (Mastodon: newest status id; Bluesky: newest
    # indexedAt; Reddit: newest created_utc) and an optional API token (Mastodon instances that
    # only search for signed-in apps). Nullable, so adding them rebuilds nothing.
    cursor = models.CharField(max_length=500, null=True, blank=True)  # noqa: DJ001
    access_token = models.CharField(max_length=500, null=True, blank=True)  # noqa: DJ001
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_social(self) -> bool:
        return self.kind in SOCIAL_KINDS

    @property
    def token_hint(self) -> str:
        """The token as people may see it again: its last four characters only."""
        return f"••••{self.access_token[-4:]}" if self.access_token else ""

    @property
    def status(self) -> str:
        """One word for the list: paused, new, failing or ok ('ok' with no articles is fine)."""
        if not self.active:
            return "paused"
        if self.consecutive_failures:
            return "failing"
        if self.last_ok_at is None:
            return "new"
        return "ok"


SOCIAL_KINDS = frozenset({Source.Kind.MASTODON, Source.Kind.BLUESKY, Source.Kind.REDDIT})


class FetchLog(models.Model):
    """One attempt to read a source (the feed itself, not the articles it points to)."""

    class Status(models.TextChoices):
        OK = "ok", "Fetched"
        NOT_MODIFIED = "not_modified", "Not modified"
        FAILED = "failed", "Failed"

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="fetch_logs")
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices)
    reason = models.TextField(blank=True)
    entries = models.PositiveIntegerField(default=0, help_text="Entries in the feed")
    new_items = models.PositiveIntegerField(default=0, help_text="Entries not seen before")

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["source", "-started_at"])]

    def __str__(self) -> str:
        return f"{self.source} {self.status} at {self.started_at:%Y-%m-%d %H:%M}"


class ArticleQuerySet(models.QuerySet):
    def languages(self) -> list[str]:
        """The distinct language codes in the archive, by hopping through the language index
        (one seek per language) instead of reading every row: 113 ms → <1 ms at 1M articles."""
        table = self.model._meta.db_table
        sql = (
            f"WITH RECURSIVE seen(code) AS (SELECT MIN(language) FROM {table} "
            f"UNION ALL SELECT (SELECT MIN(language) FROM {table} WHERE language > code) "
            "FROM seen WHERE code IS NOT NULL) SELECT code FROM seen WHERE code IS NOT NULL"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return [code for (code,) in cursor.fetchall()]


class Article(models.Model):
    """One piece of coverage, stored once however many sources or workers bring it."""

    url = models.URLField(max_length=2000)
    canonical_url = models.URLField(max_length=2000)
    url_hash = models.CharField(max_length=64, unique=True)
    source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles"
    )
    outlet = models.ForeignKey(
        Outlet, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles"
    )
    story = models.ForeignKey(
        "Story", null=True, blank=True, on_delete=models.SET_NULL, related_name="articles"
    )
    language = models.CharField(max_length=8)
    language_confidence = models.FloatField(default=0.0)
    language_decided_by = models.CharField(max_length=40, blank=True)
    country = models.CharField(max_length=2, blank=True)
    authors = models.JSONField(default=list, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    fetched_at = models.DateTimeField(default=timezone.now)
    # Newest-first lists sort on this: the published date, never later than the fetch.
    sort_at = models.DateTimeField(default=timezone.now, db_index=True)
    extraction_method = models.CharField(max_length=40, blank=True)
    # How close this article is to the story it joined (estimated Jaccard of shingles; 1.0 for
    # exact copies, null for the first article of a story).
    story_similarity = models.FloatField(null=True, blank=True)
    # Machine sentiment of the whole article: label, score in [-1, 1], the sentences that drove
    # it and the analyser that decided (null: not analysed, e.g. no analyser for the language).
    # Nullable without defaults so adding them is an ALTER TABLE, not a rebuild of the archive.
    sentiment = models.CharField(max_length=10, null=True, blank=True)  # noqa: DJ001
    sentiment_score = models.FloatField(null=True, blank=True)
    sentiment_evidence = models.JSONField(null=True, blank=True)
    sentiment_by = models.CharField(max_length=40, null=True, blank=True)  # noqa: DJ001
    # Long columns last: SQLite reads the short ones (dates, codes) from a row's first page
    # without following overflow pages.
    title = models.TextField()
    text = models.TextField()
    raw_html = models.BinaryField(null=True, blank=True, editable=False)  # zlib-compressed
    # MinHash signature of the normalised text (pipeline.dedupe.Signature bytes), kept so a
    # person's split or merge can be re-scored without re-reading every text.
    minhash = models.BinaryField(null=True, blank=True, editable=False)
    # A social post (null for web articles): platform, handle, author name/url, id, engagement
    # counts with `engagement_read_at`, who reposted it, community and shared link. Nullable so
    # adding it is cheap; the archive filters posts through the partial index below.
    post = models.JSONField(null=True, blank=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-sort_at", "-id"]
        # Indexes are added with Meta.indexes, never by altering a field: on SQLite an altered
        # field rebuilds the table, which drops the full-text triggers (apps.py restores them).
        indexes = [
            models.Index(fields=["source", "-sort_at"]),
            models.Index(fields=["outlet", "-sort_at"]),
            models.Index(fields=["fetched_at"], name="article_fetched_at"),  # "today" counts
            # Filtered archive pages read newest-first straight off these (1.5 s -> <1 ms at 1M).
            models.Index(fields=["language", "-sort_at"], name="article_language_newest"),
            models.Index(fields=["country", "-sort_at"], name="article_country_newest"),
            # "Posts only" reads newest-first straight off this; web articles are not in it.
            models.Index(
                fields=["-sort_at"],
                name="article_posts_newest",
                condition=models.Q(post__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @staticmethod
    def compress(html: bytes) -> bytes:
        # Level 1: a third of the CPU of level 6 for about 15% more bytes; raw pages are
        # written once per article and rarely read.
        return zlib.compress(html, 1)

    @property
    def is_post(self) -> bool:
        return self.post is not None

    @property
    def paragraphs(self) -> list[str]:
        return [line for line in self.text.split("\n") if line.strip()]

    @property
    def html(self) -> bytes:
        return zlib.decompress(bytes(self.raw_html)) if self.raw_html else b""


class ItemQuerySet(models.QuerySet):
    def claimable(self, now) -> ItemQuerySet:
        """Pending or due-for-retry items whose lease (if any) has run out."""
        return self.filter(
            models.Q(state=Item.State.PENDING) | models.Q(state=Item.State.RETRY),
            next_attempt_at__lte=now,
        ).filter(models.Q(claimed_until__isnull=True) | models.Q(claimed_until__lt=now))

    def outcome_counts_by_day(self, days: int = 14) -> list[dict]:
        since = timezone.now() - timedelta(days=days)
        return list(
            self.filter(decided_at__gte=since)
            .annotate(day=models.functions.TruncDate("decided_at"))
            .values("day", "state")
            .annotate(n=models.Count("id"))
            .order_by("-day", "state")
        )


class Item(models.Model):
    """One link a source pointed at: the ledger entry that ends in exactly one outcome.

    Created pending when a feed lists a new link; a worker claims it with a lease, runs the
    pipeline and records the outcome. A worker killed mid-item leaves a lease that runs out,
    so another worker takes the item over: nothing is lost and nothing is counted twice.
    """

    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        STORED = "stored", "Stored"
        DUPLICATE = "duplicate", "Duplicate"
        FILTERED = "filtered", "Filtered"
        QUARANTINED = "quarantined", "Quarantined"
        RETRY = "retry", "Retry"

    source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.CASCADE, related_name="items"
    )
    url = models.URLField(max_length=2000)
    url_hash = models.CharField(max_length=64)
    title_hint = models.TextField(blank=True)
    published_hint = models.DateTimeField(null=True, blank=True)
    state = models.CharField(max_length=20, choices=State.choices, default=State.PENDING)
    reason = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_until = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True, db_index=True)
    article = models.ForeignKey(Article, null=True, blank=True, on_delete=models.SET_NULL)

    objects = ItemQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "url_hash"], name="one_item_per_link_per_source"
            )
        ]
        indexes = [models.Index(fields=["state", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.url} ({self.state})"
