"""Wikipedia attention: pages the team watches, their daily pageviews, and each project's most
read pages of a day (kept, so a page of top articles is fetched once per project and day).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from commsdesk.accounts.models import TeamScopedQuerySet


class WatchedPage(models.Model):
    """A Wikipedia (or other Wikimedia) page whose readership the team compares with coverage."""

    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="+")
    project = models.CharField(max_length=100, help_text='e.g. "en.wikipedia"')
    title = models.CharField(max_length=500)
    # Coverage to set beside the attention: a saved search's mentions, or a campaign's.
    saved_search = models.ForeignKey(
        "monitoring.SavedSearch", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    next_fetch_at = models.DateTimeField(null=True, blank=True)
    last_fetched_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    failures = models.PositiveIntegerField(default=0)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        ordering = ["project", "title"]
        constraints = [
            models.UniqueConstraint(fields=["team", "project", "title"], name="one_watch_per_page")
        ]
        indexes = [models.Index(fields=["next_fetch_at"], name="watched_page_due")]

    def __str__(self) -> str:
        return f"{self.title} ({self.project})"


class PageviewDay(models.Model):
    page = models.ForeignKey(WatchedPage, on_delete=models.CASCADE, related_name="days")
    day = models.DateField()
    views = models.PositiveBigIntegerField()

    class Meta:
        ordering = ["day"]
        constraints = [models.UniqueConstraint(fields=["page", "day"], name="one_count_per_day")]

    def __str__(self) -> str:
        return f"{self.page} {self.day}: {self.views}"


class TopArticlesDay(models.Model):
    """A project's most read pages on one day, as the API listed them (rank, title, views)."""

    project = models.CharField(max_length=100)
    day = models.DateField()
    articles = models.JSONField(default=list)
    fetched_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "day"], name="one_top_list_per_day")
        ]

    def __str__(self) -> str:
        return f"Top of {self.project} on {self.day}"
