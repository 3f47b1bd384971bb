"""Review-by reminders through a real SMTP server: to the owner (or the team's admins when
nobody owns the material), once per review-by date, again for a new date."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from commsdesk.accounts.models import Membership
from commsdesk.materials import reviews, tasks, workflow
from commsdesk.materials.models import Material, Status
from tests.materials.library_fixtures import write
from tests.relations.roles import person_in

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 25)


@pytest.fixture
def material(team, member):
    return write(team, member, title="Boilerplate", review_by=TODAY)


def test_nothing_is_sent_before_the_review_date(smtp, material):
    assert not reviews.any_due(TODAY - timedelta(days=1))
    assert reviews.send_due(TODAY - timedelta(days=1)) == 0
    assert smtp.messages == []


def test_the_owner_is_reminded_once_even_when_run_twice(smtp, material):
    assert reviews.any_due(TODAY)
    assert reviews.send_due(TODAY) == 1
    assert reviews.send_due(TODAY) == 0
    assert reviews.send_due(TODAY + timedelta(days=3)) == 0
    assert not reviews.any_due(TODAY + timedelta(days=3))

    [message] = smtp.messages
    assert message["To"] == "ana@example.org"
    assert message["Subject"] == "Review due: Boilerplate"
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert "due for review today, on 25 November 2026" in body
    assert f"https://desk.example.org/materials/{material.pk}/" in body
    material.refresh_from_db()
    assert material.review_reminded_for == TODAY


def test_a_new_review_date_sends_again(smtp, material):
    reviews.send_due(TODAY)
    material.review_by = TODAY + timedelta(days=30)
    material.save()
    assert reviews.send_due(TODAY + timedelta(days=29)) == 0
    assert reviews.send_due(TODAY + timedelta(days=31)) == 1
    assert len(smtp.messages) == 2
    body = smtp.messages[1].get_body(preferencelist=("plain",)).get_content()
    assert "1 day ago" in body


def test_a_worker_that_read_the_material_before_another_sent_cannot_claim_it(smtp, material):
    read_by_slow_worker = Material.objects.get(pk=material.pk)
    assert reviews.send_due(TODAY) == 1  # the fast worker
    assert not reviews.claim(read_by_slow_worker)
    assert len(smtp.messages) == 1


def test_without_an_owner_the_admins_are_reminded_not_editors_or_volunteers(smtp, team, member):
    admin = person_in(team, Membership.Role.ADMIN, "ada")
    person_in(team, Membership.Role.VOLUNTEER, "val")
    write(team, member, title="Orphan", review_by=TODAY, owner=None)
    assert reviews.send_due(TODAY) == 1
    assert [m["To"] for m in smtp.messages] == [admin.email]


def test_retired_materials_are_not_chased(smtp, material):
    Material.objects.filter(pk=material.pk).update(status=Status.RETIRED)
    assert not reviews.any_due(TODAY)
    assert reviews.send_due(TODAY) == 0


def test_a_refused_email_is_tried_again_on_the_next_run(smtp, material):
    smtp.refuse = "451 4.3.0 Try again later"
    assert reviews.send_due(TODAY) == 0
    material.refresh_from_db()
    assert material.review_reminded_for is None
    smtp.refuse = None
    assert reviews.send_due(TODAY) == 1
    assert len(smtp.messages) == 1


def test_the_scheduler_task_sends_the_reminders(smtp, team, member, immediate_tasks):
    write(team, member, title="Due today", review_by=timezone.localdate())
    assert reviews.any_due()
    result = tasks.send_review_reminders.enqueue()
    assert result.return_value == 1
    assert len(smtp.messages) == 1


def test_marking_a_material_reviewed_moves_the_date_on_and_keeps_its_approval(
    smtp, material, member, client
):
    workflow.apply(material, "approve", member)
    reviews.send_due(TODAY)
    client.force_login(member)

    page = client.post(
        reverse("materials:material_reviewed", args=[material.pk]), {"days": 182}, follow=True
    )

    material.refresh_from_db()
    assert material.review_by == timezone.localdate() + timedelta(days=182)
    assert (material.status, material.version) == (Status.APPROVED, 1)
    assert "Next review by" in page.content.decode()
    assert reviews.send_due(material.review_by) == 1  # the new date gets its own reminder


def test_marking_reviewed_needs_a_known_interval_and_an_editor(material, member, team, client):
    url = reverse("materials:material_reviewed", args=[material.pk])
    client.force_login(member)
    client.post(url, {"days": 5000})
    material.refresh_from_db()
    assert material.review_by == TODAY
    viewer = person_in(team, Membership.Role.VIEWER, "vic")
    client.force_login(viewer)
    assert client.post(url, {"days": 91}).status_code == 403
