"""Embargoes: an embargoed release or planned item is seen only by its named people, its owner
and team admins until the instant it lifts — an instant typed in the embargo's own time zone —
and the lift is announced by email exactly once. Clocks are controlled (`now=` or time-machine).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from commsdesk.accounts.models import Membership
from commsdesk.materials.models import Draft, Status
from commsdesk.operations import embargo
from commsdesk.operations.models import EmbargoLift, PlannedItem
from tests.materials.press_data import release, room

pytestmark = pytest.mark.django_db

WINTER_LIFT = datetime(2027, 1, 15, 8, 0, tzinfo=UTC)  # 09:00 in Paris (CET, UTC+1)


@pytest.fixture
def colleague(team, django_user_model):
    """An editor of the team who is not named on the embargo."""
    user = django_user_model.objects.create_user("cole", "cole@example.org", "pw-long-enough-1")
    Membership.objects.create(user=user, team=team, role=Membership.Role.EDITOR)
    return user


@pytest.fixture
def named(team, django_user_model):
    user = django_user_model.objects.create_user("nia", "nia@example.org", "pw-long-enough-2")
    Membership.objects.create(user=user, team=team, role=Membership.Role.VOLUNTEER)
    return user


def _plan_via_form(client, team, member, named, *, embargo_until: str, zone: str) -> PlannedItem:
    response = client.post(
        reverse("operations:planned_new"),
        {
            "team": team.pk,
            "kind": "press_release",
            "title": "Annual report launch",
            "starts_at": embargo_until,
            "timezone": zone,
            "owner": member.pk,
            "embargo_until": embargo_until,
            "embargo_people": [named.pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return PlannedItem.objects.get(title="Annual report launch")


def test_an_embargo_at_nine_in_paris_lifts_at_eight_utc_in_winter_not_before(
    member_client, team, member, named, colleague
):
    item = _plan_via_form(
        member_client, team, member, named, embargo_until="2027-01-15T09:00", zone="Europe/Paris"
    )
    assert item.embargo_until == WINTER_LIFT
    items = PlannedItem.objects.all()
    just_before = WINTER_LIFT - timedelta(seconds=1)
    assert not embargo.visible(items, colleague, now=just_before).exists()
    assert embargo.visible(items, named, now=just_before).exists()
    assert embargo.visible(items, member, now=just_before).exists()  # the owner
    assert embargo.visible(items, colleague, now=WINTER_LIFT).exists()


def test_the_same_nine_in_paris_lifts_at_seven_utc_in_summer(
    member_client, team, member, named, colleague
):
    item = _plan_via_form(
        member_client, team, member, named, embargo_until="2027-07-15T09:00", zone="Europe/Paris"
    )
    assert item.embargo_until == datetime(2027, 7, 15, 7, 0, tzinfo=UTC)


def test_a_release_reaches_the_press_room_at_the_embargo_instant_not_a_second_before(client, team):
    room(team)
    release(team, "Results", slug="results", embargo_until=WINTER_LIFT)
    page = reverse("press:room", args=["comms"])
    with time_machine.travel(WINTER_LIFT - timedelta(seconds=1), tick=False):
        assert b"Results" not in client.get(page).content
    with time_machine.travel(WINTER_LIFT, tick=False):
        assert b"Results" in client.get(page).content


def test_an_unnamed_colleague_gets_404_for_an_embargoed_draft_and_does_not_see_it_listed(
    client, team, member, named, colleague
):
    draft = release(team, "Secret results", embargo_until=datetime(2099, 1, 1, tzinfo=UTC))
    draft.owner = member
    draft.save()
    draft.embargo_people.add(named)
    client.force_login(colleague)
    assert client.get(reverse("materials:draft", args=[draft.pk])).status_code == 404
    assert b"Secret results" not in client.get(reverse("materials:drafts")).content
    client.force_login(named)
    assert client.get(reverse("materials:draft", args=[draft.pk])).status_code == 200
    assert b"Secret results" in client.get(reverse("materials:drafts")).content


def test_a_team_admin_sees_an_embargoed_draft_they_are_not_named_on(
    client, team, django_user_model
):
    admin = django_user_model.objects.create_user("adm", "adm@example.org", "pw-long-enough-3")
    Membership.objects.create(user=admin, team=team, role=Membership.Role.ADMIN)
    draft = release(team, "Secret results", embargo_until=datetime(2099, 1, 1, tzinfo=UTC))
    client.force_login(admin)
    assert client.get(reverse("materials:draft", args=[draft.pk])).status_code == 200


def test_a_volunteer_not_named_gets_404_for_an_embargoed_planned_item(
    client, team, member, colleague, django_user_model
):
    volunteer = django_user_model.objects.create_user("vol", "v@example.org", "pw-long-enough-4")
    Membership.objects.create(user=volunteer, team=team, role=Membership.Role.VOLUNTEER)
    item = PlannedItem.objects.create(
        team=team,
        title="Launch",
        starts_at=datetime(2099, 1, 1, tzinfo=UTC),
        owner=member,
        embargo_until=datetime(2099, 1, 1, tzinfo=UTC),
    )
    client.force_login(volunteer)
    assert client.get(reverse("operations:planned", args=[item.pk])).status_code == 404
    calendar_page = client.get(reverse("operations:calendar"), {"date": "2099-01-01"})
    assert b"Launch" not in calendar_page.content
    client.force_login(member)
    assert b"Launch" in client.get(reverse("operations:calendar"), {"date": "2099-01-01"}).content


def test_an_outsider_and_anonymous_cannot_reach_an_embargoed_planned_item(
    client, team, member, outsider
):
    item = PlannedItem.objects.create(
        team=team, title="Launch", starts_at=WINTER_LIFT, embargo_until=WINTER_LIFT
    )
    url = reverse("operations:planned", args=[item.pk])
    assert client.get(url).status_code == 302  # anonymous → login
    client.force_login(outsider)
    assert client.get(url).status_code == 404


def test_a_lifted_embargo_is_announced_once_to_the_named_people_and_owner(
    smtp, team, member, named, colleague
):
    draft = release(team, "Results", slug="results", embargo_until=WINTER_LIFT)
    draft.owner = member
    draft.save()
    draft.embargo_people.add(named)
    room(team)
    assert not embargo.any_due(now=WINTER_LIFT - timedelta(seconds=1))
    assert embargo.announce_lifted(now=WINTER_LIFT - timedelta(seconds=1)) == []
    assert embargo.any_due(now=WINTER_LIFT)
    with time_machine.travel(WINTER_LIFT + timedelta(seconds=5), tick=False):
        lifted = embargo.announce_lifted(now=WINTER_LIFT + timedelta(seconds=5))
        again = embargo.announce_lifted(now=WINTER_LIFT + timedelta(seconds=20))
    assert len(lifted) == 1 and again == []
    assert EmbargoLift.objects.count() == 1
    assert len(smtp.messages) == 1
    mail = smtp.messages[0]
    assert set(mail["X-Envelope-To"].split(", ")) == {"ana@example.org", "nia@example.org"}
    assert mail["Subject"] == "Embargo lifted: Results"
    body = mail.get_body(preferencelist=("plain",)).get_content()
    assert "https://desk.example.org/press/comms/releases/results/" in body
    assert "15 Jan 2027 08:00 (UTC)" in body


def test_moving_an_embargo_announces_the_new_lift_again(team, member):
    draft = release(team, "Results", embargo_until=WINTER_LIFT)
    embargo.announce_lifted(now=WINTER_LIFT)
    draft.embargo_until = WINTER_LIFT + timedelta(hours=1)
    draft.save()
    assert len(embargo.announce_lifted(now=WINTER_LIFT + timedelta(hours=1))) == 1


def test_the_scheduler_tick_enqueues_the_announcement_when_an_embargo_lifted(
    immediate_tasks, smtp, team, member
):
    from commsdesk.ingest import scheduler

    draft = release(team, "Results", embargo_until=datetime.now(UTC) - timedelta(minutes=1))
    draft.owner = member
    draft.save()
    scheduler.tick(sweep=False, alerts=True)
    assert EmbargoLift.objects.filter(record="draft", record_id=draft.pk).exists()
    assert len(smtp.messages) == 1


def test_an_embargo_that_lifted_long_ago_is_not_announced(team):
    release(team, "Old news", embargo_until=WINTER_LIFT)
    assert embargo.announce_lifted(now=WINTER_LIFT + timedelta(days=30)) == []


def test_a_draft_without_embargo_is_visible_to_the_team(team, colleague):
    draft = Draft.objects.create(
        team=team, kind=Draft.Kind.BLOG_POST, title="Blog", status=Status.DRAFT
    )
    assert embargo.can_see(draft, colleague)


def test_an_editor_sets_a_release_embargo_in_paris_time_from_the_draft_page(
    member_client, team, member, named
):
    draft = release(team, "Results", days_ago=None)
    page = member_client.get(reverse("materials:draft", args=[draft.pk])).content.decode()
    assert "Set an embargo" in page
    response = member_client.post(
        reverse("operations:draft_embargo", args=[draft.pk]),
        {
            "embargo_until": "2027-01-15T09:00",
            "embargo_timezone": "Europe/Paris",
            "embargo_people": [named.pk],
        },
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.embargo_until == WINTER_LIFT
    # The editor who set it is added, so they do not lock themselves out.
    assert set(draft.embargo_people.all()) == {named, member}
    page = member_client.get(reverse("materials:draft", args=[draft.pk])).content.decode()
    assert "Embargoed until Fri 15 Jan 2027, 09:00 Europe/Paris" in page


def test_the_embargo_page_refuses_viewers_outsiders_and_anonymous(
    client, team, outsider, django_user_model
):
    draft = release(team, "Results")
    url = reverse("operations:draft_embargo", args=[draft.pk])
    assert client.get(url).status_code == 302
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    viewer = django_user_model.objects.create_user("vw", "vw@example.org", "pw-long-enough-7")
    Membership.objects.create(user=viewer, team=team, role=Membership.Role.VIEWER)
    client.force_login(viewer)
    assert client.post(url, {"embargo_timezone": "UTC"}).status_code == 403


def test_an_embargoed_release_is_left_out_of_kit_pages_inquiry_pages_and_the_public_kit_zip(
    client, team, member, colleague
):
    import io
    import zipfile

    from commsdesk.relations.models import Inquiry
    from tests.materials.press_data import kit

    inquiry = Inquiry.objects.create(team=team, topic="Results?")
    secret = release(
        team,
        "Secret results",
        slug="secret",
        owner=member,
        inquiry=inquiry,
        embargo_until=datetime(2099, 1, 1, tzinfo=UTC),
    )
    press_kit = kit(team)
    press_kit.releases.add(secret)
    room(team)
    client.force_login(colleague)
    kit_page = client.get(reverse("materials:kit", args=[press_kit.pk]))
    assert b"Secret results" not in kit_page.content
    inquiry_page = client.get(reverse("relations:inquiry", args=[inquiry.pk]))
    assert b"Secret results" not in inquiry_page.content
    archive = client.get(reverse("press:kit_zip", args=["comms", "annual-report"]))
    names = zipfile.ZipFile(io.BytesIO(b"".join(archive.streaming_content))).namelist()
    assert not any("secret" in name.lower() for name in names)
    client.force_login(member)
    assert b"Secret results" in client.get(reverse("materials:kit", args=[press_kit.pk])).content
