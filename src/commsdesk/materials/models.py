"""The foundational materials library, key statistics, drafts, press kits and the public press room.

Materials are Markdown with a version per save, an approval workflow and translations tied to the
source version they were made from. Drafts cite materials and statistics by reference (`Citation`),
which is what makes stale numbers findable. Coverage and contacts live in other apps.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from commsdesk.accounts.models import SensitiveQuerySet, TeamScopedQuerySet


class Status(models.TextChoices):
    """One workflow for materials, statistics, drafts and press kits."""

    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    APPROVED = "approved", "Approved"
    RETIRED = "retired", "Retired"


class TeamOwned(models.Model):
    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="+")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_approved(self) -> bool:
        return self.status == Status.APPROVED


class Material(TeamOwned):
    """One piece of approved-to-be language: its text is the newest `MaterialVersion`."""

    class Kind(models.TextChoices):
        FAQ = "faq", "FAQ"
        BRIEFING = "briefing", "Briefing"
        TALKING_POINTS = "talking_points", "Talking points"
        KEY_MESSAGES = "key_messages", "Key messages"
        BOILERPLATE = "boilerplate", "Boilerplate (About us)"
        HOLDING_STATEMENT = "holding_statement", "Holding statement"
        FACT_SHEET = "fact_sheet", "Fact sheet"
        BIO = "bio", "Bio"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=300)
    # Markdown. For an FAQ, each `##` heading is a question and what follows it the answer.
    body = models.TextField(blank=True)
    language = models.CharField(max_length=12, default="en", help_text="ISO 639-1, e.g. es")
    tags = models.JSONField(default=list, blank=True)
    topics = models.JSONField(default=list, blank=True)
    audiences = models.JSONField(default=list, blank=True)
    # The newest version's number (0 before the first save) and the one last approved.
    version = models.PositiveIntegerField(default=0)
    approved_version = models.PositiveIntegerField(null=True, blank=True)
    review_by = models.DateField(null=True, blank=True, help_text="When the owner must re-check it")
    # The review-by date a reminder went out for: one reminder per date, however often the
    # scheduler runs.
    review_reminded_for = models.DateField(null=True, blank=True)
    # A translation names its source and the source version it was translated from; when the
    # source moves on, the translation is stale until someone updates it.
    translation_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="translations"
    )
    source_version = models.PositiveIntegerField(null=True, blank=True)
    # Shown in the public press room once approved (boilerplate, bios, fact sheets, FAQs).
    public = models.BooleanField(
        default=False, help_text="Show in the public press room once approved"
    )
    # Embargoed, crisis-only or otherwise restricted: seen only by COMMSDESK_SENSITIVE_ROLES.
    sensitive = models.BooleanField(
        default=False, help_text="Embargoed, crisis-only: seen only by admins and editors"
    )

    objects = SensitiveQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        indexes = [
            models.Index(fields=["team", "kind", "status"], name="material_kind"),
            models.Index(fields=["review_by"], name="material_review_by"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_translation(self) -> bool:
        return self.translation_of_id is not None

    @property
    def is_stale_translation(self) -> bool:
        source = self.translation_of
        return (
            source is not None
            and self.source_version is not None
            and source.version > self.source_version
        )


class MaterialVersion(models.Model):
    material = models.ForeignKey(Material, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    note = models.CharField(max_length=300, blank=True, help_text="What changed")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["material", "number"], name="one_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.material} v{self.number}"


class KeyStatistic(TeamOwned):
    """A number the team quotes, with where it comes from and how old it may get."""

    class Combine(models.TextChoices):
        FIRST = "first", "First match"
        SUM = "sum", "Sum of all matches"

    name = models.CharField(max_length=200)
    # What drafts cite it by, e.g. "articles-en"; unique within the team.
    slug = models.SlugField(max_length=100)
    description = models.TextField(blank=True)
    value = models.DecimalField(max_digits=30, decimal_places=6)
    unit = models.CharField(max_length=60, blank=True, help_text='e.g. "articles", "%"')
    as_of = models.DateField(default=timezone.localdate)
    source_url = models.URLField(max_length=1000, blank=True)
    # Stale once as_of is older than this many days (empty: never by age).
    max_age_days = models.PositiveIntegerField(null=True, blank=True)
    # Live source: a URL returning JSON and a JSONPath into it, refreshed by the scheduler. A
    # failed refresh keeps the last good value and records the error for people to see.
    live_preset = models.CharField(max_length=60, blank=True)
    live_url = models.URLField(max_length=1000, blank=True)
    live_path = models.CharField(
        max_length=300, blank=True, help_text="JSONPath, e.g. $.items[*].views"
    )
    live_combine = models.CharField(max_length=8, choices=Combine.choices, default=Combine.FIRST)
    refresh_hours = models.PositiveIntegerField(default=24)
    next_refresh_at = models.DateTimeField(null=True, blank=True)
    last_refreshed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["team", "slug"], name="one_statistic_slug")]
        indexes = [models.Index(fields=["next_refresh_at"], name="statistic_refresh_due")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_live(self) -> bool:
        return bool(self.live_url and self.live_path)


class StatisticValue(models.Model):
    """The history of a statistic: every value it has had, manual or refreshed."""

    class Origin(models.TextChoices):
        MANUAL = "manual", "Entered"
        LIVE = "live", "Refreshed"

    statistic = models.ForeignKey(KeyStatistic, on_delete=models.CASCADE, related_name="history")
    value = models.DecimalField(max_digits=30, decimal_places=6)
    as_of = models.DateField()
    origin = models.CharField(max_length=8, choices=Origin.choices, default=Origin.MANUAL)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-recorded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.statistic}: {self.value} ({self.as_of})"


class Draft(TeamOwned):
    """Something the team will publish or send: a press release, blog post, media response or
    social post, written from the library and approved before it goes out."""

    class Kind(models.TextChoices):
        PRESS_RELEASE = "press_release", "Press release"
        BLOG_POST = "blog_post", "Blog post"
        MEDIA_RESPONSE = "media_response", "Media response"
        SOCIAL_POST = "social_post", "Social post"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=300, help_text="The headline of a press release")
    slug = models.SlugField(max_length=200, blank=True)
    language = models.CharField(max_length=12, default="en")
    body = models.TextField(blank=True)  # Markdown
    # Press release parts (empty for other kinds).
    subtitle = models.CharField(max_length=300, blank=True)
    dateline = models.CharField(
        max_length=200, blank=True, help_text="e.g. SAN FRANCISCO, 25 November 2026"
    )
    lead = models.TextField(blank=True)
    quotes = models.TextField(blank=True)
    boilerplate = models.TextField(blank=True)
    media_contact = models.TextField(blank=True)
    # Social posts: the networks it is written for (x, mastodon, bluesky, linkedin).
    networks = models.JSONField(default=list, blank=True)
    inquiry = models.ForeignKey(
        "relations.Inquiry", null=True, blank=True, on_delete=models.SET_NULL, related_name="drafts"
    )
    story = models.ForeignKey(
        "monitoring.Story", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Text proposed by the writing assistant stays marked as generated until a person edits or
    # approves it.
    generated = models.BooleanField(default=False)
    generated_by = models.CharField(max_length=200, blank=True)
    # A press release appears in the public press room from this moment (approved ones only).
    published_at = models.DateTimeField(null=True, blank=True)
    # Embargo: until this instant only `embargo_people` (and the owner) see the draft inside
    # commsdesk, and the press room publishes it at that moment, not before. The zone is the one
    # the embargo was announced in ("embargoed until 09:00 CET").
    embargo_until = models.DateTimeField(null=True, blank=True)
    embargo_timezone = models.CharField(max_length=64, default="UTC")
    embargo_people = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    # Embargoed, crisis-only or otherwise restricted: seen only by COMMSDESK_SENSITIVE_ROLES.
    sensitive = models.BooleanField(
        default=False, help_text="Embargoed, crisis-only: seen only by admins and editors"
    )

    objects = SensitiveQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]
        indexes = [
            models.Index(fields=["team", "kind", "status"], name="draft_kind"),
            models.Index(fields=["published_at"], name="draft_published"),
        ]

    def __str__(self) -> str:
        return self.title


class Citation(models.Model):
    """A material or statistic a draft quotes, with what it said when it was inserted."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="citations")
    material = models.ForeignKey(
        Material, null=True, blank=True, on_delete=models.SET_NULL, related_name="citations"
    )
    material_version = models.PositiveIntegerField(null=True, blank=True)
    statistic = models.ForeignKey(
        KeyStatistic, null=True, blank=True, on_delete=models.SET_NULL, related_name="citations"
    )
    value = models.DecimalField(max_digits=30, decimal_places=6, null=True, blank=True)
    as_of = models.DateField(null=True, blank=True)
    # The words inserted into the draft, so a changed value can be found and replaced.
    text = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(material__isnull=False)
                | models.Q(statistic__isnull=False)
                | models.Q(text__gt=""),
                name="citation_names_something",
            )
        ]

    def __str__(self) -> str:
        return f"{self.draft} cites {self.material or self.statistic}"


