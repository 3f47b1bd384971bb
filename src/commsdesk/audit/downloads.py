"""One call per download of personal data or team files: who took what, how many rows, when.

Views call `record_export` just before they answer; it writes an "access" entry to the audit
log. It does not decide who may download: the views and `accounts.roles` do.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.http import HttpRequest

from commsdesk.audit.models import AuditEntry
from commsdesk.audit.registry import team_of


def record_export(
    request: HttpRequest | None,
    what: str,
    count: int | None,
    *,
    model: type[models.Model] | models.Model,
    team_id: int | None = None,
) -> AuditEntry:
    """Log that `what` (e.g. "Journalists as CSV") left the system: `count` records of `model`
    (a class for a list, an instance for one record's file), for the request's person and
    team (from the record when not given); None as the request means the system."""
    instance = model if isinstance(model, models.Model) else None
    model_class = type(model) if instance is not None else model
    if team_id is None and instance is not None:
        team_id = getattr(instance, "team_id", None) or team_of(instance)
    user = getattr(request, "user", None)
    actor = user if user is not None and user.is_authenticated else None
    return AuditEntry.objects.create(
        content_type=ContentType.objects.get_for_model(model_class),
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
