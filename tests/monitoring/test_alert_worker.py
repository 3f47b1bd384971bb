"""Alerts through the real background path: the scheduler's tick enqueues, a real
`commsdesk worker` process sends; two senders racing never send one alert twice."""

from __future__ import annotations

import signal
import threading
from datetime import time, timedelta

import pytest
from django.db import connection

from commsdesk.accounts.models import Profile
from commsdesk.ingest.scheduler import tick
from commsdesk.monitoring.alerting import send
from commsdesk.monitoring.alerting.queue import queue_mentions
from commsdesk.monitoring.models import Delivery, DigestRun
from tests.fixtures.alerts import mention, placement, rule, saved_search
from tests.workers import start_worker, wait_until

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_scheduler_and_a_real_worker_send_a_queued_alert(smtp, team, member, settings):
    search = saved_search(team, "Wikipedia in the news")
    rule(search, member)
    Profile.objects.create(user=member, digest_time=time(0, 0))  # the digest is due too
    member.date_joined -= timedelta(days=1)  # a member since yesterday gets today's digest
    member.save(update_fields=["date_joined"])
    queue_mentions([mention(search, placement("a", "Wikipedia turns 25"))])
    tick(sweep=True)  # the sweep also looks for due digests
    worker = start_worker(
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(settings.EMAIL_PORT),
        EMAIL_BACKEND=settings.EMAIL_BACKEND,
    )
    try:
        assert wait_until(lambda: len(smtp.messages) == 2, 60), "the worker did not send both"
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(10)
    by_subject = {m["Subject"]: smtp.parts(m)[0] for m in smtp.messages}
    assert "Wikipedia turns 25" in by_subject["Wikipedia in the news: 1 new story"]
    assert any(subject.startswith("Morning digest") for subject in by_subject)
    assert Delivery.objects.get().state == Delivery.State.SENT
    assert DigestRun.objects.get().state == DigestRun.State.SENT


def test_two_senders_at_once_send_each_alert_once(smtp, team, member):
    search = saved_search(team)
    rule(search, member)
    queue_mentions([mention(search, placement(f"p{i}", f"Story {i}")) for i in range(6)])
    barrier = threading.Barrier(2)
    reports = []

    def sender() -> None:
        try:
            barrier.wait()
            reports.append(send.send_due())
        finally:
            connection.close()

    threads = [threading.Thread(target=sender) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sum(r.sent for r in reports) == 6
    texts = [smtp.parts(message)[0] for message in smtp.messages]
    assert sum(text.count("* Story ") for text in texts) == 6
