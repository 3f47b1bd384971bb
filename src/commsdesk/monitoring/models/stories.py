"""Stories: syndicated and near-duplicate copies folded into one piece of coverage.

A Story is a cluster of Articles; StoryKey is the database-backed LSH index that finds a new
article's cluster within the time window; StoryEvent is the audit trail of who changed what.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Story(models.Model):
    """A cluster of copies of one piece of coverage: one story, N placements, M outlets."""

    first_seen = models.DateTimeField(default=timezone.now)
    # The newest placement's time: "breaking" lists sort and filter on it.
    last_seen = models.DateTimeField(default=timezone.now)
    representative = models.ForeignKey(
        "Article", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    size = models.PositiveIntegerField(default=1, help_text="Placements (articles)")
    outlet_count = models.PositiveIntegerField(default=1, help_text="Distinct outlets")

    class Meta:
        verbose_name_plural = "stories"
        indexes = [models.Index(fields=["-last_seen"], name="story_last_seen")]

    def __str__(self) -> str:
        return f"Story {self.pk} ({self.size} placement{'s' if self.size != 1 else ''})"


class StoryKey(models.Model):
    """One lookup key of an article in the story index: an LSH band of its MinHash signature,
    its canonical-URL key or its outlet+normalised-title key. A new article's keys find the
    stories it may belong to; keys older than the window are deleted, so the index stays bounded.
    """

    key = models.CharField(max_length=64)
    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="keys")
    article = models.ForeignKey("Article", on_delete=models.CASCADE, related_name="story_keys")
    at = models.DateTimeField(help_text="The article's time; keys outside the window expire")

    class Meta:
        indexes = [
            models.Index(fields=["key", "at"], name="storykey_key_at"),
            models.Index(fields=["at"], name="storykey_at"),
        ]

    def __str__(self) -> str:
        return f"{self.key} → story {self.story_id}"


class StoryEvent(models.Model):
    """The audit trail of story membership: automatic joins and people's splits and merges."""

    class Kind(models.TextChoices):
        JOINED = "joined", "Joined automatically"
        SPLIT = "split", "Split off by a person"
        MERGED = "merged", "Merged by a person"

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    article = models.ForeignKey(
        "Article", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The other story in a split (the new one) or a merge (the one folded in, now gone).
    other_story_id = models.PositiveBigIntegerField(null=True, blank=True)
    similarity = models.FloatField(null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"Story {self.story_id} {self.kind} at {self.at:%Y-%m-%d %H:%M}"
