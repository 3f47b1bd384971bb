"""The scheduler loop: every tick, claim due sources and enqueue their fetch, and enqueue the
sending of due alerts and pitch copies; now and then, enqueue a sweep for items left behind by a
dead worker or due for retry, drop story-index keys older than the window (one indexed DELETE,
so the index stays bounded), check whose morning digest is due, enqueue due campaign report
emails, material review reminders, live statistics and Wikipedia pageviews due for a
refresh; once an hour, enqueue spike detection (idempotent, so two schedulers enqueueing it is
harmless); once a night, key-message pull-through for new coverage. Press inquiries: reminders
are enqueued with the alerts when due, the press mailbox is polled every
COMMSDESK_IMAP_POLL_MINUTES. Embargoes that lifted are announced with the alerts.

It does no fetching itself, so it stays small and safe to run more than once.
"""

from __future__ import annotations

import logging
import threading
import time

from django.conf import settings
from django.db import close_old_connections
from django.utils import timezone

from commsdesk.campaigns import pullthrough
from commsdesk.campaigns import schedules as report_schedules
from commsdesk.ingest import schedule, stories, tasks
from commsdesk.materials import live as live_statistics
from commsdesk.materials import reviews as material_reviews
from commsdesk.materials import tasks as materials_tasks
from commsdesk.monitoring import attention, trends
from commsdesk.monitoring import tasks as monitoring_tasks
from commsdesk.operations import embargo
from commsdesk.operations import tasks as operations_tasks
from commsdesk.relations import pitching
from commsdesk.relations.inquiries import mailbox, reminders
from commsdesk.relations.inquiries import tasks as inquiry_tasks

log = logging.getLogger(__name__)
NIGHTLY_HOUR = 2  # UTC: nightly jobs (key-message pull-through for new coverage)


def tick(
    *,
    sweep: bool,
    alerts: bool = True,
    spikes: bool = False,
    mail: bool = False,
    nightly: bool = False,
) -> list[int]:
    claimed = schedule.claim_due_sources()
    for source_id in claimed:
        tasks.fetch_source.enqueue(source_id)
    if sweep:
        if schedule.claimable_item_ids(limit=1):
            tasks.process_items.enqueue()
        stories.expire_keys()
        if report_schedules.any_due():
            report_schedules.send_reports.enqueue()
        if material_reviews.any_due():
            materials_tasks.send_review_reminders.enqueue()
        if live_statistics.any_due():
            materials_tasks.refresh_statistics.enqueue()
        if attention.any_due():
            monitoring_tasks.refresh_attention.enqueue()
    if spikes:
        trends.detect_spikes_task.enqueue()
    if nightly:
        pullthrough.refresh_new_coverage.enqueue()
    if alerts and monitoring_tasks.alerts_due(digests=sweep):
        monitoring_tasks.send_alerts.enqueue()
    if alerts and pitching.any_due():  # pitch copies due for a retry (or left by a dead worker)
        pitching.send_pitches.enqueue()
    if alerts and embargo.any_due():  # within ~15 s of the embargo's instant
        operations_tasks.announce_lifted_embargoes.enqueue()
    if alerts and reminders.any_due():
        inquiry_tasks.send_inquiry_reminders.enqueue()
    if mail and mailbox.configured():
        inquiry_tasks.poll_press_mailbox.enqueue()
    return claimed


def run_forever(
    *, interval: float = 5.0, sweep_every: float = 60.0, alerts_every: float = 15.0, stop=None
) -> None:
    stop = stop or threading.Event()
    last_sweep = last_alerts = last_mail = 0.0
    mail_every = settings.COMMSDESK_IMAP_POLL_MINUTES * 60
    last_spike_hour = None  # the first tick checks at once: catches up after a restart
    log.info("scheduler started (tick %.0fs)", interval)
    while not stop.is_set():
        started = time.monotonic()
        try:
            close_old_connections()
            due_sweep = started - last_sweep >= sweep_every
            # Not every tick: a queued send_alerts task needs a moment to run before it is
            # worth asking again, and an immediate alert within ~15 s is soon enough.
            due_alerts = due_sweep or started - last_alerts >= alerts_every
            hour = trends.hour_start(timezone.now())
            due_mail = started - last_mail >= mail_every
            new_hour = hour != last_spike_hour
            claimed = tick(
                sweep=due_sweep,
                alerts=due_alerts,
                spikes=new_hour,
                mail=due_mail,
                nightly=new_hour and hour.hour == NIGHTLY_HOUR,
            )
            last_spike_hour = hour
            if due_sweep:
                last_sweep = started
            if due_alerts:
                last_alerts = started
            if due_mail:
                last_mail = started
            if claimed:
                log.info("%s: enqueued %d source(s)", timezone.now().isoformat(), len(claimed))
        except Exception:  # the loop must survive a database hiccup
            log.exception("scheduler tick failed")
        stop.wait(max(0.0, interval - (time.monotonic() - started)))
