"""The audit entry: django-auditlog's log entry plus the team it belongs to.

A team column (not a key inside `additional_data`) so a team admin's log is one indexed filter;
it is set when the entry is written (see `AuditEntryManager`), never guessed when read.
"""

from __future__ import annotations

from auditlog.models import AbstractLogEntry, LogEntryManager
from django.db import models


class AuditEntryManager(LogEntryManager):
    """auditlog's manager, stamping each entry with the record's team."""

    def log_create(self, instance, force_log: bool = False, **kwargs):
        team_id = _team_of(instance)
        # Deleting a team deletes its records first: their entries must not point at it.
        if team_id is not None and kwargs.get("action") == AbstractLogEntry.Action.DELETE:
            from commsdesk.accounts.models import Team

            team_id = team_id if Team.objects.filter(pk=team_id).exists() else None
        kwargs.setdefault("team_id", team_id)
        return super().log_create(instance, force_log=force_log, **kwargs)

    def log_m2m_changes(self, changed_queryset, instance, operation, field_name, **kwargs):
        kwargs.setdefault("team_id", _team_of(instance))
        return super().log_m2m_changes(changed_queryset, instance, operation, field_name, **kwargs)


def _team_of(instance) -> int | None:
    from commsdesk.audit.registry import team_of

    return team_of(instance)


class AuditEntry(AbstractLogEntry):
    # SET_NULL: deleting a team must not erase the record of what happened in it.
    team = models.ForeignKey(
        "accounts.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = AuditEntryManager()

    class Meta(AbstractLogEntry.Meta):
        verbose_name = "audit entry"
        verbose_name_plural = "audit entries"
        indexes = [models.Index(fields=["team", "-timestamp"], name="audit_team_time")]
