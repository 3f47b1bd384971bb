"""Scheduled report emails through a real SMTP server (aiosmtpd): which period, once however many
workers, failures recorded and retried; and the page where people add and remove them.

The report builder (`assemble.build_report`) is written in parallel and is absent from this
branch: `send_due(build=...)` takes the hand-built report instead; one test uses the real one.
"""

from __future__ import annotations

import dataclasses
import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.urls import reverse

from commsdesk.accounts.models import Membership
from commsdesk.campaigns import schedules
from commsdesk.campaigns.models import Campaign, ReportSchedule
from tests.fixtures.reports import sample_report

MONDAY = datetime(2026, 11, 2, 6, 0, tzinfo=UTC)  # 06:00 UTC on Monday 2 November 2026


@pytest.fixture
def campaign(team):
    return Campaign.objects.create(
        team=team, name="Open Knowledge Week", starts_on=date(2026, 9, 1)
    )


def schedule(campaign, frequency="monthly", *, due=None, **fields):
    return ReportSchedule.objects.create(
        campaign=campaign,
        frequency=frequency,
        recipients=fields.pop("recipients", ["lead@example.org", "board@example.org"]),
        next_run_at=due or datetime(2026, 11, 1, 6, tzinfo=UTC),
        **fields,
    )


class Builder:
    """Stands in for assemble.build_report; records the periods it was asked for."""

    def __init__(self) -> None:
        self.periods: list[tuple[date, date]] = []

    def __call__(self, campaign, start, end):
        self.periods.append((start, end))
        report = sample_report(period_start=start, period_end=end, title=campaign.name)
        return dataclasses.replace(report, campaign_id=campaign.pk)


# --- periods --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "frequency, now, period, following",
    [
        ("weekly", MONDAY, (date(2026, 10, 26), date(2026, 11, 1)), datetime(2026, 11, 9, 6)),
        (
            "monthly",
            datetime(2026, 11, 1, 6, 30, tzinfo=UTC),
            (date(2026, 10, 1), date(2026, 10, 31)),
            datetime(2026, 12, 1, 6),
        ),
        (
            "monthly",  # a retry late in the month still reports the previous month
            datetime(2026, 3, 31, 23, tzinfo=UTC),
            (date(2026, 2, 1), date(2026, 2, 28)),
            datetime(2026, 4, 1, 6),
        ),
        (
            "quarterly",
            datetime(2027, 1, 1, 6, tzinfo=UTC),
            (date(2026, 10, 1), date(2026, 12, 31)),
            datetime(2027, 4, 1, 6),
        ),
        (
            "monthly",  # 1 December before 06:00: November's report is not due yet
            datetime(2026, 12, 1, 5, 59, tzinfo=UTC),
            (date(2026, 10, 1), date(2026, 10, 31)),
            datetime(2026, 12, 1, 6),
        ),
    ],
)
def test_it_reports_the_previous_complete_period_and_knows_the_next_run(
    frequency, now, period, following
):
    due = schedules.latest_run(frequency, now)
    assert schedules.previous_period(frequency, due) == period
    assert schedules.next_run(frequency, due) == following.replace(tzinfo=UTC)


# --- sending --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_emails_the_report_once_with_the_pdf_headline_figures_and_a_link(smtp, campaign):
    due = schedule(campaign)
    builder = Builder()
    now = datetime(2026, 11, 1, 6, 0, 20, tzinfo=UTC)
    assert schedules.send_due(now=now, build=builder) == schedules.SendReport(sent=1)
    assert builder.periods == [(date(2026, 10, 1), date(2026, 10, 31))]
    (message,) = smtp.messages
    assert message["X-Envelope-To"] == "lead@example.org, board@example.org"
    assert message["Subject"] == "Open Knowledge Week: 1 Oct 2026 – 31 Oct 2026"
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "* Stories: 204 (+34 (+20%) vs previous)" in text
    assert "* Reach: 48,300,000 people" in text
    assert "Spanish-language coverage fell 40% vs last month." in text
    link = (
        f"https://desk.example.org/campaigns/{campaign.pk}/report/?start=2026-10-01&end=2026-10-31"
    )
    assert link in text
    (attachment,) = message.iter_attachments()
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == "open-knowledge-week_2026-10-01_2026-10-31.pdf"
    assert attachment.get_content().startswith(b"%PDF-")
    due.refresh_from_db()
    assert due.last_sent_at is not None and due.last_error == "" and due.claimed_until is None
    assert due.next_run_at == datetime(2026, 12, 1, 6, tzinfo=UTC)
    assert schedules.send_due(now=now + timedelta(days=1), build=builder).sent == 0  # not again


