"""Review-by reminders: when a material's review-by date comes, its owner (or, with no owner,
the team's admins) gets one email asking them to check it is still right; "still right" moves
the date on without touching the text or its approval.

One reminder per review-by date, claimed with a conditional UPDATE so two workers never send
it twice; a new date means a new reminder. Retired materials are never chased.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from commsdesk.accounts.models import Membership
from commsdesk.materials.models import Material, Status

log = logging.getLogger(__name__)

# "Checked, still right: review again in …" (days, so no calendar arithmetic library is needed).
NEXT_REVIEW = {91: "3 months", 182: "6 months", 365: "1 year"}


def _due(today: date) -> Q:
    not_reminded = Q(review_reminded_for__isnull=True) | ~Q(review_reminded_for=F("review_by"))
    return Q(review_by__lte=today) & ~Q(status=Status.RETIRED) & not_reminded


def any_due(today: date | None = None) -> bool:
    """Cheap check for the scheduler."""
    return Material.objects.filter(_due(today or timezone.localdate())).exists()


def send_due(today: date | None = None) -> int:
    """Email every reminder that is due; returns how many materials were reminded about."""
    today = today or timezone.localdate()
    sent = 0
    for material in Material.objects.filter(_due(today)).select_related("owner"):
        previous = material.review_reminded_for
        if not claim(material):
            continue  # another worker has it, or the date just changed
        try:
            _send(material, today)
        except OSError as exc:  # SMTP refused or unreachable: the next tick tries again
            log.warning("material %s review reminder not sent: %s", material.pk, exc)
            Material.objects.filter(pk=material.pk, review_reminded_for=material.review_by).update(
                review_reminded_for=previous
            )
            continue
        sent += 1
    return sent


def confirm(material: Material, *, days: int, today: date | None = None) -> date:
    """Someone checked the material and it is still right: the next review is `days` from
    today. The text, its version and its approval stay as they are."""
    material.review_by = (today or timezone.localdate()) + timedelta(days=days)
    material.save(update_fields=["review_by", "updated_at"])
    return material.review_by


def claim(material: Material) -> bool:
    """Mark the reminder for the material's review-by date as sent, unless the row changed
    since `material` was read (another worker claimed it, or someone set a new date)."""
    previous = material.review_reminded_for
    unchanged = (
        Q(review_reminded_for__isnull=True) if previous is None else Q(review_reminded_for=previous)
    )
    return bool(
        Material.objects.filter(unchanged, pk=material.pk, review_by=material.review_by).update(
            review_reminded_for=material.review_by
        )
    )


def recipients(material: Material) -> list:
    """The owner, or the team's admins while nobody owns the material."""
    if material.owner is not None and material.owner.is_active and material.owner.email:
        return [material.owner]
    admins = Membership.objects.filter(team_id=material.team_id, role=Membership.Role.ADMIN)
    return list(
        get_user_model()
        .objects.filter(memberships__in=admins, is_active=True)
        .exclude(email="")
        .distinct()
    )


def _send(material: Material, today: date) -> None:
    link = settings.COMMSDESK_BASE_URL + reverse("materials:material", args=[material.pk])
    late = (today - material.review_by).days
    when = "today" if late == 0 else f"{late} day{'s' if late != 1 else ''} ago"
    body = (
        f"“{material.title}” ({material.get_kind_display()}, {material.language}) was due for "
        f"review {when}, on {material.review_by:%d %B %Y}.\n\n"
        "Please check it still says what the organisation says today. Then either edit it, "
        "or set a new review-by date, or retire it if it is no longer used.\n\n"
        f"Status: {material.get_status_display()}, version {material.version}\n\n{link}\n"
    )
    for person in recipients(material):
        EmailMessage(subject=f"Review due: {material.title}", body=body, to=[person.email]).send()
