"""Media relations records: journalists and where they work, media lists, pitches, inbound press
inquiries, spokespeople, media trainings and speaking opportunities.

Everything here is team-owned personal or working data: every queryset is scoped with
`for_team(user)` before a lookup. Outlets live in monitoring (articles link to them).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from commsdesk.accounts.models import SensitiveQuerySet, TeamScopedQuerySet


class TeamOwned(models.Model):
    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        abstract = True


class Journalist(TeamOwned):
    class Contact(models.TextChoices):
        EMAIL = "email", "Email"
        PHONE = "phone", "Phone"
        SOCIAL = "social", "Social media"
        ANY = "", "No preference"

    class Origin(models.TextChoices):
        MANUAL = "manual", "Added by hand"
        BYLINE = "byline", "From an article byline"
        IMPORT = "import", "Imported"

    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=50, blank=True)
    outlets = models.ManyToManyField(
        "monitoring.Outlet", through="Affiliation", blank=True, related_name="journalists"
    )
    beats = models.JSONField(default=list, blank=True, help_text="Topics they cover")
    languages = models.JSONField(default=list, blank=True, help_text="ISO 639-1 codes")
    country = models.CharField(max_length=2, blank=True)
    # {"mastodon": "@ana@example.social", "bluesky": "ana.bsky.social", "x": "@ana"}
    social = models.JSONField(default=dict, blank=True)
    preferred_contact = models.CharField(
        max_length=10, choices=Contact.choices, default=Contact.ANY, blank=True
    )
    notes = models.TextField(blank=True)
    do_not_contact = models.BooleanField(default=False)
    do_not_contact_reason = models.CharField(max_length=300, blank=True)
    # How their name appears in bylines, so their articles can be listed on their page.
    bylines = models.JSONField(default=list, blank=True)
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.MANUAL)
    # A contact only some roles may see (COMMSDESK_SENSITIVE_ROLES), e.g. a confidential source.
    sensitive = models.BooleanField(default=False, help_text="Seen only by admins and editors")

    objects = SensitiveQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["team", "email"], name="journalist_team_email")]

    def __str__(self) -> str:
        return self.name


class Affiliation(models.Model):
    """A journalist's work for an outlet; `until` set means a past job (the outlet history)."""

    journalist = models.ForeignKey(
        Journalist, on_delete=models.CASCADE, related_name="affiliations"
    )
    outlet = models.ForeignKey(
        "monitoring.Outlet", on_delete=models.CASCADE, related_name="affiliations"
    )
    title = models.CharField(max_length=200, blank=True, help_text="e.g. Science editor")
    since = models.DateField(null=True, blank=True)
    until = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-since", "id"]

    def __str__(self) -> str:
        return f"{self.journalist} at {self.outlet}"


class MediaList(TeamOwned):
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    # A list built from media research keeps the query it came from (it can be rebuilt).
    query = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    journalists = models.ManyToManyField(
        Journalist, through="MediaListMember", blank=True, related_name="media_lists"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class MediaListMember(models.Model):
    media_list = models.ForeignKey(MediaList, on_delete=models.CASCADE, related_name="members")
    journalist = models.ForeignKey(Journalist, on_delete=models.CASCADE, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["media_list", "journalist"], name="one_list_member")
        ]

    def __str__(self) -> str:
        return f"{self.journalist} on {self.media_list}"


class Pitch(TeamOwned):
    """A message to a media list; subject and body may hold merge fields ({{ first_name }}...)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"

    media_list = models.ForeignKey(
        MediaList, null=True, blank=True, on_delete=models.SET_NULL, related_name="pitches"
    )
    subject = models.CharField(max_length=300)
    body = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    # Who pressed Send: replies go to them (Reply-To) and {{ sender_name }} is their name.
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Coverage that followed the pitch, linked by a person or suggested from matching articles.
    coverage = models.ManyToManyField("monitoring.Article", blank=True, related_name="pitches")

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "pitches"

    def __str__(self) -> str:
        return self.subject


class PitchTemplate(TeamOwned):
    name = models.CharField(max_length=200)
    subject = models.CharField(max_length=300)
    body = models.TextField()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PitchRecipient(models.Model):
    """One journalist's copy of a pitch: sent one by one, each with its own status."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        BOUNCED = "bounced", "Bounced"
        REPLIED = "replied", "Replied"
        SKIPPED = "skipped", "Skipped (do not contact / no email)"

    pitch = models.ForeignKey(Pitch, on_delete=models.CASCADE, related_name="recipients")
    journalist = models.ForeignKey(
        Journalist,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pitches_received",
    )
    email = models.EmailField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_until = models.DateTimeField(null=True, blank=True)
    # A failed attempt waits until then before the next one (backoff); empty means now.
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # Why it failed, or why it was skipped (do not contact, no email address).
    error = models.TextField(blank=True)
    note = models.CharField(max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["pitch", "journalist"], name="one_copy_per_journalist")
        ]

    def __str__(self) -> str:
        return f"{self.pitch} → {self.email or self.journalist} ({self.status})"