@pytest.mark.django_db
def test_a_schedule_not_yet_due_or_paused_sends_nothing(smtp, campaign):
    schedule(campaign, due=datetime(2026, 12, 1, 6, tzinfo=UTC))
    schedule(campaign, active=False)
    assert schedules.send_due(now=datetime(2026, 11, 20, tzinfo=UTC), build=Builder()).sent == 0
    assert smtp.messages == []


@pytest.mark.django_db
def test_a_refusing_mail_server_is_recorded_on_the_schedule_and_retried_later(smtp, campaign):
    due = schedule(campaign)
    smtp.refuse = "451 4.3.0 Mailbox temporarily unavailable"
    now = datetime(2026, 11, 1, 6, 1, tzinfo=UTC)
    assert schedules.send_due(now=now, build=Builder()).failed == 1
    due.refresh_from_db()
    assert "451" in due.last_error and "Mailbox temporarily unavailable" in due.last_error
    assert due.next_run_at == datetime(2026, 11, 1, 6, tzinfo=UTC)  # still owed
    assert schedules.send_due(now=now + timedelta(minutes=5), build=Builder()).sent == 0  # waits
    smtp.refuse = None
    builder = Builder()
    later = now + schedules.RETRY_AFTER + timedelta(seconds=1)
    assert schedules.send_due(now=later, build=builder).sent == 1
    assert builder.periods == [(date(2026, 10, 1), date(2026, 10, 31))]  # the same period
    assert len(smtp.messages) == 1
    due.refresh_from_db()
    assert due.last_error == "" and due.next_run_at == datetime(2026, 12, 1, 6, tzinfo=UTC)


@pytest.mark.django_db
def test_a_report_that_cannot_be_built_is_recorded_and_other_schedules_still_go(smtp, team):
    broken = Campaign.objects.create(team=team, name="Broken", starts_on=date(2026, 1, 1))
    fine = Campaign.objects.create(team=team, name="Fine", starts_on=date(2026, 1, 1))
    schedule(broken)
    schedule(fine)
    builder = Builder()

    def build(campaign, start, end):
        if campaign.name == "Broken":
            raise ZeroDivisionError("no coverage at all")
        return builder(campaign, start, end)

    outcome = schedules.send_due(now=datetime(2026, 11, 1, 7, tzinfo=UTC), build=build)
    assert outcome == schedules.SendReport(sent=1, failed=1)
    assert [m["Subject"].split(":")[0] for m in smtp.messages] == ["Fine"]
    assert "no coverage at all" in ReportSchedule.objects.get(campaign=broken).last_error


@pytest.mark.django_db
def test_a_claimed_schedule_cannot_be_claimed_again_until_its_lease_runs_out(campaign, settings):
    due = schedule(campaign)
    now = datetime(2026, 11, 1, 6, 5, tzinfo=UTC)
    assert schedules.claim(due.pk, now) is True
    assert schedules.claim(due.pk, now + timedelta(seconds=1)) is False
    after = now + timedelta(seconds=settings.COMMSDESK_LEASE_SECONDS + 1)
    assert schedules.claim(due.pk, after) is True


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_the_report_once(smtp, campaign):
    schedule(campaign)
    barrier = threading.Barrier(2)
    outcomes = []

    def worker() -> None:
        try:
            barrier.wait()
            now = datetime(2026, 11, 1, 6, 2, tzinfo=UTC)
            outcomes.append(schedules.send_due(now=now, build=Builder()))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(o.sent for o in outcomes) == [0, 1]
    assert len(smtp.messages) == 1


@pytest.mark.django_db
def test_the_scheduler_enqueues_sending_when_a_report_is_due(campaign):
    from django_tasks_db.models import DBTaskResult

    from commsdesk.ingest.scheduler import tick

    path = "commsdesk.campaigns.schedules.send_reports"
    schedule(campaign, due=datetime(2099, 1, 1, 6, tzinfo=UTC))
    tick(sweep=True, alerts=False)
    assert not DBTaskResult.objects.filter(task_path=path).exists()
    schedule(campaign)  # due since 1 November
    tick(sweep=True, alerts=False)
    assert DBTaskResult.objects.filter(task_path=path).count() == 1


