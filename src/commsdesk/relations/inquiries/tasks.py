"""Background tasks for press inquiries (Django Tasks API), enqueued by the scheduler tick:
poll the press mailbox every few minutes, and send deadline reminders when some are due.

Both are safe to run twice at once: Message-IDs deduplicate the mailbox, claims the reminders.
"""

from __future__ import annotations

import logging

from django_tasks import task

from commsdesk.relations.inquiries import mailbox, reminders

log = logging.getLogger(__name__)


@task()
def poll_press_mailbox() -> int:
    """Log new emails of the press mailbox as inquiries; returns how many were new."""
    try:
        report = mailbox.poll_and_record()
    except mailbox.MailboxError as exc:
        log.warning("%s", exc)
        return 0
    for reason in report.skipped:
        log.info("press mailbox: %s", reason)
    return report.logged


@task()
def send_inquiry_reminders() -> int:
    """Email the reminders that are due; returns how many inquiries were reminded."""
    return reminders.send_due()
