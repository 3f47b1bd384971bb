"""The communications calendar: one list of entries from every app, month/week/list pages in
the reader's zone with the item's own zone beside it, filters, planned items (who may add,
edit, see), the iCal feeds per person and per team, and the Operations navigation."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from commsdesk.accounts.models import Membership, Profile
from commsdesk.campaigns.models import Campaign
from commsdesk.materials.models import KeyStatistic, Material, Status
from commsdesk.operations import calendar, ical
from commsdesk.operations.models import PlannedItem
from commsdesk.relations.models import Inquiry, SpeakingOpportunity, Training
from tests.materials.press_data import release

pytestmark = pytest.mark.django_db

MARCH = datetime(2027, 3, 1, tzinfo=UTC)


@pytest.fixture
def dated(team, member):
    """One dated record of each kind in March 2027."""
    campaign = Campaign.objects.create(
        team=team, name="Wiki Loves Earth", starts_on=date(2027, 3, 8), ends_on=date(2027, 3, 31)
    )
    PlannedItem.objects.create(
        team=team,
        kind="announcement",
        title="Board announcement",
        starts_at=datetime(2027, 3, 10, 8, 0, tzinfo=UTC),
        timezone="Europe/Paris",
        campaign=campaign,
        language="fr",
        region="FR",
        owner=member,
    )
    release(
        team, "Annual report", owner=member, embargo_until=datetime(2027, 3, 12, 13, 0, tzinfo=UTC)
    )
    SpeakingOpportunity.objects.create(
        team=team,
        title="Wikimania keynote",
        deadline=datetime(2027, 3, 3, 23, 59, tzinfo=UTC),
        starts_at=datetime(2027, 3, 20, 15, 0, tzinfo=UTC),
    )
    Training.objects.create(
        team=team, title="On-camera basics", starts_at=datetime(2027, 3, 15, 9, tzinfo=UTC)
    )
    Inquiry.objects.create(
        team=team,
        topic="AI and Wikipedia",
        deadline=datetime(2027, 3, 5, 22, 0, tzinfo=UTC),
        deadline_timezone="America/New_York",
    )
    Inquiry.objects.create(
        team=team,
        topic="Answered one",
        deadline=datetime(2027, 3, 5, tzinfo=UTC),
        status="answered",
    )
    Material.objects.create(
        team=team, kind="fact_sheet", title="Fact sheet", review_by=date(2027, 3, 25)
    )
    KeyStatistic.objects.create(
        team=team, name="Articles", slug="articles", value=65, as_of=date(2027, 2, 27),
        max_age_days=30,
    )  # fmt: skip
    return campaign


def test_the_calendar_reads_every_dated_record_into_one_time_ordered_list(member, dated):
    found = calendar.entries(member, MARCH, MARCH + timedelta(days=31), now=MARCH)
    assert [(e.kind, e.title) for e in found] == [
        ("cfp", "Deadline: Wikimania keynote"),
        ("inquiry", "Press inquiry due: AI and Wikipedia"),
        ("campaign", "Campaign starts: Wiki Loves Earth"),
        ("announcement", "Board announcement"),
        ("release", "Embargo lifts: Annual report"),
        ("training", "Media training: On-camera basics"),
        ("speaking", "Wikimania keynote"),
        ("review", "Review by: Fact sheet"),
        ("statistic", "Out of date: Articles"),
        ("campaign", "Campaign ends: Wiki Loves Earth"),
    ]
    release_entry = next(e for e in found if e.kind == "release")
    assert release_entry.embargoed and release_entry.zone == "UTC"


def test_filters_by_campaign_language_region_and_kind(member, dated):
    window = (MARCH, MARCH + timedelta(days=31))
    by_campaign = calendar.entries(
        member, *window, filters=calendar.Filters(campaign_id=dated.pk), now=MARCH
    )
    assert {e.kind for e in by_campaign} == {"campaign", "announcement"}
    french = calendar.entries(member, *window, filters=calendar.Filters(language="FR"), now=MARCH)
    assert [e.title for e in french] == ["Board announcement"]
    region = calendar.entries(member, *window, filters=calendar.Filters(region="fr"), now=MARCH)
    assert [e.title for e in region] == ["Board announcement"]
    kinds = calendar.Filters(kinds=frozenset({"training", "inquiry"}))
    assert len(calendar.entries(member, *window, filters=kinds, now=MARCH)) == 2


def test_the_month_page_places_entries_on_the_readers_day_with_the_items_own_zone(
    member_client, member, dated
):
    Profile.objects.create(user=member, timezone="Asia/Tokyo")
    page = member_client.get(reverse("operations:calendar"), {"date": "2027-03-01"})
    html = page.content.decode()
    # 22:00 UTC on 5 March is 07:00 on 6 March in Tokyo; its own zone says 17:00 New York.
    cell = html.split('id="day-2027-03-06"')[1].split("</td>")[0]
    assert "07:00" in cell and "AI and Wikipedia" in cell and "17:00 America/New_York" in cell
    board = html.split('id="day-2027-03-10"')[1].split("</td>")[0]
    assert "17:00" in board and "09:00 Europe/Paris" in board
    assert "Embargoed" in html


def test_the_week_and_list_views_and_the_filter_form(member_client, dated):
    week = member_client.get(
        reverse("operations:calendar"), {"view": "week", "date": "2027-03-10"}
    ).content.decode()
    assert "Week of 8 March 2027" in week and "Board announcement" in week
    assert "On-camera basics" not in week  # the 15th is the next week
    listed = member_client.get(
        reverse("operations:calendar"),
        {"view": "list", "date": "2027-03-01", "kind": "training"},
    ).content.decode()
    assert "Media training: On-camera basics" in listed and "Board announcement" not in listed


def test_bad_filter_values_are_ignored_not_an_error(member_client, dated):
    page = member_client.get(
        reverse("operations:calendar"),
        {"date": "not-a-date", "campaign": "x", "team": "y", "kind": "nonsense", "view": "z"},
    )
    assert page.status_code == 200


def test_a_volunteer_adds_a_planned_item_in_its_own_time_zone(client, team, django_user_model):
    volunteer = django_user_model.objects.create_user("vol", "vol@example.org", "pw-long-enough-5")
    Membership.objects.create(user=volunteer, team=team, role=Membership.Role.VOLUNTEER)
    client.force_login(volunteer)
    response = client.post(
        reverse("operations:planned_new"),
        {
            "team": team.pk,
            "kind": "event",
            "title": "Edit-a-thon in São Paulo",
            "starts_at": "2027-03-13T10:00",
            "timezone": "America/Sao_Paulo",
        },
    )
    item = PlannedItem.objects.get()
    assert response.status_code == 302
    assert item.starts_at == datetime(2027, 3, 13, 13, 0, tzinfo=UTC)
    assert item.created_by == volunteer
    edit = client.get(reverse("operations:planned_edit", args=[item.pk])).content.decode()
    assert 'value="2027-03-13T10:00"' in edit  # shown again in its own zone


def test_a_planned_item_that_ends_before_it_starts_is_refused_and_kept(member_client, team):
    response = member_client.post(
        reverse("operations:planned_new"),
        {
            "team": team.pk,
            "kind": "event",
            "title": "Backwards",
            "starts_at": "2027-03-13T10:00",
            "ends_at": "2027-03-13T09:00",
            "timezone": "UTC",
        },
    )
    assert response.status_code == 400
    assert b"The end is before the start." in response.content
    assert b'value="Backwards"' in response.content
    assert not PlannedItem.objects.exists()


def test_embargo_people_must_be_in_the_items_team(member_client, team, outsider):
    response = member_client.post(
        reverse("operations:planned_new"),
        {
            "team": team.pk,
            "kind": "event",
            "title": "Leak",
            "starts_at": "2027-03-13T10:00",
            "timezone": "UTC",
            "embargo_until": "2027-03-13T10:00",
            "embargo_people": [outsider.pk],
        },
    )
    assert response.status_code == 400
    assert not PlannedItem.objects.exists()


def test_a_viewer_cannot_add_or_edit_planned_items(client, team, member, django_user_model):
    viewer = django_user_model.objects.create_user("view", "vw@example.org", "pw-long-enough-6")
    Membership.objects.create(user=viewer, team=team, role=Membership.Role.VIEWER)
    item = PlannedItem.objects.create(team=team, title="Plan", starts_at=MARCH)
    client.force_login(viewer)
    assert client.get(reverse("operations:planned", args=[item.pk])).status_code == 200
    assert client.get(reverse("operations:planned_new")).status_code == 403
    assert client.get(reverse("operations:planned_edit", args=[item.pk])).status_code == 403
    assert client.post(reverse("operations:planned_delete", args=[item.pk])).status_code == 403


def test_an_outsider_gets_404_for_planned_items_and_sees_none_in_the_calendar(
    client, team, outsider
):
    item = PlannedItem.objects.create(team=team, title="Secret plan", starts_at=MARCH)
    client.force_login(outsider)
    for name in ("planned", "planned_edit"):
        assert client.get(reverse(f"operations:{name}", args=[item.pk])).status_code == 404
    assert client.post(reverse("operations:planned_delete", args=[item.pk])).status_code == 404
    page = client.get(reverse("operations:calendar"), {"date": "2027-03-01"})
    assert b"Secret plan" not in page.content


def test_anonymous_visitors_are_sent_to_log_in(client):
    for name in ("calendar", "planned_new", "calendar_feeds"):
        response = client.get(reverse(f"operations:{name}"))
        assert response.status_code == 302 and "/login" in response["Location"]


def _events(response) -> dict[str, object]:
    cal = Calendar.from_ical(response.content)
    return {str(event["summary"]): event for event in cal.walk("VEVENT")}


def test_the_personal_feed_has_what_the_person_sees_including_their_embargoes(
    client, team, member, dated
):
    soon = timezone.now() + timedelta(days=30)
    embargoed = release(team, "Secret", embargo_until=soon)
    embargoed.embargo_people.add(member)
    response = client.get(ical.user_feed_path(member))
    assert response["Content-Type"].startswith("text/calendar")
    events = _events(response)
    assert "Embargo lifts: Secret" in events
    board = events["Board announcement"]
    assert board["dtstart"].params["TZID"] == "Europe/Paris"
    assert board["dtstart"].dt.hour == 9


def test_the_team_feed_never_shows_an_embargoed_item(client, team, member, dated):
    release(team, "Secret", owner=member, embargo_until=timezone.now() + timedelta(days=30))
    events = _events(client.get(ical.team_feed_path(team)))
    assert "Embargo lifts: Secret" not in events
    assert "Board announcement" in events


def test_a_feed_with_a_wrong_key_is_404(client, team, member):
    assert (
        client.get(reverse("operations:calendar_user_feed", args=[member.pk, "0" * 32])).status_code
        == 404
    )
    assert (
        client.get(
            reverse("operations:calendar_team_feed", args=[team.pk, ical.user_key(member)])
        ).status_code
        == 404
    )


def test_the_feeds_page_gives_personal_and_team_addresses(member_client, team, member):
    html = member_client.get(reverse("operations:calendar_feeds")).content.decode()
    assert ical.user_feed_path(member) in html and ical.team_feed_path(team) in html


def test_operations_is_in_the_menu_with_its_tabs(member_client):
    html = member_client.get(reverse("operations:calendar")).content.decode()
    assert 'href="/operations/calendar/" aria-current="page">Operations' in html
    assert ">Calendar</a>" in html and ">Crisis room</a>" in html


def test_a_tab_whose_part_is_not_installed_is_left_out():
    from commsdesk.web.context import _tabs

    tabs = _tabs("operations", "/operations/incidents/")
    labels = [label for label, _, _ in tabs]
    assert "Calendar" in labels and "Crisis room" in labels
    assert [label for label, _, current in tabs if current] == ["Crisis room"]


def test_planned_status_retired_reviews_are_not_shown(member, team):
    Material.objects.create(
        team=team, kind="bio", title="Old bio", review_by=date(2027, 3, 2), status=Status.RETIRED
    )
    found = calendar.entries(member, MARCH, MARCH + timedelta(days=5), now=MARCH)
    assert not found
