"""Media trainings: sessions, attendees, and the trained date and trainer they give each
spokesperson; a spokesperson's training history on their page."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from commsdesk.accounts.models import Profile, Team
from commsdesk.relations.models import Spokesperson, Training, TrainingAttendance
from tests.relations.roles import client_for, person_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def ana(team) -> Spokesperson:
    return Spokesperson.objects.create(
        team=team, name="Ana", media_trained_on=date(2025, 1, 5), trained_by="Old coach"
    )


def session(
    team, title="Mock interviews", when=datetime(2026, 3, 2, 9, 0, tzinfo=UTC), trainer="Jo Coach"
):
    return Training.objects.create(team=team, title=title, starts_at=when, trainer=trainer)


def test_it_adds_a_training_in_the_persons_own_time_zone(member_client, member, team):
    profile = Profile.of(member)
    profile.timezone = "America/Mexico_City"
    profile.save()
    response = member_client.post(
        reverse("relations:training_add"),
        {
            "title": "Radio basics",
            "starts_at": "2026-05-04T10:30",
            "trainer": "Jo Coach",
            "format": "in_person",
            "materials": "Key messages on climate",
            "follow_ups": "Send the recording",
        },
    )
    training = Training.objects.get(title="Radio basics")
    assert response.status_code == 302 and training.team == team
    assert training.starts_at == datetime(2026, 5, 4, 16, 30, tzinfo=UTC)
    page = member_client.get(reverse("relations:training", args=[training.pk])).content.decode()
    assert "10:30" in page and "America/Mexico_City" in page and "Send the recording" in page


def test_a_bad_date_is_shown_on_the_form_and_nothing_is_saved(member_client):
    response = member_client.post(
        reverse("relations:training_add"),
        {"title": "Radio", "starts_at": "next tuesday", "format": "online"},
    )
    assert response.status_code == 200 and "Enter a valid date/time" in response.content.decode()
    assert not Training.objects.exists()


def test_recording_attendance_updates_the_trained_date_and_trainer_when_newer(
    member_client, team, ana
):
    training = session(team)
    member_client.post(
        reverse("relations:attendee_add", args=[training.pk]),
        {"spokesperson": ana.pk, "attended": "on"},
    )
    ana.refresh_from_db()
    assert ana.media_trained_on == date(2026, 3, 2) and ana.trained_by == "Jo Coach"

    older = session(team, "Older session", datetime(2025, 6, 1, 9, tzinfo=UTC), "Someone else")
    member_client.post(
        reverse("relations:attendee_add", args=[older.pk]),
        {"spokesperson": ana.pk, "attended": "on"},
    )
    ana.refresh_from_db()
    assert ana.media_trained_on == date(2026, 3, 2) and ana.trained_by == "Jo Coach"


def test_a_planned_session_does_not_count_until_it_has_happened(member_client, team, ana):
    planned = session(team, "Next month", timezone.now() + timedelta(days=30))
    member_client.post(
        reverse("relations:attendee_add", args=[planned.pk]),
        {"spokesperson": ana.pk, "attended": "on"},
    )
    ana.refresh_from_db()
    assert ana.media_trained_on == date(2025, 1, 5)
    assert TrainingAttendance.objects.filter(training=planned, spokesperson=ana).exists()


def test_marking_not_attended_or_removing_returns_to_the_previous_training(
    member_client, team, ana
):
    earlier = session(team, "Earlier", datetime(2025, 9, 1, 9, tzinfo=UTC), "First coach")
    later = session(team, "Later", datetime(2026, 2, 1, 9, tzinfo=UTC), "Second coach")
    for training in (earlier, later):
        member_client.post(
            reverse("relations:attendee_add", args=[training.pk]),
            {"spokesperson": ana.pk, "attended": "on"},
        )
    ana.refresh_from_db()
    assert ana.trained_by == "Second coach"

    member_client.post(
        reverse("relations:attendance_update", args=[later.pk, ana.pk]),
        {"follow_up": "Was ill, rebook"},
    )
    ana.refresh_from_db()
    assert (ana.media_trained_on, ana.trained_by) == (date(2025, 9, 1), "First coach")
    row = TrainingAttendance.objects.get(training=later, spokesperson=ana)
    assert not row.attended and row.follow_up == "Was ill, rebook"

    member_client.post(reverse("relations:attendee_remove", args=[earlier.pk, ana.pk]))
    ana.refresh_from_db()
    assert ana.media_trained_on is None and ana.trained_by == ""
    assert not TrainingAttendance.objects.filter(training=earlier).exists()


def test_moving_a_session_moves_its_attendees_trained_date(member_client, team, ana):
    training = session(team)
    member_client.post(
        reverse("relations:attendee_add", args=[training.pk]),
        {"spokesperson": ana.pk, "attended": "on"},
    )
    member_client.post(
        reverse("relations:training_edit", args=[training.pk]),
        {
            "title": "Mock interviews",
            "starts_at": "2026-03-09T09:00",
            "trainer": "Jo Coach",
            "format": "mock",
        },
    )
    ana.refresh_from_db()
    assert ana.media_trained_on == date(2026, 3, 9)


def test_a_spokespersons_page_shows_their_training_history(member_client, team, ana):
    training = session(team)
    member_client.post(
        reverse("relations:attendee_add", args=[training.pk]),
        {"spokesperson": ana.pk, "attended": "on", "follow_up": "Practise bridging"},
    )
    page = member_client.get(reverse("relations:speaker", args=[ana.pk])).content.decode()
    assert "Mock interviews" in page and "Practise bridging" in page and "by Jo Coach" in page


def test_it_refuses_another_teams_spokesperson_as_attendee(member_client, team, outsider):
    other = Spokesperson.objects.create(team=Team.objects.get(slug="other"), name="Eve's speaker")
    training = session(team)
    response = member_client.post(
        reverse("relations:attendee_add", args=[training.pk]), {"spokesperson": other.pk}
    )
    assert response.status_code == 302
    assert not TrainingAttendance.objects.exists()


def test_a_viewer_reads_trainings_but_cannot_record_attendance(team, ana):
    viewer = client_for(person_in(team, "viewer", "vic"))
    training = session(team)
    assert viewer.get(reverse("relations:training", args=[training.pk])).status_code == 200
    response = viewer.post(
        reverse("relations:attendee_add", args=[training.pk]), {"spokesperson": ana.pk}
    )
    assert response.status_code == 403 and not TrainingAttendance.objects.exists()


def test_a_volunteer_records_attendance_but_cannot_delete_a_training(team, ana):
    volunteer = client_for(person_in(team, "volunteer", "val"))
    training = session(team)
    volunteer.post(
        reverse("relations:attendee_add", args=[training.pk]),
        {"spokesperson": ana.pk, "attended": "on"},
    )
    assert TrainingAttendance.objects.filter(training=training).exists()
    assert (
        volunteer.post(reverse("relations:training_delete", args=[training.pk])).status_code == 403
    )
    assert Training.objects.filter(pk=training.pk).exists()


def test_the_list_shows_upcoming_and_past_sessions_of_my_team(member_client, team, outsider):
    session(team, "Done already", timezone.now() - timedelta(days=3))
    session(team, "Coming soon", timezone.now() + timedelta(days=3))
    session(Team.objects.get(slug="other"), "Their training", timezone.now())
    response = member_client.get(reverse("relations:trainings"))
    assert [t.title for t in response.context["upcoming"]] == ["Coming soon"]
    assert [t.title for t in response.context["past"]] == ["Done already"]
    assert "Their training" not in response.content.decode()


def test_an_outsider_gets_404_for_another_teams_training(client, outsider, team, ana):
    training = session(team)
    TrainingAttendance.objects.create(training=training, spokesperson=ana)
    client.force_login(outsider)
    for name in ("training", "training_edit"):
        assert client.get(reverse(f"relations:{name}", args=[training.pk])).status_code == 404
    for name in ("training_delete", "attendee_add"):
        assert client.post(reverse(f"relations:{name}", args=[training.pk])).status_code == 404
    for name in ("attendance_update", "attendee_remove"):
        assert (
            client.post(reverse(f"relations:{name}", args=[training.pk, ana.pk])).status_code == 404
        )
    assert Training.objects.filter(pk=training.pk).exists()
    assert TrainingAttendance.objects.filter(training=training).exists()


@pytest.mark.parametrize("name", ["trainings", "training_add"])
def test_anonymous_visitors_are_sent_to_log_in_from_trainings(client, name):
    response = client.get(reverse(f"relations:{name}"))
    assert response.status_code == 302 and "/login/" in response.url
