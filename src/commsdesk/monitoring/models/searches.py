"""Saved searches and the mentions they collect, with each mention's curation state.

The query text is parsed, explained and compiled by `pipeline.query` (its one owner); these
models only store it, the filters beside it and what matched.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from commsdesk.accounts.models import TeamScopedQuerySet


class SavedSearchQuerySet(TeamScopedQuerySet):
    def live(self) -> SavedSearchQuerySet:
        return self.filter(muted=False)


class SavedSearch(models.Model):
    """A standing question ("coverage of us in Spanish") that new articles are matched against."""

    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="searches")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="searches",
    )
    name = models.CharField(max_length=200)
    query = models.TextField(help_text="Lucene-style query; see the query syntax guide")
    # Filters beside the query; empty means "any". Codes, not free text: ISO 639-1 languages,
    # ISO 3166-1 alpha-2 countries, outlet tiers 1-3.
    languages = models.JSONField(default=list, blank=True)
    countries = models.JSONField(default=list, blank=True)
    tiers = models.JSONField(default=list, blank=True)
    sources = models.ManyToManyField("Source", blank=True, related_name="+")
    outlets = models.ManyToManyField("Outlet", blank=True, related_name="+")
    # Languages whose labels and aliases a name list expands names into (empty: no expansion).
    name_languages = models.JSONField(default=list, blank=True)
    muted = models.BooleanField(default=False, help_text="Muted searches collect but never alert")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    last_matched_at = models.DateTimeField(null=True, blank=True)

    objects = SavedSearchQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "saved searches"

    def __str__(self) -> str:
        return self.name


class Mention(models.Model):
    """An article a saved search matched, with what hit and what a person decided about it."""

    class State(models.TextChoices):
        NEW = "new", "New"
        KEPT = "kept", "Kept"
        HIDDEN = "hidden", "Hidden"

    class Sentiment(models.TextChoices):
        POSITIVE = "positive", "Positive"
        NEUTRAL = "neutral", "Neutral"
        NEGATIVE = "negative", "Negative"

    saved_search = models.ForeignKey(SavedSearch, on_delete=models.CASCADE, related_name="mentions")
    article = models.ForeignKey("Article", on_delete=models.CASCADE, related_name="mentions")
    matched_at = models.DateTimeField(default=timezone.now)
    # A copy of the article's sort_at: the mentions feed reads newest-first off one index.
    sort_at = models.DateTimeField()
    # [{"term": "wikipedia", "field": "title"}, ...]: "why did this match".
    hits = models.JSONField(default=list)
    state = models.CharField(max_length=10, choices=State.choices, default=State.NEW)
    tags = models.JSONField(default=list, blank=True)
    note = models.TextField(blank=True)
    sentiment_override = models.CharField(max_length=10, choices=Sentiment.choices, blank=True)
    # Stance toward what the search looks for, from the sentences that mention it (null: not
    # analysed); a person's sentiment_override wins over it in reports. Nullable: added by
    # ALTER TABLE, not a table rebuild.
    stance = models.CharField(max_length=10, null=True, blank=True)  # noqa: DJ001
    stance_score = models.FloatField(null=True, blank=True)
    stance_evidence = models.JSONField(null=True, blank=True)
    curated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    curated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-sort_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["saved_search", "article"], name="one_mention_per_search"
            )
        ]
        indexes = [
            models.Index(fields=["saved_search", "-sort_at"], name="mention_search_newest"),
            models.Index(fields=["saved_search", "matched_at"], name="mention_search_matched"),
            models.Index(fields=["matched_at"], name="mention_matched_at"),
        ]

    def __str__(self) -> str:
        return f"{self.saved_search} ← {self.article_id}"


class NameVariant(models.Model):
    """A team's own spelling of a name in a language, added to the shipped Wikidata name list
    (e.g. a local chapter's name, or a transliteration the press uses)."""

    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="names")
    name = models.CharField(max_length=200, help_text="The name as written in queries")
    language = models.CharField(max_length=8, help_text="ISO 639-1")
    label = models.CharField(max_length=300, help_text="How it is written in that language")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "language", "label"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "name", "language", "label"], name="one_name_variant"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} [{self.language}] {self.label}"
