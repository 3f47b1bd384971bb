"""The scheduler loop: every tick, claim due sources and enqueue their fetch; now and then,
enqueue a sweep for items left behind by a dead worker or due for retry, and drop story-index
keys older than the window (one indexed DELETE, so the index stays bounded).

It does no fetching itself, so it stays small and safe to run more than once.
"""

from __future__ import annotations

import logging
import threading
import time

from django.db import close_old_connections
from django.utils import timezone

from commsdesk.ingest import schedule, stories, tasks

log = logging.getLogger(__name__)


def tick(*, sweep: bool) -> list[int]:
    claimed = schedule.claim_due_sources()
    for source_id in claimed:
        tasks.fetch_source.enqueue(source_id)
    if sweep:
        if schedule.claimable_item_ids(limit=1):
            tasks.process_items.enqueue()
        stories.expire_keys()
    return claimed


def run_forever(*, interval: float = 5.0, sweep_every: float = 60.0, stop=None) -> None:
    stop = stop or threading.Event()
    last_sweep = 0.0
    log.info("scheduler started (tick %.0fs)", interval)
    while not stop.is_set():
        started = time.monotonic()
        try:
            close_old_connections()
            due_sweep = started - last_sweep >= sweep_every
            claimed = tick(sweep=due_sweep)
            if due_sweep:
                last_sweep = started
            if claimed:
                log.info("%s: enqueued %d source(s)", timezone.now().isoformat(), len(claimed))
        except Exception:  # the loop must survive a database hiccup
            log.exception("scheduler tick failed")
        stop.wait(max(0.0, interval - (time.monotonic() - started)))
