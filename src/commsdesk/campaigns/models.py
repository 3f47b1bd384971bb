"""Campaigns and what their impact reports are built from, structured by the AMEC Integrated
Evaluation Framework: objectives, KPIs per level (with manual entries for what the system cannot
measure), key messages, peers for share of voice, the owned activity log and report schedules.

Coverage itself is not stored here: it is the mentions of the campaign's saved searches.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from commsdesk.accounts.models import TeamScopedQuerySet


class Campaign(models.Model):
    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="campaigns")
    name = models.CharField(max_length=200)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True, help_text="Empty: ongoing")
    objectives = models.TextField(blank=True)
    audiences = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    # The campaign's coverage: mentions of these saved searches.
    searches = models.ManyToManyField(
        "monitoring.SavedSearch", blank=True, related_name="campaigns"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "name"]

    def __str__(self) -> str:
        return self.name


class Level(models.TextChoices):
    """The AMEC Integrated Evaluation Framework's levels, in order."""

    OBJECTIVE = "objective", "Objectives"
    INPUT = "input", "Inputs"
    ACTIVITY = "activity", "Activities"
    OUTPUT = "output", "Outputs"
    OUTTAKE = "outtake", "Out-takes"
    OUTCOME = "outcome", "Outcomes"
    IMPACT = "impact", "Organisational impact"


class KPI(models.Model):
    """A measurable target. `metric` names a figure the system computes; "manual" ones are
    entered by people (survey results, donations, sign-ups)."""

    class Metric(models.TextChoices):
        MANUAL = "manual", "Entered by hand"
        STORIES = "stories", "Stories"
        PLACEMENTS = "placements", "Placements"
        OUTLETS = "outlets", "Outlets"
        REACH = "reach", "Reach (audience, once per outlet)"
        SHARE_OF_VOICE = "share_of_voice", "Share of voice (%)"
        PULL_THROUGH = "pull_through", "Key-message pull-through (%)"
        NET_SENTIMENT = "net_sentiment", "Net sentiment"
        TIER1_OUTLETS = "tier1_outlets", "Tier-1 outlets"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="kpis")
    name = models.CharField(max_length=200)
    level = models.CharField(max_length=10, choices=Level.choices, default=Level.OUTPUT)
    metric = models.CharField(max_length=20, choices=Metric.choices, default=Metric.MANUAL)
    target = models.FloatField(null=True, blank=True)
    unit = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["campaign", "level", "id"]
        verbose_name = "KPI"

    def __str__(self) -> str:
        return self.name


class KPIEntry(models.Model):
    """A value of a manual KPI as of a date, with who entered it and where it came from."""

    kpi = models.ForeignKey(KPI, on_delete=models.CASCADE, related_name="entries")
    value = models.FloatField()
    as_of = models.DateField(default=timezone.localdate)
    source = models.CharField(max_length=300, blank=True, help_text="e.g. survey of 400 editors")
    note = models.TextField(blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-as_of", "-id"]
        verbose_name_plural = "KPI entries"

    def __str__(self) -> str:
        return f"{self.kpi}: {self.value} ({self.as_of})"


class KeyMessage(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="key_messages")
    text = models.CharField(max_length=500)
    # {"en": ["knowledge belongs to everyone"], "es": ["el conocimiento es de todos"]}
    phrasings = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["campaign", "id"]

    def __str__(self) -> str:
        return self.text


class MessagePresence(models.Model):
    """A key message found in an article: 2 in the headline or lead, 1 in the body."""

    key_message = models.ForeignKey(KeyMessage, on_delete=models.CASCADE, related_name="presences")
    article = models.ForeignKey(
        "monitoring.Article", on_delete=models.CASCADE, related_name="message_presences"
    )
    prominence = models.PositiveSmallIntegerField(help_text="0 absent, 1 body, 2 headline/lead")
    score = models.FloatField(help_text="How closely the passage matches a phrasing (0-100)")
    passage = models.TextField(blank=True)
    language = models.CharField(max_length=8, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key_message", "article"], name="one_presence")
        ]

    def __str__(self) -> str:
        return f"{self.key_message} in {self.article_id} ({self.prominence})"


class Peer(models.Model):
    """Another organisation for share of voice, defined by its own saved search."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="peers")
    name = models.CharField(max_length=200)
    saved_search = models.ForeignKey(
        "monitoring.SavedSearch", on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        ordering = ["campaign", "name"]

    def __str__(self) -> str:
        return self.name


class Activity(models.Model):
    """What the team did (owned activity): releases, posts, events, pitches."""

    class Kind(models.TextChoices):
        PRESS_RELEASE = "press_release", "Press release"
        POST = "post", "Blog or social post"
        EVENT = "event", "Event"
        PITCH = "pitch", "Pitch"
        INTERVIEW = "interview", "Interview"
        OTHER = "other", "Other"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="activities")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    title = models.CharField(max_length=300)
    happened_on = models.DateField(default=timezone.localdate)
    url = models.URLField(max_length=2000, blank=True)
    pitch = models.ForeignKey(
        "relations.Pitch", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-happened_on", "-id"]
        verbose_name_plural = "activities"

    def __str__(self) -> str:
        return self.title


class ReportNote(models.Model):
    """People's own words for one report period: recommendations and commentary."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="report_notes")
    period_start = models.DateField()
    period_end = models.DateField()
    recommendations = models.TextField(blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "period_start", "period_end"], name="one_note_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign} {self.period_start}–{self.period_end}"


class ReportSchedule(models.Model):
    """A progress report emailed (PDF attached) every week, month or quarter."""

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", "Weekly"
        MONTHLY = "monthly", "Monthly"
        QUARTERLY = "quarterly", "Quarterly"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="schedules")
    frequency = models.CharField(max_length=10, choices=Frequency.choices)
    recipients = models.JSONField(default=list, help_text="Email addresses")
    active = models.BooleanField(default=True)
    next_run_at = models.DateTimeField()
    claimed_until = models.DateTimeField(null=True, blank=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["active", "next_run_at"], name="schedule_due")]

    def __str__(self) -> str:
        return f"{self.campaign} {self.frequency} report"
