"""Comms operations: the communications calendar's own entries (with embargoes), incidents of
the crisis room with their timeline, and the story bank of ideas from the movement.

Dates that live elsewhere (speaking slots, inquiry deadlines, review-by dates, campaign
milestones, embargoed releases) are read from their own apps into the calendar, not copied here.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from commsdesk.accounts.models import TeamScopedQuerySet


class TeamOwned(models.Model):
    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        abstract = True


class PlannedItem(TeamOwned):
    """Something the team plans on a date: an announcement, an event, a campaign milestone."""

    class Kind(models.TextChoices):
        ANNOUNCEMENT = "announcement", "Announcement"
        PRESS_RELEASE = "press_release", "Press release"
        MILESTONE = "milestone", "Campaign milestone"
        EVENT = "event", "Event"
        OTHER = "other", "Other"

    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.ANNOUNCEMENT)
    title = models.CharField(max_length=300)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(null=True, blank=True)
    all_day = models.BooleanField(default=False)
    # The zone the date was set in (shown beside each reader's own).
    timezone = models.CharField(max_length=64, default="UTC")
    campaign = models.ForeignKey(
        "campaigns.Campaign", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    draft = models.ForeignKey(
        "materials.Draft", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    language = models.CharField(max_length=12, blank=True)
    region = models.CharField(max_length=100, blank=True, help_text="Country code or region")
    location = models.CharField(max_length=300, blank=True)
    notes = models.TextField(blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Until this instant only `embargo_people` (and the owner) see the item; empty: no embargo.
    embargo_until = models.DateTimeField(null=True, blank=True)
    embargo_people = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")

    class Meta:
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["team", "starts_at"], name="planned_item_when")]

    def __str__(self) -> str:
        return self.title


class Incident(TeamOwned):
    """A crisis: its own searches, people on call, approved lines, inquiries and a timeline."""

    class Severity(models.TextChoices):
        LOW = "low", "Low"
        MEDIUM = "medium", "Medium"
        HIGH = "high", "High"
        CRITICAL = "critical", "Critical"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        MONITORING = "monitoring", "Monitoring"
        CLOSED = "closed", "Closed"

    title = models.CharField(max_length=300)
    summary = models.TextField(blank=True, help_text="What happened, in a few lines")
    severity = models.CharField(max_length=10, choices=Severity.choices, default=Severity.MEDIUM)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    opened_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    on_call = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    searches = models.ManyToManyField("monitoring.SavedSearch", blank=True, related_name="+")
    # The holding statement and Q&A (and any other lines) from the library.
    materials = models.ManyToManyField("materials.Material", blank=True, related_name="+")
    inquiries = models.ManyToManyField("relations.Inquiry", blank=True, related_name="incidents")
    # Written when it closes (proposed from the timeline and the coverage, edited by people).
    post_incident_summary = models.TextField(blank=True)

    class Meta:
        ordering = ["-opened_at"]

    def __str__(self) -> str:
        return self.title


class IncidentEvent(models.Model):
    """One line of an incident's timeline: what happened or what was decided, by whom, when."""

    class Kind(models.TextChoices):
        EVENT = "event", "Event"
        DECISION = "decision", "Decision"
        ACTION = "action", "Action"
        NOTE = "note", "Note"

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="timeline")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.EVENT)
    at = models.DateTimeField(default=timezone.now)
    text = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.text[:60]}"


class StoryIdea(TeamOwned):
    """A story from the movement worth telling: who, where, the angle, and consent to tell it."""

    class Stage(models.TextChoices):
        IDEA = "idea", "Idea"
        VETTED = "vetted", "Vetted"
        PITCHED = "pitched", "Pitched"
        PUBLISHED = "published", "Published"
        DROPPED = "dropped", "Dropped"

    class Consent(models.TextChoices):
        NOT_ASKED = "not_asked", "Not asked yet"
        ASKED = "asked", "Asked"
        GIVEN = "given", "Given"
        REFUSED = "refused", "Refused"

    class Origin(models.TextChoices):
        FORM = "form", "Suggested by a colleague"
        ARTICLE = "article", "From an article"
        FEED = "feed", "From a community feed"

    title = models.CharField(max_length=300)
    summary = models.TextField(blank=True)
    who = models.CharField(max_length=300, blank=True, help_text="The people in the story")
    place = models.CharField(max_length=300, blank=True)
    country = models.CharField(max_length=2, blank=True, help_text="ISO 3166 code, e.g. NG")
    language = models.CharField(max_length=12, blank=True)
    theme = models.CharField(max_length=200, blank=True)
    media_angle = models.TextField(blank=True)
    contact = models.TextField(blank=True, help_text="How to reach the people in it")
    consent = models.CharField(max_length=10, choices=Consent.choices, default=Consent.NOT_ASKED)
    consent_notes = models.TextField(blank=True)
    stage = models.CharField(max_length=10, choices=Stage.choices, default=Stage.IDEA)
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.FORM)
    article = models.ForeignKey(
        "monitoring.Article", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    pitches = models.ManyToManyField("relations.Pitch", blank=True, related_name="story_ideas")
    drafts = models.ManyToManyField("materials.Draft", blank=True, related_name="story_ideas")
    coverage = models.ManyToManyField("monitoring.Article", blank=True, related_name="story_ideas")
    # When it reached "published" (the spread view counts stories told per quarter by this).
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["team", "stage"], name="story_idea_stage")]

    def __str__(self) -> str:
        return self.title


class StoryPhoto(models.Model):
    idea = models.ForeignKey(StoryIdea, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to="story-bank/%Y/%m/")
    caption = models.CharField(max_length=500, blank=True)
    credit = models.CharField(max_length=300, blank=True, help_text="Author and licence")
    uploaded_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.caption or self.file.name


class CommunitySource(models.Model):
    """A monitored source (a community blog or feed) whose new articles the team wants offered
    as story ideas. Sources are shared by all teams; which are "community" is each team's view,
    so it lives here rather than as a flag on monitoring's Source."""

    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="+")
    source = models.ForeignKey("monitoring.Source", on_delete=models.CASCADE, related_name="+")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["team", "source"], name="one_community_source")
        ]

    def __str__(self) -> str:
        return f"{self.source} (community)"


class DismissedSuggestion(models.Model):
    """A community article the team decided is not a story: it is not suggested again."""

    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="+")
    article = models.ForeignKey("monitoring.Article", on_delete=models.CASCADE, related_name="+")
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    dismissed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["team", "article"], name="one_dismissal")]

    def __str__(self) -> str:
        return f"dismissed {self.article_id}"


class EmbargoLift(models.Model):
    """The announcement that one embargo lifted: a row per record and embargo instant, so the
    unique constraint is the claim (two schedulers never announce twice) and moving an embargo
    to a new instant announces again. Drafts live in materials, so the marker lives here."""

    class Record(models.TextChoices):
        DRAFT = "draft", "Press release or draft"
        PLANNED = "planned", "Planned item"

    record = models.CharField(max_length=10, choices=Record.choices)
    record_id = models.PositiveIntegerField()
    embargo_until = models.DateTimeField()
    claimed_at = models.DateTimeField(default=timezone.now)
    announced_to = models.PositiveIntegerField(default=0, help_text="People emailed")

    class Meta:
        ordering = ["-embargo_until"]
        constraints = [
            models.UniqueConstraint(
                fields=["record", "record_id", "embargo_until"], name="one_lift_per_embargo"
            )
        ]

    def __str__(self) -> str:
        return f"{self.record} {self.record_id} lifted {self.embargo_until:%Y-%m-%d %H:%M}"
