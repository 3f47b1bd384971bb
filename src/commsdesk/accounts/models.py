"""Teams, memberships and each person's preferences (time zone, quiet hours, digest time).

Team-owned records (saved searches and, later, campaigns and materials) are scoped through
`Team.objects.of(user)`; roles and API tokens grow here with the team-platform work.
"""

from __future__ import annotations

import secrets
import zoneinfo
from datetime import datetime, time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models


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
