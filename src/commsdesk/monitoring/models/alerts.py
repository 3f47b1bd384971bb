"""Alert rules, the delivery outbox, morning-digest runs and detected spikes.

A Delivery row is written in the same transaction as the mention (or spike) it announces, so an
alert is never lost; unique constraints per recipient make sure none is sent twice.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone


def _secret() -> str:
    return secrets.token_hex(32)


class AlertRule(models.Model):
    """How and when one saved search's news reaches one person or one endpoint."""

    class Cadence(models.TextChoices):
        IMMEDIATE = "immediate", "Immediately"
        HOURLY = "hourly", "Hourly batch"
        DAILY = "daily", "In the morning digest"

    class Channel(models.TextChoices):
        EMAIL = "email", "Email"
        SLACK = "slack", "Slack-compatible webhook"
        WEBHOOK = "webhook", "Webhook (JSON, HMAC-signed)"

    saved_search = models.ForeignKey(
        "SavedSearch", on_delete=models.CASCADE, related_name="alert_rules"
    )
    # The person the rule belongs to: their time zone and quiet hours apply, and email goes to
    # their address unless `target` names another.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alert_rules"
    )
    cadence = models.CharField(max_length=10, choices=Cadence.choices, default=Cadence.IMMEDIATE)
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.EMAIL)
    target = models.CharField(max_length=2000, blank=True, help_text="Email address or webhook URL")
    secret = models.CharField(max_length=128, default=_secret, help_text="HMAC key for webhooks")
    include_spikes = models.BooleanField(default=True)
    active = models.BooleanField(default=True)
    # Health, shown beside the rule: a failing endpoint is visible, never silent.
    consecutive_failures = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["saved_search", "id"]

    def __str__(self) -> str:
        how = f"{self.get_channel_display()} {self.get_cadence_display().lower()}"
        return f"{how}: {self.saved_search}"

    @property
    def recipient(self) -> str:
        """Who receives, as one comparable string: the same inbox never gets a story twice."""
        if self.channel == self.Channel.EMAIL:
            return "email:" + (self.target or self.user.email).strip().lower()
        return f"{self.channel}:{self.target.strip()}"


class Spike(models.Model):
    """An hour in which a saved search's matches rose well above its baseline, and why."""

    saved_search = models.ForeignKey("SavedSearch", on_delete=models.CASCADE, related_name="spikes")
    hour = models.DateTimeField(help_text="Start of the hour (UTC)")
    count = models.PositiveIntegerField()
    baseline = models.FloatField(help_text="Expected matches per hour (rolling median)")
    spread = models.FloatField(help_text="Robust spread of the baseline (scaled MAD)")
    score = models.FloatField(help_text="How far above the baseline, in spreads")
    # {"stories": [...], "outlets": [...], "terms": [...]}: what drove it, for the alert text.
    why = models.JSONField(default=dict)
    detected_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-hour"]
        constraints = [
            models.UniqueConstraint(fields=["saved_search", "hour"], name="one_spike_per_hour")
        ]

    def __str__(self) -> str:
        return f"Spike in {self.saved_search} at {self.hour:%Y-%m-%d %H:00}"


class Delivery(models.Model):
    """One story (or spike) owed to one recipient by one rule: the outbox of alerts."""

    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"  # gave up after retries; shown on the rule
        SKIPPED = "skipped", "Skipped"  # rule muted or deleted before sending

    rule = models.ForeignKey(AlertRule, on_delete=models.CASCADE, related_name="deliveries")
    recipient = models.CharField(max_length=2100)
    story = models.ForeignKey(
        "Story", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    mention = models.ForeignKey(
        "Mention", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    spike = models.ForeignKey(
        Spike, null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries"
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    # Not before: quiet hours and hourly batches push this forward; retries back off.
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "story"],
                condition=models.Q(story__isnull=False),
                name="story_once_per_recipient",
            ),
            models.UniqueConstraint(
                fields=["recipient", "spike"],
                condition=models.Q(spike__isnull=False),
                name="spike_once_per_recipient",
            ),
        ]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="delivery_due")]

    def __str__(self) -> str:
        what = f"story {self.story_id}" if self.story_id else f"spike {self.spike_id}"
        return f"{what} to {self.recipient} ({self.state})"


class DigestRun(models.Model):
    """One person's morning digest for one local date: at most one is ever sent."""

    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_runs"
    )
    local_date = models.DateField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-local_date"]
        constraints = [
            models.UniqueConstraint(fields=["user", "local_date"], name="one_digest_per_day")
        ]

    def __str__(self) -> str:
        return f"Digest for {self.user} on {self.local_date} ({self.state})"
