"""Background tasks of the operations area (Django Tasks API), enqueued by the scheduler tick:
announcing embargoes that lifted. Safe to enqueue twice: each lift is claimed once."""

from __future__ import annotations

from django_tasks import task

from commsdesk.operations import embargo


@task()
def announce_lifted_embargoes() -> int:
    """Email the embargo people and owner of every embargo that lifted; returns how many."""
    return len(embargo.announce_lifted())
