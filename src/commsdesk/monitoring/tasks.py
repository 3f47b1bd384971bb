"""Background tasks of monitoring (Django Tasks API): send due alerts and morning digests,
read the pageviews of watched Wikipedia pages.

The scheduler enqueues `send_alerts` when something is due; the embedded `db_worker` (or RQ,
Celery) runs it. Claims and leases make running it twice at once harmless.
"""

from __future__ import annotations

from django_tasks import task

from commsdesk.monitoring import attention
from commsdesk.monitoring.alerting import digest, send


@task()
def send_alerts() -> int:
    """Send the deliveries and digests that are due; returns how many messages' worth went out."""
    report = send.send_due()
    return report.sent + digest.send_due_digests()


def alerts_due(*, digests: bool) -> bool:
    """Cheap check for the scheduler: any delivery due, or (on a sweep) any digest due."""
    return send.any_due() or (digests and digest.any_due())


@task()
def refresh_attention() -> int:
    """Read the pageviews of watched Wikipedia pages that are due; returns how many worked."""
    return attention.refresh_due()