class PressKit(TeamOwned):
    """A bundle for journalists: materials, releases, images and logos, downloadable as a ZIP."""

    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=200)
    language = models.CharField(max_length=12, default="en")
    description = models.TextField(blank=True)  # Markdown
    materials = models.ManyToManyField(Material, blank=True, related_name="press_kits")
    releases = models.ManyToManyField(Draft, blank=True, related_name="press_kits")

    class Meta:
        ordering = ["title"]
        constraints = [models.UniqueConstraint(fields=["team", "slug"], name="one_press_kit_slug")]

    def __str__(self) -> str:
        return self.title


class PressKitFile(models.Model):
    class Kind(models.TextChoices):
        IMAGE = "image", "Image"
        LOGO = "logo", "Logo"
        DOCUMENT = "document", "Document"

    kit = models.ForeignKey(PressKit, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to="press-kits/%Y/%m/")
    # The name journalists see and download it as (the stored name may differ).
    name = models.CharField(max_length=255)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.IMAGE)
    caption = models.CharField(max_length=500, blank=True)
    credit = models.CharField(max_length=300, blank=True, help_text="Author and licence")
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class PressRoom(models.Model):
    """The team's public press page: off until an admin turns it on."""

    team = models.OneToOneField(
        "accounts.Team", on_delete=models.CASCADE, related_name="press_room"
    )
    slug = models.SlugField(max_length=100, unique=True)
    enabled = models.BooleanField(default=False)
    title = models.CharField(max_length=200)
    intro = models.TextField(blank=True)  # Markdown
    contact_name = models.CharField(max_length=200, blank=True)
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=60, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.title
