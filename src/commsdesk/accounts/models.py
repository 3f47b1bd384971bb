"""Teams, memberships and each person's preferences (time zone, quiet hours, digest time).

Team-owned records (saved searches, campaigns, materials...) are scoped through
`Team.objects.of(user)`; personal API tokens (`ApiToken`) act as the person who made them.
"""

from __future__ import annotations

import hashlib
import secrets
import zoneinfo
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone


class TeamQuerySet(models.QuerySet):
    def of(self, user) -> TeamQuerySet:
        """The teams a person belongs to (none for an anonymous visitor)."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(memberships__user=user)

    def default_for(self, user) -> Team:
        """The team new records of `user` belong to: their first, or a new one of their own
        (a fresh install's first admin has no team yet and must still be able to work)."""
        team = self.of(user).order_by("memberships__id").first()
        if team is not None:
            return team
        slug = f"team-{user.pk}"
        team, _ = self.get_or_create(slug=slug, defaults={"name": f"{user.get_username()}'s team"})
        Membership.objects.get_or_create(user=user, team=team, defaults={"role": "admin"})
        return team


class Team(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    # From address of email to the press (pitches), e.g. "Press office <press@example.org>";
    # empty means the server's DEFAULT_FROM_EMAIL.
    sender_email = models.CharField("Send press email from", max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TeamQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TeamScopedQuerySet(models.QuerySet):
    """For every team-owned model (a `team` foreign key): the one way views scope records."""

    def for_team(self, user):
        """Records of the teams `user` belongs to: scope before any lookup by id, so another
        team's id is a 404, not a leak."""
        return self.filter(team__in=Team.objects.of(user))


class SensitiveQuerySet(TeamScopedQuerySet):
    """For team-owned models with a `sensitive` flag (embargoed releases, crisis holding
    statements, contacts): records marked sensitive are seen only by the roles named in
    COMMSDESK_SENSITIVE_ROLES (and superusers). Views, exports, searches and the API ask
    `visible_to`; `for_team` is the same here, so no path reaches them without the check."""

    def visible_to(self, user):
        """The records of `user`'s teams that `user` may see."""
        scoped = super().for_team(user)
        if getattr(user, "is_superuser", False):
            return scoped
        trusted_teams = Membership.objects.filter(
            user=user, role__in=settings.COMMSDESK_SENSITIVE_ROLES
        ).values("team")
        return scoped.filter(models.Q(sensitive=False) | models.Q(team__in=trusted_teams))

    def for_team(self, user):
        return self.visible_to(user)


class Membership(models.Model):
    class Role(models.TextChoices):
        ADMIN = "admin", "Admin"
        EDITOR = "editor", "Editor (staff)"
        VOLUNTEER = "volunteer", "Volunteer"
        VIEWER = "viewer", "Viewer (read-only)"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.EDITOR)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "team"], name="one_membership")]

    def __str__(self) -> str:
        return f"{self.user} in {self.team} ({self.role})"


def _validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"{value!r} is not a time zone name such as Europe/Paris")


def _token() -> str:
    return secrets.token_urlsafe(24)


class Profile(models.Model):
    """A person's delivery preferences: alerts and digests respect their clock."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    timezone = models.CharField(max_length=64, default="UTC", validators=[_validate_timezone])
    # Quiet hours in the person's own time; immediate alerts wait until they end. Both empty
    # means no quiet hours; start later than end spans midnight (22:00-07:00).
    quiet_start = models.TimeField(null=True, blank=True)
    quiet_end = models.TimeField(null=True, blank=True)
    digest_enabled = models.BooleanField(default=True)
    digest_time = models.TimeField(default=time(7, 0), help_text="Local time of the morning digest")
    # Secret in unsubscribe links, so a link works without logging in and cannot be guessed.
    unsubscribe_token = models.CharField(max_length=64, unique=True, default=_token)

    def __str__(self) -> str:
        return f"Preferences of {self.user}"

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    def is_quiet(self, moment: datetime) -> bool:
        """Whether `moment` (aware) falls in this person's quiet hours."""
        if self.quiet_start is None or self.quiet_end is None or self.quiet_start == self.quiet_end:
            return False
        local = moment.astimezone(self.zone).time()
        if self.quiet_start < self.quiet_end:
            return self.quiet_start <= local < self.quiet_end
        return local >= self.quiet_start or local < self.quiet_end

    @classmethod
    def of(cls, user) -> Profile:
        profile, _ = cls.objects.get_or_create(user=user)
        return profile


TOKEN_MARK = "cdk_"  # lets secret scanners (and people) recognise a leaked commsdesk token


def token_digest(secret: str) -> str:
    """What is stored of a token: its SHA-256. A slow password hash is not needed: the secret is
    32 random bytes, so no dictionary or brute force can find it from the digest, and a fast hash
    keeps every API request's lookup to one indexed query."""
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def usable(self) -> ApiTokenQuerySet:
        now = timezone.now()
        return self.filter(revoked_at__isnull=True, user__is_active=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )

    def authenticate(self, secret: str) -> ApiToken | None:
        """The live token a secret belongs to (revoked, expired or unknown: None)."""
        if not secret.startswith(TOKEN_MARK) or len(secret) > 100:
            return None
        token = self.usable().select_related("user").filter(digest=token_digest(secret)).first()
        if token is not None:
            token.touch()
        return token


class ApiToken(models.Model):
    """A personal API token: acts as its owner (their teams, their roles), reading only or
    reading and writing. Only the SHA-256 of the secret is stored; the secret is shown once."""

    class Scope(models.TextChoices):
        READ = "read", "Read only"
        WRITE = "write", "Read and write"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, help_text="What it is for, e.g. “Newsletter script”")
    # The first characters of the secret, shown in lists so people can tell tokens apart.
    prefix = models.CharField(max_length=16)
    digest = models.CharField(max_length=64, unique=True)
    scope = models.CharField(max_length=5, choices=Scope.choices, default=Scope.READ)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"API token {self.prefix}… ({self.name})"

    @classmethod
    def issue(
        cls, user, *, name: str, scope: str = Scope.READ, expires_at: datetime | None = None
    ) -> tuple[ApiToken, str]:
        """A new token and its secret (the only time the secret exists outside the caller)."""
        secret = TOKEN_MARK + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user,
            name=name,
            prefix=secret[:12],
            digest=token_digest(secret),
            scope=scope,
            expires_at=expires_at,
        )
        return token, secret

    @property
    def can_write(self) -> bool:
        return self.scope == self.Scope.WRITE

    @property
    def state(self) -> str:
        """One word for the list: revoked, expired or active."""
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is not None and self.expires_at <= timezone.now():
            return "expired"
        return "active"

    def revoke(self) -> None:
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])

    def touch(self) -> None:
        """Record use, at most once a minute: not a database write on every request."""
        now = timezone.now()
        if self.last_used_at is None or now - self.last_used_at > timedelta(minutes=1):
            self.last_used_at = now
            ApiToken.objects.filter(pk=self.pk).update(last_used_at=now)
