"""Embargoes: who may see an embargoed press release (materials.Draft) or planned item before
the embargo lifts, and the once-only announcement when it lifts.

Until `embargo_until` an embargoed record is visible to its embargo people, its owner (and the
planned item's creator) and the team's admins — admins because they answer for everything the
team publishes and must be able to fix a wrong embargo; editors, volunteers and viewers who are
not named do not see it at all. It does not publish anything: the press room's own query
(`materials.views.pressroom.visible_releases`) shows a release from the embargo's instant.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Model, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from commsdesk.accounts.models import Membership
from commsdesk.materials.models import Draft, PressRoom, Status
from commsdesk.operations.models import EmbargoLift, PlannedItem

log = logging.getLogger(__name__)

# Embargoes that lifted longer ago than this are not announced (a new installation, or a
# scheduler that was off for weeks, must not email about old news).
ANNOUNCE_WITHIN = timedelta(days=2)
RECORDS = ((EmbargoLift.Record.DRAFT, Draft), (EmbargoLift.Record.PLANNED, PlannedItem))


def visible(queryset: QuerySet, user, now: datetime | None = None) -> QuerySet:
    """`queryset` (of Draft or PlannedItem) without the records still embargoed from `user`."""
    now = now or timezone.now()
    if getattr(user, "is_superuser", False):
        return queryset
    if not getattr(user, "is_authenticated", False):
        return queryset.filter(_lifted(now))
    model = queryset.model
    named = model.objects.filter(embargo_people=user).values("pk")
    admin_of = Membership.objects.filter(user=user, role=Membership.Role.ADMIN).values("team_id")
    allowed = _lifted(now) | Q(owner=user) | Q(pk__in=named) | Q(team_id__in=admin_of)
    if _has_field(model, "created_by"):
        allowed |= Q(created_by=user)
    return queryset.filter(allowed)


def can_see(record: Draft | PlannedItem, user, now: datetime | None = None) -> bool:
    return visible(type(record).objects.filter(pk=record.pk), user, now).exists()


def is_embargoed(record: Draft | PlannedItem, now: datetime | None = None) -> bool:
    return record.embargo_until is not None and record.embargo_until > (now or timezone.now())


def _lifted(now: datetime) -> Q:
    return Q(embargo_until__isnull=True) | Q(embargo_until__lte=now)


def _has_field(model: type[Model], name: str) -> bool:
    return any(field.name == name for field in model._meta.get_fields())


# ---------------------------------------------------------------- lifting


def _just_lifted(model: type[Model], now: datetime) -> QuerySet:
    return model.objects.filter(
        embargo_until__lte=now, embargo_until__gt=now - ANNOUNCE_WITHIN
    ).select_related("owner", "team")


def any_due(now: datetime | None = None) -> bool:
    """Cheap check for the scheduler: an embargo lifted recently that nobody announced yet."""
    now = now or timezone.now()
    for record, model in (
        (EmbargoLift.Record.DRAFT, Draft),
        (EmbargoLift.Record.PLANNED, PlannedItem),
    ):
        for pk, until in _just_lifted(model, now).values_list("pk", "embargo_until"):
            if not EmbargoLift.objects.filter(
                record=record, record_id=pk, embargo_until=until
            ).exists():
                return True
    return False


def announce_lifted(now: datetime | None = None) -> list[EmbargoLift]:
    """Claim and announce every embargo that lifted since the last run, each exactly once."""
    now = now or timezone.now()
    done = []
    for kind, model in (
        (EmbargoLift.Record.DRAFT, Draft),
        (EmbargoLift.Record.PLANNED, PlannedItem),
    ):
        for record in _just_lifted(model, now):
            lift = _claim(kind, record)
            if lift is None:
                continue  # another scheduler announced it
            lift.announced_to = _announce(record)
            lift.save(update_fields=["announced_to"])
            done.append(lift)
    return done


def _claim(kind: str, record: Draft | PlannedItem) -> EmbargoLift | None:
    """The unique constraint decides: the first insert wins, every other one fails."""
    try:
        with transaction.atomic():
            return EmbargoLift.objects.create(
                record=kind, record_id=record.pk, embargo_until=record.embargo_until
            )
    except IntegrityError:
        return None


def recipients(record: Draft | PlannedItem) -> list:
    people = {user.pk: user for user in record.embargo_people.filter(is_active=True)}
    if record.owner is not None and record.owner.is_active:
        people.setdefault(record.owner.pk, record.owner)
    return [user for user in people.values() if user.email]


def _announce(record: Draft | PlannedItem) -> int:
    people = recipients(record)
    if not people:
        return 0
    message = EmailMessage(
        subject=f"Embargo lifted: {record.title}",
        body=_text(record),
        to=[user.email for user in people],
    )
    try:
        message.send()
    except OSError as exc:  # the lift itself is recorded; mail trouble must not undo it
        log.warning("embargo lift of %s not emailed: %s", record, exc)
        return 0
    return len(people)


def _text(record: Draft | PlannedItem) -> str:
    base = settings.COMMSDESK_BASE_URL.rstrip("/")
    zone = getattr(record, "embargo_timezone", None) or getattr(record, "timezone", "UTC")
    lines = [
        f"The embargo on “{record.title}” lifted at "
        f"{timezone.localtime(record.embargo_until, _zone(zone)):%d %b %Y %H:%M} ({zone}).",
        "",
    ]
    if isinstance(record, Draft):
        room = PressRoom.objects.filter(team_id=record.team_id, enabled=True).first()
        public = (
            room is not None
            and record.kind == Draft.Kind.PRESS_RELEASE
            and record.status == Status.APPROVED
            and record.published_at is not None
            and record.published_at <= timezone.now()
        )
        if public:
            path = reverse("press:release", args=[room.slug, record.slug or f"release-{record.pk}"])
            lines.append(f"The release is now public in the press room: {base}{path}")
        else:
            lines.append(
                "It is not in the public press room (not approved and published there); "
                "everyone in the team can now see it in commsdesk."
            )
        lines.append(f"Draft: {base}{reverse('materials:draft', args=[record.pk])}")
    else:
        lines.append("Everyone in the team can now see it in the calendar.")
        lines.append(f"{base}{reverse('operations:planned', args=[record.pk])}")
    return "\n".join(lines) + "\n"


def _zone(name: str):
    import zoneinfo

    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")
