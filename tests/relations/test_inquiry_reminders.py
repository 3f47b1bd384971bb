"""Deadline reminders by email through a real SMTP server: to the owner (or the staff while
nobody owns it), 24 and 2 hours before, once each, retried when the server refuses."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from commsdesk.accounts.models import Membership, Profile
from commsdesk.ingest import scheduler
from commsdesk.relations.inquiries import reminders
from commsdesk.relations.models import Inquiry

pytestmark = pytest.mark.django_db

DEADLINE = datetime(2026, 1, 15, 22, 0, tzinfo=UTC)  # 17:00 in New York


@pytest.fixture
def inquiry(team, member):
    return Inquiry.objects.create(
        team=team,
        topic="Flood response figures",
        reporter_name="Sam Lee",
        deadline=DEADLINE,
        deadline_timezone="America/New_York",
        owner=member,
    )


def test_the_owner_gets_one_reminder_a_day_before_and_one_two_hours_before(smtp, inquiry, member):
    profile = Profile.of(member)
    profile.timezone = "Europe/Paris"
    profile.save()

    assert reminders.send_due(DEADLINE - timedelta(hours=25)) == 0  # not yet
    assert reminders.send_due(DEADLINE - timedelta(hours=23)) == 1
    assert reminders.send_due(DEADLINE - timedelta(hours=22)) == 0  # once
    assert reminders.send_due(DEADLINE - timedelta(hours=1, minutes=50)) == 1
    assert reminders.send_due(DEADLINE - timedelta(hours=1)) == 0
    assert reminders.send_due(DEADLINE + timedelta(hours=1)) == 0  # past the deadline

    assert [m["To"] for m in smtp.messages] == ["ana@example.org", "ana@example.org"]
    first, second = smtp.messages
    assert first["Subject"] == "Press inquiry due in 23 hours: Flood response figures"
    assert second["Subject"] == "Press inquiry due in 2 hours: Flood response figures"
    body = first.get_body(preferencelist=("plain",)).get_content()
    assert "Thu 15 Jan 2026, 23:00 (Europe/Paris)" in body  # the owner's clock
    assert "Thu 15 Jan 2026, 17:00 for the journalist (America/New_York)" in body
    assert f"https://desk.example.org/relations/inquiries/{inquiry.pk}/" in body


def test_an_inquiry_logged_close_to_its_deadline_gets_one_reminder_not_two(smtp, inquiry):
    assert reminders.send_due(DEADLINE - timedelta(minutes=90)) == 1
    assert reminders.send_due(DEADLINE - timedelta(minutes=80)) == 0
    assert len(smtp.messages) == 1


def test_without_an_owner_the_staff_are_reminded_not_volunteers(
    smtp, inquiry, team, django_user_model
):
    inquiry.owner = None
    inquiry.save()
    for name, role in [("lead", "admin"), ("vol", "volunteer"), ("reader", "viewer")]:
        user = django_user_model.objects.create_user(name, f"{name}@example.org", "pw-123456789")
        Membership.objects.create(user=user, team=team, role=role)

    reminders.send_due(DEADLINE - timedelta(hours=3))

    assert sorted(m["To"] for m in smtp.messages) == ["ana@example.org", "lead@example.org"]


def test_answered_inquiries_are_not_reminded(smtp, inquiry):
    inquiry.status = Inquiry.Status.ANSWERED
    inquiry.save()
    assert reminders.send_due(DEADLINE - timedelta(hours=1)) == 0
    assert smtp.messages == []


def test_a_refused_reminder_is_tried_again_on_the_next_tick(smtp, inquiry):
    smtp.refuse = "451 4.3.0 Try again later"
    assert reminders.send_due(DEADLINE - timedelta(hours=5)) == 0
    inquiry.refresh_from_db()
    assert inquiry.reminder_sent_at is None

    smtp.refuse = None
    assert reminders.send_due(DEADLINE - timedelta(hours=4)) == 1
    assert len(smtp.messages) == 1


def test_a_moved_deadline_is_reminded_again(smtp, inquiry):
    reminders.send_due(DEADLINE - timedelta(hours=1))
    inquiry.deadline = DEADLINE + timedelta(days=2)
    inquiry.save()
    assert reminders.send_due(DEADLINE + timedelta(days=1, hours=1)) == 1


def test_the_scheduler_tick_sends_due_reminders_through_a_task(smtp, inquiry, immediate_tasks):
    inquiry.deadline = datetime.now(UTC) + timedelta(hours=1)
    inquiry.save()
    scheduler.tick(sweep=False)
    scheduler.tick(sweep=False)
    assert len(smtp.messages) == 1
