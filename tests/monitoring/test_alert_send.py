"""Sending alerts through real channels: an aiosmtpd SMTP server, HTTP webhook receivers on
127.0.0.1; retries, backoff, leases and health on the rule."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import timedelta

import pytest
from django.utils import timezone

from commsdesk.monitoring.alerting import send
from commsdesk.monitoring.alerting.channels import SIGNATURE_HEADER, TIMESTAMP_HEADER
from commsdesk.monitoring.alerting.queue import queue_mentions, queue_spike
from commsdesk.monitoring.models import AlertRule, Delivery, Spike
from tests.fixtures.alerts import mention, placement, rule, saved_search
from tests.servers import Request, Route

pytestmark = pytest.mark.django_db


@pytest.fixture
def search(team):
    return saved_search(team, "Wikipedia in the news")


def _queue(search, *titles, terms=("wikipedia",)):
    mentions = [
        mention(search, placement(f"s{search.pk}-{i}", title), terms=terms)
        for i, title in enumerate(titles)
    ]
    return queue_mentions(mentions)


def test_it_emails_text_and_html_with_stories_outlets_hits_links_and_unsubscribe(
    smtp, search, member
):
    alert = rule(search, member)
    _queue(
        search,
        "Wikipedia editors <meet> in Lagos",
        "Volunteers map the Andes",
        terms=("wikipedia", "editors"),
    )
    assert send.send_due().sent == 2
    assert len(smtp.messages) == 1  # one message per rule, not one per story
    message = smtp.messages[0]
    assert message["To"] == "ana@example.org"
    assert message["Subject"] == "Wikipedia in the news: 2 new stories"
    text, html = smtp.parts(message)
    for body in (text, html):
        assert "Volunteers map the Andes" in body
        assert "Gazette" in body
        assert "wikipedia, editors" in body
        assert "https://x.example/s" in body  # the publisher's link
        assert "https://desk.example.org/monitoring/articles/" in body
        assert "https://desk.example.org/monitoring/unsubscribe/" in body
        assert f"/alert/{alert.pk}/" in body
    assert "Wikipedia editors <meet> in Lagos" in text
    assert "Wikipedia editors &lt;meet&gt; in Lagos" in html  # escaped in HTML
    assert (
        message["List-Unsubscribe"].strip().startswith("<https://desk.example.org/monitoring/unsub")
    )
    alert.refresh_from_db()
    assert alert.last_sent_at is not None and alert.consecutive_failures == 0
    assert set(Delivery.objects.values_list("state", flat=True)) == {Delivery.State.SENT}


def test_it_sends_no_second_mail_for_a_story_already_sent_from_another_search_or_rule(
    smtp, team, search, member
):
    rule(search, member)
    original = placement("a", "Wikipedia turns 25")
    queue_mentions([mention(search, original)])
    send.send_due()
    other = saved_search(team, "Our movement")
    rule(other, member, target="Ana@Example.org")
    copy = placement("b", "Wikipedia turns 25", outlet_name="Wire", story=original.story)
    queue_mentions([mention(other, copy), mention(search, copy)])
    assert send.send_due().sent == 0
    assert len(smtp.messages) == 1


def test_a_refusing_mail_server_gives_a_clear_error_retries_and_loses_nothing(smtp, search, member):
    alert = rule(search, member)
    _queue(search, "Wikipedia blocked")
    smtp.refuse = "451 4.3.0 Mailbox busy, try again later"
    now = timezone.now()
    report = send.send_due(now=now)
    assert (report.sent, report.retrying) == (0, 1)
    delivery = Delivery.objects.get()
    assert delivery.state == Delivery.State.PENDING
    assert "451" in delivery.error and "try again later" in delivery.error
    assert delivery.next_attempt_at == now + timedelta(seconds=60)
    alert.refresh_from_db()
    assert alert.consecutive_failures == 1 and "451" in alert.last_error
    # Not due yet: nothing is tried before the backoff ends.
    assert send.send_due(now=now + timedelta(seconds=30)).retrying == 0
    smtp.refuse = None
    assert send.send_due(now=now + timedelta(seconds=61)).sent == 1
    assert len(smtp.messages) == 1
    alert.refresh_from_db()
    assert alert.consecutive_failures == 0


def test_backoff_doubles_and_the_delivery_fails_after_the_last_attempt(
    smtp, settings, search, member
):
    settings.COMMSDESK_ALERT_MAX_ATTEMPTS = 3
    alert = rule(search, member)
    _queue(search, "Wikipedia blocked")
    smtp.refuse = "554 5.7.1 Rejected"
    now = timezone.now()
    waits = []
    for _ in range(3):
        send.send_due(now=now)
        delivery = Delivery.objects.get()
        waits.append(delivery.next_attempt_at - now)
        now = delivery.next_attempt_at
    assert waits[:2] == [timedelta(seconds=60), timedelta(seconds=120)]
    assert delivery.state == Delivery.State.FAILED and delivery.attempts == 3
    alert.refresh_from_db()
    assert alert.consecutive_failures == 3 and "554" in alert.last_error
    assert send.send_due(now=now + timedelta(days=1)).sent == 0  # given up: never resent


def test_it_signs_the_webhook_with_an_hmac_of_timestamp_and_body(server, search, member):
    received = []

    def receiver(request: Request) -> Route:
        expected = hmac.new(
            hook.secret.encode(),
            request.headers[TIMESTAMP_HEADER.lower()].encode() + b"." + request.body,
            hashlib.sha256,
        ).hexdigest()
        if request.headers[SIGNATURE_HEADER.lower()] != f"sha256={expected}":
            return Route(b"bad signature", 401)
        received.append(json.loads(request.body))
        return Route(b"ok")

    hook = rule(
        search,
        member,
        channel=AlertRule.Channel.WEBHOOK,
        target=server.add("/hook", receiver),
    )
    _queue(search, "Wikipedia turns 25")
    assert send.send_due().sent == 1
    [payload] = received
    assert payload["event"] == "alert"
    assert payload["saved_search"] == {"id": search.pk, "name": "Wikipedia in the news"}
    assert payload["stories"][0]["title"] == "Wikipedia turns 25"
    assert payload["stories"][0]["hits"] == ["wikipedia"]
    assert payload["stories"][0]["outlet"] == "Gazette"
    assert payload["stories"][0]["link"].startswith("http://127.0.0.1:8000/monitoring/articles/")


def test_a_webhook_with_a_wrong_secret_is_refused_and_shown_on_the_rule(server, search, member):
    target = server.add("/hook", Route(b"bad signature", 401))
    hook = rule(search, member, channel=AlertRule.Channel.WEBHOOK, target=target)
    _queue(search, "Wikipedia turns 25")
    report = send.send_due()
    assert report.failed == 1  # a 4xx will not get better by retrying
    hook.refresh_from_db()
    assert "401" in hook.last_error and hook.consecutive_failures == 1


def test_a_webhook_answering_500_then_200_is_retried_with_backoff(server, search, member):
    answers = [Route(b"oops", 500), Route(b"ok", 200)]
    target = server.add("/flaky", lambda request: answers.pop(0))
    rule(search, member, channel=AlertRule.Channel.WEBHOOK, target=target)
    _queue(search, "Wikipedia turns 25")
    now = timezone.now()
    assert send.send_due(now=now).retrying == 1
    delivery = Delivery.objects.get()
    assert "HTTP 500" in delivery.error
    assert send.send_due(now=now + timedelta(seconds=59)).sent == 0
    assert send.send_due(now=now + timedelta(seconds=60)).sent == 1
    assert [r.method for r in server.requests] == ["POST", "POST"]
    assert server.requests[0].body == server.requests[1].body


def test_a_webhook_that_times_out_is_retried_and_never_blocks_other_rules(
    smtp, settings, server, search, member
):
    settings.COMMSDESK_WEBHOOK_TIMEOUT = 0.5
    target = server.add("/slow", Route(b"late", delay=2.0))
    slow = rule(search, member, channel=AlertRule.Channel.WEBHOOK, target=target)
    rule(search, member)  # email to ana, in the same run
    _queue(search, "Wikipedia turns 25")
    report = send.send_due()
    assert (report.sent, report.retrying) == (1, 1)
    assert len(smtp.messages) == 1
    slow.refresh_from_db()
    assert "timed out" in slow.last_error


def test_slack_gets_a_text_fallback_and_blocks_with_escaped_links(server, search, member):
    target = server.add("/slack", Route(b"ok"))
    rule(search, member, channel=AlertRule.Channel.SLACK, target=target)
    _queue(search, "Wikipedia & friends <3")
    assert send.send_due().sent == 1
    payload = json.loads(server.requests[0].body)
    assert "Wikipedia &amp; friends &lt;3" in payload["text"]
    assert "|Wikipedia &amp; friends &lt;3>" in payload["blocks"][1]["text"]["text"]
    assert payload["blocks"][0]["type"] == "section"


def test_a_webhook_on_a_private_address_is_refused_by_the_ssrf_guard(
    settings, server, search, member
):
    settings.COMMSDESK_ALLOW_PRIVATE_NETWORKS = False
    hook = rule(search, member, channel=AlertRule.Channel.WEBHOOK, target=server.add("/x", Route()))
    _queue(search, "Wikipedia turns 25")
    assert send.send_due().failed == 1
    assert server.requests == []  # never connected
    hook.refresh_from_db()
    assert "loopback" in hook.last_error


def test_a_spike_alert_says_why(smtp, search, member):
    rule(search, member)
    spike = Spike.objects.create(
        saved_search=search,
        hour=timezone.now().replace(minute=0, second=0, microsecond=0),
        count=42,
        baseline=3.0,
        spread=1.0,
        score=12.0,
        why={
            "stories": [{"title": "Wikipedia blocked in two countries", "count": 30}],
            "outlets": ["Gazette", "Wire"],
            "terms": [{"term": "blocked", "count": 25}],
        },
    )
    queue_spike(spike)
    assert send.send_due().sent == 1
    text, html = smtp.parts(smtp.messages[0])
    for body in (text, html):
        assert "42 matches" in body and "usually about 3" in body
        assert "Wikipedia blocked in two countries (30)" in body
        assert "Gazette, Wire" in body and "blocked (25)" in body
    assert smtp.messages[0]["Subject"] == "Wikipedia in the news: a spike in coverage"


def test_two_workers_never_claim_the_same_delivery(search, member):
    rule(search, member)
    _queue(search, "Wikipedia turns 25")
    delivery, now = Delivery.objects.get(), timezone.now()
    assert send.claim(delivery.pk, now) is True
    assert send.claim(delivery.pk, now) is False


def test_a_delivery_whose_worker_died_is_sent_once_after_its_lease_runs_out(
    smtp, settings, search, member
):
    rule(search, member)
    _queue(search, "Wikipedia turns 25")
    delivery, now = Delivery.objects.get(), timezone.now()
    assert send.claim(delivery.pk, now)  # a worker took it, then was killed before sending
    assert send.send_due(now=now + timedelta(seconds=10)).sent == 0  # still leased
    after_lease = now + timedelta(seconds=settings.COMMSDESK_LEASE_SECONDS + 1)
    assert send.send_due(now=after_lease).sent == 1
    assert send.send_due(now=after_lease + timedelta(hours=1)).sent == 0
    assert len(smtp.messages) == 1
    assert Delivery.objects.get().attempts == 2


def test_a_paused_rule_skips_what_it_had_queued(smtp, search, member):
    alert = rule(search, member)
    _queue(search, "Wikipedia turns 25")
    AlertRule.objects.filter(pk=alert.pk).update(active=False)
    assert send.send_due().skipped == 1
    assert smtp.messages == []


def test_the_scheduler_enqueues_sending_when_alerts_are_due(search, member):
    from django_tasks_db.models import DBTaskResult

    from commsdesk.ingest.scheduler import tick

    tick(sweep=False)
    assert not DBTaskResult.objects.filter(task_path__endswith="send_alerts").exists()
    rule(search, member)
    _queue(search, "Wikipedia turns 25")
    tick(sweep=False)
    assert (
        DBTaskResult.objects.filter(task_path="commsdesk.monitoring.tasks.send_alerts").count() == 1
    )
