"""One call per download of personal data or team files: who took what, how many, when.

Views call `record_export` before they answer; it writes an "access" entry to the audit log
for each team whose records left. It does not decide who may download: the views and
`accounts.roles` do.
"""

from __future__ import annotations

from collections import Counter

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.http import HttpRequest

from commsdesk.audit.models import AuditEntry
from commsdesk.audit.registry import team_of

Records = models.QuerySet | models.Model | type[models.Model]


def record_export(
    request: HttpRequest | None,
    what: str,
    records: Records,
    *,
    count: int | None = None,
    team_id: int | None = None,
) -> list[AuditEntry]:
    """Log that `what` (e.g. "Journalists as CSV") left the system: a queryset of rows, one
    record (its data or file) or a model class (with `count`). Teams come from the records
    unless `team_id` is given; None as the request means the system did it."""
    if isinstance(records, models.QuerySet):
        model, instance = records.model, None
        per_team = _count_per_team(records, team_id)
    elif isinstance(records, models.Model):
        model, instance = type(records), records
        per_team = Counter({team_id or team_of(records) or getattr(records, "team_id", None): 1})
    else:
        model, instance = records, None
        per_team = Counter({team_id: count})
    return [
        _entry(request, what, model, instance, team, per_team[team] if count is None else count)
        for team in per_team or {team_id: 0}
    ]


def _count_per_team(rows: models.QuerySet, team_id: int | None) -> Counter:
    names = {field.name for field in rows.model._meta.fields}
    if team_id is not None or "team" not in names:
        return Counter({team_id: rows.count()})
    counts = rows.order_by().values_list("team_id").annotate(n=models.Count("pk"))
    return Counter(dict(counts.values_list("team_id", "n")))


def _entry(request, what, model, instance, team_id, count) -> AuditEntry:
    user = getattr(request, "user", None)
    actor = user if user is not None and user.is_authenticated else None
    return AuditEntry.objects.create(
        content_type=ContentType.objects.get_for_model(model),
        object_pk=str(instance.pk) if instance is not None else "",
        object_id=instance.pk if instance is not None else None,
        object_repr=str(instance) if instance is not None else what,
        action=AuditEntry.Action.ACCESS,
        actor=actor,
        actor_email=getattr(actor, "email", None) or None,
        remote_addr=request.META.get("REMOTE_ADDR") if request is not None else None,
        team_id=team_id,
        additional_data={"download": what, "count": count},
    )
