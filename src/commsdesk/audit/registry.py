"""Which records the audit log follows, and which team each record belongs to: in one place.

Registers people's records of every domain app with django-auditlog. It leaves out rows that
machines write in bulk (fetches, articles, clusters, deliveries, page views): they would bury
people's changes and slow ingestion, and their own tables already say when they were written.
"""

from __future__ import annotations

from auditlog.registry import auditlog
from django.apps import apps
from django.db import models
from django.db.models.signals import post_delete

# Model label → the path from a record to the object carrying its team ("" for the record
# itself, None for a record of the whole installation: only superusers see its entries).
TRACKED: dict[str, str | None] = {
    "auth.User": None,
    "accounts.Team": "self",
    "accounts.Membership": "",
    "accounts.Profile": None,
    "accounts.ApiToken": None,  # who made or revoked a key to the API (the secret never logged)
    "monitoring.Outlet": None,
    "monitoring.Source": None,
    "monitoring.SavedSearch": "",
    "monitoring.Mention": "saved_search",  # people's curation; matching bulk-creates (no signal)
    "monitoring.NameVariant": "",
    "monitoring.AlertRule": "saved_search",
    "monitoring.WatchedPage": "",
    "relations.Journalist": "",
    "relations.Affiliation": "journalist",
    "relations.MediaList": "",
    "relations.MediaListMember": "media_list",
    "relations.Pitch": "",
    "relations.PitchTemplate": "",
    "relations.PitchRecipient": "pitch",
    "relations.Spokesperson": "",
    "relations.Inquiry": "",
    "relations.Training": "",
    "relations.TrainingAttendance": "training",
    "relations.SpeakingOpportunity": "",
    "relations.Erasure": "",
    "campaigns.Campaign": "",
    "campaigns.KPI": "campaign",
    "campaigns.KPIEntry": "kpi.campaign",
    "campaigns.KeyMessage": "campaign",
    "campaigns.Peer": "campaign",
    "campaigns.Activity": "campaign",
    "campaigns.ReportNote": "campaign",
    "campaigns.ReportSchedule": "campaign",
    "materials.Material": "",
    "materials.MaterialVersion": "material",
    "materials.KeyStatistic": "",
    "materials.StatisticValue": "statistic",
    "materials.Draft": "",
    "materials.Citation": "draft",
    "materials.PressKit": "",
    "materials.PressKitFile": "kit",
    "materials.PressRoom": "",
    "operations.PlannedItem": "",
    "operations.Incident": "",
    "operations.IncidentEvent": "incident",
    "operations.StoryIdea": "",
    "operations.StoryPhoto": "idea",
    "operations.CommunitySource": "",
    "operations.DismissedSuggestion": "",
}

# Machine-written, high-volume rows, deliberately not followed (see the module docstring):
NOT_TRACKED = (
    "monitoring.Article monitoring.Item monitoring.FetchLog monitoring.Story monitoring.StoryKey "
    "monitoring.StoryEvent monitoring.Spike monitoring.Delivery monitoring.DigestRun "
    "monitoring.PageviewDay monitoring.TopArticlesDay relations.MailboxCheck "
    "campaigns.MessagePresence operations.EmbargoLift"
).split()

# Bookkeeping that changes on every save, fetch, send or retry and says nothing a reader needs:
# a save that changes only these writes no entry (a source's health after each fetch).
NOISE = (
    "updated_at last_login next_fetch_at last_fetch_at last_ok_at last_error last_error_at "
    "consecutive_failures etag last_modified last_matched_at last_sent_at last_fetched_at "
    "failures attempts claimed_until next_attempt_at next_run_at next_refresh_at "
    "last_refreshed_at reminder_sent_at review_reminded_for raw_email last_used_at"
).split()
# Secrets: the log says they changed, never what they are.
MASKED = ["password", "unsubscribe_token", "secret", "access_token", "digest"]


def register_all() -> None:
    post_delete.connect(_team_deleted, sender="accounts.Team", dispatch_uid="audit-team-deleted")
    for label in TRACKED:
        model = apps.get_model(label)
        if auditlog.contains(model):
            continue
        names = {field.name for field in model._meta.get_fields()}
        # Reverse relations (a material's versions) are their own records' entries.
        reverse = [f.name for f in model._meta.get_fields() if f.auto_created and not f.concrete]
        auditlog.register(
            model,
            exclude_fields=[name for name in NOISE if name in names] + reverse,
            mask_fields=[name for name in MASKED if name in names],
            mask_callable="commsdesk.audit.registry.hidden",
            m2m_fields=_plain_m2m(model),
        )


def _team_deleted(sender, instance, **kwargs) -> None:
    # The entries of a deleted team's records (written while its records were deleted, after
    # Django collected what to set to NULL) stay, without a team: superusers still read them.
    from commsdesk.audit.models import AuditEntry

    AuditEntry.objects.filter(team_id=instance.pk).update(team=None)


def hidden(value: str) -> str:
    """What the log keeps of a secret: that it was set (auditlog's default keeps half of it)."""
    return "(hidden)" if value else ""


def _plain_m2m(model: type[models.Model]) -> set[str]:
    """Many-to-many fields without a model of their own; those with one (a journalist's
    outlets, a list's members) are followed through that model's own entries."""
    return {
        field.name
        for field in model._meta.many_to_many
        if field.remote_field.through._meta.auto_created
    }


def team_of(instance: models.Model) -> int | None:
    """The team of a followed record, or None for installation-wide records."""
    path = TRACKED.get(instance._meta.label)
    if path is None:
        return None
    if path == "self":
        return instance.pk
    target = instance
    for step in filter(None, path.split(".")):
        target = getattr(target, step, None)
        if target is None:
            return None
    return getattr(target, "team_id", None)
