"""Background tasks for the materials library (Django Tasks API), enqueued by the scheduler
tick: review-by reminders to owners, and refreshing key statistics that have a live source.

Both claim their rows with a conditional UPDATE, so two schedulers enqueueing them is harmless.
"""

from __future__ import annotations

from django_tasks import task

from commsdesk.materials import live, reviews


@task()
def send_review_reminders() -> int:
    """Email owners whose materials are due for review; returns how many were reminded."""
    return reviews.send_due()


@task()
def refresh_statistics() -> int:
    """Refresh the live statistics that are due; returns how many were refreshed."""
    return live.refresh_due()