class Spokesperson(TeamOwned):
    class Kind(models.TextChoices):
        STAFF = "staff", "Staff"
        VOLUNTEER = "volunteer", "Volunteer"

    class Approval(models.TextChoices):
        ANY = "any", "Any topic, any outlet"
        TOPICS = "topics", "Their topics only"
        BRIEFED = "briefed", "Only after a briefing"
        NONE = "none", "Not approved yet"

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.STAFF)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=50, blank=True)
    languages = models.JSONField(default=list, blank=True)
    regions = models.JSONField(default=list, blank=True)
    topics = models.JSONField(default=list, blank=True)
    availability = models.CharField(max_length=300, blank=True)
    media_trained_on = models.DateField(null=True, blank=True)
    trained_by = models.CharField(max_length=200, blank=True)
    approval = models.CharField(max_length=10, choices=Approval.choices, default=Approval.NONE)
    # Contact details are shown beyond the comms staff only with the person's consent.
    contact_consent = models.BooleanField(default=False)
    consent_recorded_at = models.DateTimeField(null=True, blank=True)
    notes = models.TextField(blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "spokespeople"

    def __str__(self) -> str:
        return self.name


class Inquiry(TeamOwned):
    """A journalist's question to the team, with its deadline in the journalist's time zone."""

    class Status(models.TextChoices):
        NEW = "new", "New"
        ASSIGNED = "assigned", "Assigned"
        DRAFTING = "drafting", "Drafting"
        IN_REVIEW = "in_review", "In review"
        ANSWERED = "answered", "Answered"
        DECLINED = "declined", "Declined"

    class Origin(models.TextChoices):
        FORM = "form", "Form"
        EMAIL = "email", "Email (.eml)"
        IMAP = "imap", "Press mailbox"

    journalist = models.ForeignKey(
        Journalist, null=True, blank=True, on_delete=models.SET_NULL, related_name="inquiries"
    )
    outlet = models.ForeignKey(
        "monitoring.Outlet", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # As given, when the journalist is not (yet) in the contacts.
    reporter_name = models.CharField(max_length=200, blank=True)
    reporter_email = models.EmailField(blank=True)
    topic = models.CharField(max_length=300)
    questions = models.TextField(blank=True)
    received_at = models.DateTimeField(default=timezone.now)
    deadline = models.DateTimeField(null=True, blank=True)
    deadline_timezone = models.CharField(max_length=64, default="UTC")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    spokesperson = models.ForeignKey(
        Spokesperson, null=True, blank=True, on_delete=models.SET_NULL, related_name="inquiries"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NEW)
    response = models.TextField(blank=True)
    first_response_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    coverage = models.ManyToManyField("monitoring.Article", blank=True, related_name="inquiries")
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.FORM)
    # The email's Message-ID: a mailbox polled twice never logs one inquiry twice.
    message_id = models.CharField(max_length=500, blank=True)
    raw_email = models.TextField(blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["deadline", "-received_at"]
        verbose_name_plural = "inquiries"
        constraints = [
            models.UniqueConstraint(
                fields=["team", "message_id"],
                condition=~models.Q(message_id=""),
                name="one_inquiry_per_message",
            )
        ]
        indexes = [models.Index(fields=["status", "deadline"], name="inquiry_due")]

    def __str__(self) -> str:
        return self.topic


class Training(TeamOwned):
    class Format(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        ONLINE = "online", "Online"
        MOCK = "mock", "Mock interview"

    title = models.CharField(max_length=200)
    starts_at = models.DateTimeField()
    trainer = models.CharField(max_length=200, blank=True)
    format = models.CharField(max_length=10, choices=Format.choices, default=Format.ONLINE)
    materials = models.TextField(blank=True, help_text="What was used")
    follow_ups = models.TextField(blank=True)
    attendees = models.ManyToManyField(
        Spokesperson, through="TrainingAttendance", blank=True, related_name="trainings"
    )

    class Meta:
        ordering = ["-starts_at"]

    def __str__(self) -> str:
        return self.title


class TrainingAttendance(models.Model):
    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="attendance")
    spokesperson = models.ForeignKey(Spokesperson, on_delete=models.CASCADE, related_name="+")
    attended = models.BooleanField(default=True)
    follow_up = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["training", "spokesperson"], name="one_attendance")
        ]

    def __str__(self) -> str:
        return f"{self.spokesperson} at {self.training}"


class SpeakingOpportunity(TeamOwned):
    class Kind(models.TextChoices):
        EVENT = "event", "Event"
        CFP = "cfp", "Call for papers"
        INTERVIEW = "interview", "Interview"

    class Stage(models.TextChoices):
        IDEA = "idea", "Idea"
        SUBMITTED = "submitted", "Submitted"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        DONE = "done", "Done"

    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.EVENT)
    stage = models.CharField(max_length=10, choices=Stage.choices, default=Stage.IDEA)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    speaker = models.ForeignKey(
        Spokesperson, null=True, blank=True, on_delete=models.SET_NULL, related_name="engagements"
    )
    deadline = models.DateTimeField(null=True, blank=True, help_text="e.g. the CFP closes")
    starts_at = models.DateTimeField(null=True, blank=True)
    ends_at = models.DateTimeField(null=True, blank=True)
    location = models.CharField(max_length=300, blank=True)
    url = models.URLField(max_length=2000, blank=True)
    languages = models.JSONField(default=list, blank=True)
    topics = models.JSONField(default=list, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["deadline", "starts_at"]
        verbose_name_plural = "speaking opportunities"

    def __str__(self) -> str:
        return self.title


class Erasure(models.Model):
    """That a person's data was erased (GDPR), by whom and when — never the data itself."""

    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, help_text="journalist or spokesperson")
    record_id = models.PositiveBigIntegerField()
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    erased_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-erased_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.record_id} erased on {self.erased_at:%Y-%m-%d}"


class MailboxCheck(models.Model):
    """The last reads of the press mailbox, so a mailbox that cannot be read shows on the
    inquiries board instead of only in a worker's log. One row per mailbox (host, user, folder)."""

    mailbox = models.CharField(max_length=500, unique=True)
    last_checked_at = models.DateTimeField(null=True, blank=True)
    last_ok_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)
    logged_total = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return self.mailbox

    @property
    def failing(self) -> bool:
        return bool(self.last_error_at) and (
            self.last_ok_at is None or self.last_error_at > self.last_ok_at
        )
