"""Email reminders before an inquiry's deadline: to its owner, or to the team's staff while
nobody owns it, at each of COMMSDESK_INQUIRY_REMINDER_HOURS (default 24 and 2) — once each.

One stamp is enough: the reminder for H hours is sent when `reminder_sent_at` is earlier than
deadline − H. An inquiry logged 90 minutes before its deadline gets one reminder, not two.
Claimed with a conditional UPDATE, so two workers never send the same reminder.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from commsdesk.accounts import roles
from commsdesk.accounts.models import Membership, Profile
from commsdesk.relations.inquiries.times import to_local
from commsdesk.relations.inquiries.workflow import OPEN
from commsdesk.relations.models import Inquiry

log = logging.getLogger(__name__)


def hours() -> list[int]:
    return sorted({int(h) for h in settings.COMMSDESK_INQUIRY_REMINDER_HOURS}, reverse=True)


def _due(now: datetime) -> Q:
    """Open, deadline ahead, inside a reminder window and not reminded since it opened."""
    if not hours():
        return Q(pk__in=[])
    windows = Q()
    for h in hours():
        opened = F("deadline") - timedelta(hours=h)
        windows |= Q(deadline__lte=now + timedelta(hours=h)) & (
            Q(reminder_sent_at__isnull=True) | Q(reminder_sent_at__lt=opened)
        )
    return Q(status__in=OPEN, deadline__gt=now) & windows


def any_due(now: datetime | None = None) -> bool:
    """Cheap check for the scheduler."""
    return Inquiry.objects.filter(_due(now or timezone.now())).exists()


def send_due(now: datetime | None = None) -> int:
    """Send every reminder that is due; returns how many inquiries were reminded."""
    now = now or timezone.now()
    sent = 0
    for inquiry in Inquiry.objects.filter(_due(now)).select_related("owner", "journalist"):
        previous = inquiry.reminder_sent_at
        claimed = Inquiry.objects.filter(pk=inquiry.pk, reminder_sent_at=previous).update(
            reminder_sent_at=now
        )
        if not claimed:
            continue  # another worker has it
        try:
            _send(inquiry, now)
        except OSError as exc:  # SMTP refused or unreachable: let the next tick try again
            log.warning("inquiry %s reminder not sent: %s", inquiry.pk, exc)
            Inquiry.objects.filter(pk=inquiry.pk, reminder_sent_at=now).update(
                reminder_sent_at=previous
            )
            continue
        sent += 1
    return sent


def recipients(inquiry: Inquiry) -> list:
    """The owner, or every staff member of the team while the inquiry has no owner."""
    if inquiry.owner is not None and inquiry.owner.email:
        return [inquiry.owner]
    staff = Membership.objects.filter(team_id=inquiry.team_id, role__in=roles.STAFF)
    return list(
        get_user_model()
        .objects.filter(memberships__in=staff, is_active=True)
        .exclude(email="")
        .distinct()
    )


def _send(inquiry: Inquiry, now: datetime) -> None:
    left = inquiry.deadline - now
    hours_left = max(1, round(left.total_seconds() / 3600))
    link = settings.COMMSDESK_BASE_URL + reverse("relations:inquiry", args=[inquiry.pk])
    who = inquiry.journalist.name if inquiry.journalist else inquiry.reporter_name or "A journalist"
    for person in recipients(inquiry):
        zone = Profile.of(person).timezone
        theirs = to_local(inquiry.deadline, inquiry.deadline_timezone)
        mine = to_local(inquiry.deadline, zone)
        body = (
            f"{who} is waiting for an answer on “{inquiry.topic}”.\n\n"
            f"Deadline: {mine:%a %d %b %Y, %H:%M} ({zone})\n"
            f"          {theirs:%a %d %b %Y, %H:%M} for the journalist "
            f"({inquiry.deadline_timezone})\n"
            f"Status: {inquiry.get_status_display()}\n\n{link}\n"
        )
        EmailMessage(
            subject=f"Press inquiry due in {hours_left} hour{'s' if hours_left != 1 else ''}: "
            f"{inquiry.topic}",
            body=body,
            to=[person.email],
        ).send()