@pytest.mark.django_db
def test_the_real_builder_reports_a_campaign_by_email(smtp, campaign):
    pytest.importorskip("commsdesk.campaigns.assemble")
    schedule(campaign)
    assert schedules.send_due(now=datetime(2026, 11, 1, 6, 1, tzinfo=UTC)).sent == 1
    (message,) = smtp.messages
    (attachment,) = message.iter_attachments()
    assert attachment.get_content().startswith(b"%PDF-")


@pytest.mark.django_db(transaction=True)
def test_the_scheduler_and_a_real_worker_send_a_due_report(smtp, campaign, settings):
    pytest.importorskip("commsdesk.campaigns.assemble")
    import signal

    from commsdesk.ingest.scheduler import tick
    from tests.workers import start_worker, wait_until

    schedule(campaign)
    tick(sweep=True, alerts=False)
    worker = start_worker(
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(settings.EMAIL_PORT),
        EMAIL_BACKEND=settings.EMAIL_BACKEND,
    )
    try:
        assert wait_until(lambda: len(smtp.messages) == 1, 90), "the worker sent no report"
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(10)
    assert ReportSchedule.objects.get().last_sent_at is not None


# --- the page -------------------------------------------------------------------------------


def _page(campaign) -> str:
    return reverse("campaigns:report_schedules", args=[campaign.pk])


@pytest.mark.django_db
def test_a_member_adds_a_schedule_that_starts_at_the_next_period(member_client, campaign):
    reply = member_client.post(
        _page(campaign),
        {"frequency": "weekly", "recipients": "lead@example.org,\n board@example.org"},
        follow=True,
    )
    added = ReportSchedule.objects.get(campaign=campaign)
    assert added.recipients == ["lead@example.org", "board@example.org"]
    assert added.next_run_at.weekday() == 0 and added.next_run_at.hour == 6
    page = reply.content.decode()
    assert "Weekly report added: the first goes out" in page
    assert "lead@example.org, board@example.org" in page


@pytest.mark.django_db
def test_a_wrong_address_is_named_and_what_was_typed_is_kept(member_client, campaign):
    typed = "lead@example.org\nnot-an-address"
    reply = member_client.post(_page(campaign), {"frequency": "monthly", "recipients": typed})
    page = reply.content.decode()
    assert reply.status_code == 200 and "Not an email address: not-an-address" in page
    assert "not-an-address</textarea>" in page
    assert not ReportSchedule.objects.exists()


@pytest.mark.django_db
def test_the_page_shows_a_failing_schedule_with_the_mail_servers_words(member_client, campaign):
    schedule(campaign, last_error="mail server refused the message: 550 5.1.1 no such user")
    page = member_client.get(_page(campaign)).content.decode()
    assert "failing" in page and "550 5.1.1 no such user" in page


@pytest.mark.django_db
def test_a_member_removes_a_schedule(member_client, campaign):
    gone = schedule(campaign)
    url = reverse("campaigns:report_schedule_delete", args=[campaign.pk, gone.pk])
    assert member_client.post(url).status_code == 302
    assert not ReportSchedule.objects.exists()


@pytest.mark.django_db
def test_a_viewer_sees_schedules_but_cannot_add_or_remove_them(client, campaign, team, member):
    Membership.objects.filter(user=member).update(role=Membership.Role.VIEWER)
    client.force_login(member)
    kept = schedule(campaign)
    page = client.get(_page(campaign)).content.decode()
    assert "lead@example.org" in page and "Add a report email" not in page
    data = {"frequency": "weekly", "recipients": "x@example.org"}
    assert client.post(_page(campaign), data).status_code == 403
    url = reverse("campaigns:report_schedule_delete", args=[campaign.pk, kept.pk])
    assert client.post(url).status_code == 403
    assert ReportSchedule.objects.count() == 1


@pytest.mark.django_db
def test_an_outsider_gets_404_for_another_teams_schedules(client, outsider, campaign):
    kept = schedule(campaign)
    client.force_login(outsider)
    assert client.get(_page(campaign)).status_code == 404
    data = {"frequency": "weekly", "recipients": "eve@example.org"}
    assert client.post(_page(campaign), data).status_code == 404
    url = reverse("campaigns:report_schedule_delete", args=[campaign.pk, kept.pk])
    assert client.post(url).status_code == 404
    assert ReportSchedule.objects.count() == 1
