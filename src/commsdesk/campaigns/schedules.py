"""Scheduled report emails: when each is due, which period it reports, and sending it once.

A schedule runs at 06:00 UTC on the first day of each week (Monday), month or quarter and
reports the previous complete period. A sender claims a due schedule with a conditional UPDATE
and a lease (`claimed_until`), so two workers never send one report twice; a failure is recorded
on the schedule and retried after RETRY_AFTER, for the same period while it is still the latest.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from commsdesk.campaigns.models import Campaign, ReportSchedule
from commsdesk.campaigns.outputs import email
from commsdesk.campaigns.report import Report
from commsdesk.monitoring.alerting.channels import DeliveryError

log = logging.getLogger(__name__)

Frequency = ReportSchedule.Frequency
# Early morning in Europe and Africa, the evening before in the Americas.
SEND_AT = time(6, 0, tzinfo=UTC)
RETRY_AFTER = timedelta(minutes=15)
MONTHS_PER_PERIOD = {Frequency.MONTHLY.value: 1, Frequency.QUARTERLY.value: 3}
Builder = Callable[[Campaign, date, date], Report]


# --- periods --------------------------------------------------------------------------------


def period_start(frequency: str, day: date) -> date:
    """The first day of the week (Monday), month or quarter that contains `day`."""
    if frequency == Frequency.WEEKLY.value:
        return day - timedelta(days=day.weekday())
    months = MONTHS_PER_PERIOD[str(frequency)]
    return date(day.year, (day.month - 1) // months * months + 1, 1)


def next_period_start(frequency: str, start: date) -> date:
    if frequency == Frequency.WEEKLY.value:
        return start + timedelta(days=7)
    month = start.month - 1 + MONTHS_PER_PERIOD[str(frequency)]
    return date(start.year + month // 12, month % 12 + 1, 1)


def previous_period(frequency: str, due: datetime) -> tuple[date, date]:
    """The complete period before the one `due` falls in (end inclusive)."""
    current = period_start(frequency, due.astimezone(UTC).date())
    previous = period_start(frequency, current - timedelta(days=1))
    return previous, current - timedelta(days=1)


def latest_run(frequency: str, now: datetime) -> datetime:
    """The latest sending time at or before `now`."""
    now = now.astimezone(UTC)
    start = period_start(frequency, now.date())
    moment = datetime.combine(start, SEND_AT)
    if moment > now:  # the first day of the period, before 06:00
        moment = datetime.combine(period_start(frequency, start - timedelta(days=1)), SEND_AT)
    return moment


def next_run(frequency: str, after: datetime) -> datetime:
    """The first sending time after `after`."""
    latest = latest_run(frequency, after)
    return datetime.combine(next_period_start(frequency, latest.date()), SEND_AT)


# --- claiming and sending -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SendReport:
    sent: int = 0
    failed: int = 0  # recorded on the schedule, retried after RETRY_AFTER


def _claimable(now: datetime):
    return ReportSchedule.objects.filter(active=True, next_run_at__lte=now).filter(
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    )


def any_due(now: datetime | None = None) -> bool:
    return _claimable(now or timezone.now()).exists()


def claim(schedule_id: int, now: datetime) -> bool:
    """Take one schedule for sending; False when it is not due or another worker holds it."""
    lease = timedelta(seconds=settings.COMMSDESK_LEASE_SECONDS)
    return _claimable(now).filter(pk=schedule_id).update(claimed_until=now + lease) == 1


def send_due(*, now: datetime | None = None, build: Builder | None = None) -> SendReport:
    """Claim the due schedules and email each its report. `build` makes the report (default:
    `assemble.build_report`, the same report as the web page)."""
    now = now or timezone.now()
    build = build or _build_report
    ids = list(_claimable(now).order_by("next_run_at").values_list("id", flat=True)[:200])
    sent = failed = 0
    for schedule_id in ids:
        if not claim(schedule_id, now):
            continue
        schedule = ReportSchedule.objects.select_related("campaign").get(pk=schedule_id)
        if _send(schedule, now, build):
            sent += 1
        else:
            failed += 1
    return SendReport(sent=sent, failed=failed)


def _send(schedule: ReportSchedule, now: datetime, build: Builder) -> bool:
    due = latest_run(schedule.frequency, now)
    start, end = previous_period(schedule.frequency, due)
    try:
        report = build(schedule.campaign, start, end)
        email.send_report(schedule.campaign, report, list(schedule.recipients))
    except DeliveryError as exc:
        return _failed(schedule, now, exc.reason)
    except Exception as exc:  # a bug in one report must not stop the other schedules
        log.exception("report schedule %s crashed", schedule.pk)
        return _failed(schedule, now, f"internal error: {exc!r}")
    ReportSchedule.objects.filter(pk=schedule.pk).update(
        last_sent_at=timezone.now(),
        last_error="",
        claimed_until=None,
        next_run_at=next_run(schedule.frequency, due),
    )
    return True


def _failed(schedule: ReportSchedule, now: datetime, reason: str) -> bool:
    log.warning("report schedule %s failed: %s", schedule.pk, reason)
    # The lease becomes the wait before the retry; next_run_at stays, so the period is the same.
    ReportSchedule.objects.filter(pk=schedule.pk).update(
        last_error=reason, claimed_until=now + RETRY_AFTER
    )
    return False


def _build_report(campaign: Campaign, start: date, end: date) -> Report:
    from commsdesk.campaigns import assemble  # the report pages' builder (same report as the web)

    return assemble.build_report(campaign, start, end)


@task()
def send_reports() -> int:
    """Background task the scheduler enqueues when a schedule is due; returns reports sent."""
    return send_due().sent


# --- adding a schedule ----------------------------------------------------------------------


class ScheduleForm(forms.ModelForm):
    frequency = forms.ChoiceField(choices=Frequency.choices, initial=Frequency.MONTHLY)
    recipients = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Email addresses, one per line or separated by commas.",
    )

    class Meta:
        model = ReportSchedule
        fields = ["frequency", "recipients"]

    def clean_recipients(self) -> list[str]:
        text = self.cleaned_data["recipients"]
        addresses = list(dict.fromkeys(a.strip() for a in text.replace(",", "\n").split("\n")))
        addresses = [a for a in addresses if a]
        wrong = []
        for address in addresses:
            try:
                validate_email(address)
            except ValidationError:
                wrong.append(address)
        if wrong:
            raise ValidationError(f"Not an email address: {', '.join(wrong)}")
        if not addresses:
            raise ValidationError("Add at least one email address.")
        if len(addresses) > 50:
            raise ValidationError("At most 50 recipients: use a mailing list address for more.")
        return addresses

    def save(self, commit: bool = True) -> ReportSchedule:
        schedule = super().save(commit=False)
        schedule.next_run_at = next_run(schedule.frequency, timezone.now())
        if commit:
            schedule.save()
        return schedule
