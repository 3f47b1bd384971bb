"""The iCal feed per person: parsed back with icalendar; events, deadlines in UTC or the
inquiry's own zone, UIDs stable between fetches, and a wrong key is a 404."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from commsdesk.accounts.models import Team
from commsdesk.relations import calendar
from commsdesk.relations.models import Inquiry, SpeakingOpportunity, Spokesperson, Training

pytestmark = pytest.mark.django_db

SOON = timezone.now().replace(microsecond=0) + timedelta(days=10)


@pytest.fixture
def dated(team):
    speaker = Spokesperson.objects.create(team=team, name="Lucía")
    summit = SpeakingOpportunity.objects.create(
        team=team,
        title="Open Climate Summit",
        speaker=speaker,
        deadline=SOON,
        starts_at=SOON + timedelta(days=20),
        ends_at=SOON + timedelta(days=20, hours=2),
        location="Bogotá",
    )
    training = Training.objects.create(
        team=team, title="Radio basics", starts_at=SOON, trainer="Jo"
    )
    inquiry = Inquiry.objects.create(
        team=team, topic="Water prices", deadline=SOON, deadline_timezone="America/Bogota"
    )
    Inquiry.objects.create(team=team, topic="Answered already", deadline=SOON, status="answered")
    return summit, training, inquiry


def fetch(client, user, key=None):
    return client.get(
        reverse("relations:calendar_feed", args=[user.pk, key or calendar.feed_key(user)])
    )


def events(response) -> dict[str, object]:
    assert response["Content-Type"].startswith("text/calendar")
    parsed = Calendar.from_ical(response.content)
    return {str(event["uid"]): event for event in parsed.walk("VEVENT")}


def test_the_feed_has_deadlines_events_trainings_and_open_inquiries(client, member, dated):
    summit, training, inquiry = dated
    found = events(fetch(client, member))  # no login: calendar apps subscribe by address

    host = "127.0.0.1"
    deadline = found[f"speaking-{summit.pk}-deadline@{host}"]
    assert str(deadline["summary"]) == "Deadline: Open Climate Summit"
    assert deadline.decoded("dtstart") == summit.deadline
    assert deadline["dtstart"].to_ical().endswith(b"Z")  # UTC

    event = found[f"speaking-{summit.pk}-event@{host}"]
    assert event.decoded("dtend") - event.decoded("dtstart") == timedelta(hours=2)
    assert str(event["location"]) == "Bogotá" and "Lucía" in str(event["description"])
    assert str(event["url"]).endswith(reverse("relations:opportunity", args=[summit.pk]))

    assert str(found[f"training-{training.pk}@{host}"]["summary"]) == "Media training: Radio basics"

    due = found[f"inquiry-{inquiry.pk}-deadline@{host}"]
    assert due["dtstart"].params["TZID"] == "America/Bogota"
    assert due.decoded("dtstart").tzinfo == ZoneInfo("America/Bogota")
    assert due.decoded("dtstart") == inquiry.deadline  # the same moment, in the journalist's zone
    assert len(found) == 4  # the answered inquiry is not due any more


def test_the_feed_names_the_time_zones_it_uses(client, member, dated):
    parsed = Calendar.from_ical(fetch(client, member).content)
    assert [str(tz["tzid"]) for tz in parsed.walk("VTIMEZONE")] == ["America/Bogota"]


def test_uids_are_stable_between_two_fetches(client, member, dated):
    first = fetch(client, member)
    second = fetch(client, member)
    assert list(events(first)) == list(events(second))
    assert first.content == second.content


def test_a_wrong_or_someone_elses_key_is_a_404(client, member, outsider, dated):
    assert fetch(client, member, key="0" * 32).status_code == 404
    assert fetch(client, member, key=calendar.feed_key(outsider)).status_code == 404
    missing = client.get(reverse("relations:calendar_feed", args=[999999, "0" * 32]))
    assert missing.status_code == 404


def test_each_person_gets_only_their_teams_dates(client, outsider, dated):
    SpeakingOpportunity.objects.create(
        team=Team.objects.get(slug="other"), title="Their own panel", deadline=SOON
    )
    found = events(fetch(client, outsider))
    assert [str(e["summary"]) for e in found.values()] == ["Deadline: Their own panel"]


def test_the_calendar_page_gives_the_subscription_address(member_client, member):
    html = member_client.get(reverse("relations:calendar")).content.decode()
    address = f"http://testserver/relations/calendar/{member.pk}/{calendar.feed_key(member)}.ics"
    assert address in html and "webcal://testserver/" in html


def test_anonymous_visitors_are_sent_to_log_in_from_the_calendar_page(client):
    response = client.get(reverse("relations:calendar"))
    assert response.status_code == 302 and "/login/" in response.url


def test_old_dates_drop_out_of_the_feed(client, member, team):
    Training.objects.create(
        team=team, title="Long ago", starts_at=datetime(2020, 1, 1, 9, tzinfo=UTC)
    )
    assert events(fetch(client, member)) == {}
