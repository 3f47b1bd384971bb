"""Press inquiry pages: logging with a deadline in the journalist's time zone, logging from an
email, the workflow and its timestamps, coverage, the board, and who may see and do what."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from commsdesk.accounts.models import Membership, Profile, Team
from commsdesk.monitoring.models import Article
from commsdesk.pipeline import urls
from commsdesk.relations.inquiries import workflow
from commsdesk.relations.models import Inquiry, Journalist, Spokesperson

pytestmark = pytest.mark.django_db

EML = Path(__file__).parent / "data" / "press-inquiry-es.eml"


@pytest.fixture
def inquiry(team):
    return Inquiry.objects.create(
        team=team,
        topic="Flood response figures",
        reporter_name="Sam Lee",
        reporter_email="sam@wire.example",
        deadline=timezone.now() + timedelta(hours=5),
        deadline_timezone="America/New_York",
    )


def in_team(django_user_model, team, name: str, role: str):
    user = django_user_model.objects.create_user(name, f"{name}@example.org", "pw-123456789")
    Membership.objects.create(user=user, team=team, role=role)
    return user


def form_data(**changes) -> dict:
    data = {
        "topic": "Drought in Andalusia",
        "reporter_name": "Lucía Fernández",
        "reporter_email": "lucia@diario.example",
        "questions": "How many volunteers?",
        "deadline_local": "2026-01-15T17:00",
        "deadline_timezone": "America/New_York",
    }
    return {**data, **changes}


# --- logging -------------------------------------------------------------------------------


def test_a_5pm_new_york_deadline_is_stored_as_22_utc_in_winter_and_shown_in_both_zones(
    member_client, member, team
):
    profile = Profile.of(member)
    profile.timezone = "Europe/Paris"
    profile.save()

    response = member_client.post(reverse("relations:inquiry_new"), form_data())

    inquiry = Inquiry.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "relations:inquiry", args=[inquiry.pk]
    )
    assert inquiry.team == team
    assert inquiry.deadline == datetime(2026, 1, 15, 22, 0, tzinfo=UTC)
    assert inquiry.deadline_timezone == "America/New_York"
    page = member_client.get(response.url).content.decode()
    assert "Thu 15 Jan 2026, 23:00" in page and "your time (Europe/Paris)" in page
    assert "Thu 15 Jan, 17:00 for the journalist (America/New_York)" in page
    # The edit form gives back the wall-clock time as it was typed.
    edit = member_client.get(reverse("relations:inquiry_edit", args=[inquiry.pk]))
    assert edit.context["form"].initial["deadline_local"] == datetime(2026, 1, 15, 17, 0)


def test_in_summer_new_york_is_four_hours_behind(member_client):
    member_client.post(
        reverse("relations:inquiry_new"), form_data(deadline_local="2026-07-15T17:00")
    )
    assert Inquiry.objects.get().deadline == datetime(2026, 7, 15, 21, 0, tzinfo=UTC)


def test_the_deadline_zone_defaults_to_the_persons_own(member_client, member):
    profile = Profile.of(member)
    profile.timezone = "Asia/Tokyo"
    profile.save()
    form = member_client.get(reverse("relations:inquiry_new")).context["form"]
    assert form.initial["deadline_timezone"] == "Asia/Tokyo"


def test_a_time_the_clocks_skip_is_refused_and_nothing_is_lost(member_client):
    response = member_client.post(
        reverse("relations:inquiry_new"), form_data(deadline_local="2026-03-08T02:30")
    )
    assert response.status_code == 200 and not Inquiry.objects.exists()
    assert "does not exist in America/New_York" in response.content.decode()
    assert response.context["form"]["topic"].value() == "Drought in Andalusia"


def test_a_journalist_of_another_team_cannot_be_chosen(member_client, outsider):
    theirs = Journalist.objects.create(team=Team.objects.get(slug="other"), name="Not yours")
    response = member_client.post(reverse("relations:inquiry_new"), form_data(journalist=theirs.pk))
    assert response.status_code == 200 and not Inquiry.objects.exists()
    assert response.context["form"].errors["journalist"]


def test_an_uploaded_email_is_logged_once(member_client, team):
    def upload():
        file = SimpleUploadedFile("inquiry.eml", EML.read_bytes(), "message/rfc822")
        return member_client.post(reverse("relations:inquiry_from_email"), {"file": file})

    first = upload()
    inquiry = Inquiry.objects.get()
    assert first.url == reverse("relations:inquiry_edit", args=[inquiry.pk])
    assert inquiry.topic == "Petición de entrevista: sequía en Andalucía"
    assert inquiry.origin == "email" and inquiry.team == team

    second = upload()
    assert second.url == reverse("relations:inquiry", args=[inquiry.pk])
    assert Inquiry.objects.count() == 1


def test_a_pasted_email_is_logged_too(member_client):
    pasted = EML.read_text(encoding="ascii")
    member_client.post(reverse("relations:inquiry_from_email"), {"pasted": pasted})
    assert Inquiry.objects.get().reporter_email == "lucia.fernandez@diario.example"


def test_pasted_text_that_is_not_an_email_is_refused_with_what_to_do(member_client):
    text = "Hi, can you comment by Friday?"
    response = member_client.post(reverse("relations:inquiry_from_email"), {"pasted": text})
    assert response.status_code == 200 and not Inquiry.objects.exists()
    assert "it has no From address" in response.content.decode()
    assert text in response.content.decode()


# --- workflow ------------------------------------------------------------------------------


def test_first_response_is_stamped_once_and_answering_closes_it(inquiry):
    start = timezone.now()
    workflow.move(inquiry, "assigned", now=start)
    workflow.move(inquiry, "drafting", now=start + timedelta(hours=1))
    workflow.move(inquiry, "answered", text="We responded.", now=start + timedelta(hours=2))
    assert inquiry.first_response_at == start
    assert inquiry.closed_at == start + timedelta(hours=2)
    assert inquiry.response == "We responded."

    workflow.move(inquiry, "drafting", now=start + timedelta(hours=3))  # reopened
    inquiry.refresh_from_db()
    assert inquiry.closed_at is None and inquiry.first_response_at == start


def test_declining_needs_a_reason_and_answering_a_response(inquiry):
    with pytest.raises(workflow.WorkflowError, match="why"):
        workflow.move(inquiry, "declined")
    with pytest.raises(workflow.WorkflowError, match="response"):
        workflow.move(inquiry, "answered", text="  ")
    inquiry.refresh_from_db()
    assert inquiry.status == "new" and inquiry.first_response_at is None


def test_assigning_owner_and_spokesperson_moves_a_new_inquiry_on(member_client, member, inquiry):
    speaker = Spokesperson.objects.create(team=inquiry.team, name="Dr Amara Diallo")
    response = member_client.post(
        reverse("relations:inquiry_assign", args=[inquiry.pk]),
        {"owner": member.pk, "spokesperson": speaker.pk},
    )
    inquiry.refresh_from_db()
    assert response.status_code == 302
    assert (inquiry.owner, inquiry.spokesperson, inquiry.status) == (member, speaker, "assigned")
    assert inquiry.first_response_at is not None


def test_recording_the_answer_from_the_page(member_client, inquiry):
    url = reverse("relations:inquiry_status", args=[inquiry.pk])
    member_client.post(url, {"status": "answered", "text": "Our statement: ..."})
    inquiry.refresh_from_db()
    assert inquiry.status == "answered" and inquiry.closed_at and inquiry.response
    assert (
        "Our statement"
        in member_client.get(reverse("relations:inquiry", args=[inquiry.pk])).content.decode()
    )


def test_a_refused_decline_comes_back_with_the_error(member_client, inquiry):
    url = reverse("relations:inquiry_status", args=[inquiry.pk])
    response = member_client.post(url, {"status": "declined", "text": ""})
    assert response.status_code == 400
    assert "Say why the inquiry is declined." in response.content.decode()
    inquiry.refresh_from_db()
    assert inquiry.status == "new"


def test_coverage_is_linked_by_the_articles_address_however_it_is_written(member_client, inquiry):
    address = "https://www.daily.example/floods"
    article = Article.objects.create(
        url=address,
        canonical_url=address,
        url_hash=urls.identity_hash(address),
        title="Floods: what the charity says",
        text="...",
        language="en",
    )
    url = reverse("relations:inquiry_coverage", args=[inquiry.pk])
    member_client.post(url, {"address": "https://daily.example/floods?utm_source=x"})
    assert list(inquiry.coverage.all()) == [article]

    missing = member_client.post(url, {"address": "https://elsewhere.example/x"}, follow=True)
    assert "No article with that address" in missing.content.decode()

    member_client.post(url, {"remove": article.pk})
    assert not inquiry.coverage.exists()


# --- board and front page ------------------------------------------------------------------


def test_the_board_lists_open_inquiries_by_deadline_with_overdue_and_soon_marked(
    member_client, team
):
    now = timezone.now()
    Inquiry.objects.create(team=team, topic="Later", deadline=now + timedelta(days=3))
    Inquiry.objects.create(team=team, topic="Late", deadline=now - timedelta(hours=1))
    Inquiry.objects.create(team=team, topic="Soon", deadline=now + timedelta(hours=3))
    Inquiry.objects.create(team=team, topic="Whenever")
    Inquiry.objects.create(team=team, topic="Done", status="answered", deadline=now)

    response = member_client.get(reverse("relations:inquiries"))

    rows = [(i.topic, urgency) for i, urgency in response.context["rows"]]
    assert rows == [("Late", "overdue"), ("Soon", "soon"), ("Later", ""), ("Whenever", "")]
    html = response.content.decode()
    assert "Overdue" in html and "Due within 24 h" in html
    assert "sla-figures" in html
    with_closed = member_client.get(reverse("relations:inquiries") + "?closed=1")
    assert "Done" in [i.topic for i, _ in with_closed.context["rows"]]


def test_the_board_filters_mine_and_unassigned(member_client, member, team):
    Inquiry.objects.create(team=team, topic="Mine", owner=member)
    Inquiry.objects.create(team=team, topic="Nobody's")

    def topics(show):
        response = member_client.get(reverse("relations:inquiries") + f"?show={show}")
        return [i.topic for i, _ in response.context["rows"]]

    assert topics("mine") == ["Mine"]
    assert topics("unassigned") == ["Nobody's"]
    assert sorted(topics("all")) == ["Mine", "Nobody's"]


def test_the_front_page_links_each_due_inquiry_and_the_board(member_client, inquiry):
    html = member_client.get(reverse("relations:overview")).content.decode()
    assert reverse("relations:inquiry", args=[inquiry.pk]) in html
    assert reverse("relations:inquiries") in html


# --- who may see and do what ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("inquiry", "get"),
        ("inquiry_edit", "get"),
        ("inquiry_edit", "post"),
        ("inquiry_assign", "post"),
        ("inquiry_status", "post"),
        ("inquiry_coverage", "post"),
        ("inquiry_delete", "post"),
    ],
)
def test_an_outsider_gets_404_for_another_teams_inquiry(client, outsider, inquiry, name, method):
    client.force_login(outsider)
    url = reverse(f"relations:{name}", args=[inquiry.pk])
    response = getattr(client, method)(url, {"status": "answered", "text": "x"})
    assert response.status_code == 404
    inquiry.refresh_from_db()
    assert inquiry.status == "new"


def test_an_outsider_does_not_see_another_teams_inquiries_on_the_board(client, outsider, inquiry):
    client.force_login(outsider)
    response = client.get(reverse("relations:inquiries"))
    assert response.status_code == 200 and inquiry.topic not in response.content.decode()


def test_a_volunteer_works_on_inquiries_without_seeing_the_reporters_email(
    client, django_user_model, team, inquiry
):
    inquiry.raw_email = "From: sam@wire.example"
    inquiry.save()
    volunteer = in_team(django_user_model, team, "vol", "volunteer")
    client.force_login(volunteer)

    page = client.get(reverse("relations:inquiry", args=[inquiry.pk])).content.decode()
    board = client.get(reverse("relations:inquiries")).content.decode()
    form = client.get(reverse("relations:inquiry_edit", args=[inquiry.pk])).context["form"]

    assert "Sam Lee" in page and "sam@wire.example" not in page
    assert "sam@wire.example" not in board
    assert "reporter_email" not in form.fields
    # Editing without the field keeps the address they cannot see.
    client.post(
        reverse("relations:inquiry_edit", args=[inquiry.pk]),
        form_data(topic="Renamed", reporter_email="changed@example.org"),
    )
    inquiry.refresh_from_db()
    assert inquiry.topic == "Renamed" and inquiry.reporter_email == "sam@wire.example"
    # They may move it on but not delete it.
    client.post(reverse("relations:inquiry_status", args=[inquiry.pk]), {"status": "drafting"})
    assert Inquiry.objects.get().status == "drafting"
    assert client.post(reverse("relations:inquiry_delete", args=[inquiry.pk])).status_code == 403


def test_a_viewer_reads_but_cannot_change(client, django_user_model, team, inquiry):
    viewer = in_team(django_user_model, team, "reader", "viewer")
    client.force_login(viewer)
    assert client.get(reverse("relations:inquiry", args=[inquiry.pk])).status_code == 200
    assert client.get(reverse("relations:inquiry_new")).status_code == 403
    url = reverse("relations:inquiry_status", args=[inquiry.pk])
    assert client.post(url, {"status": "drafting"}).status_code == 403
    assert Inquiry.objects.get().status == "new"


def test_staff_can_delete(member_client, inquiry):
    response = member_client.post(reverse("relations:inquiry_delete", args=[inquiry.pk]))
    assert response.status_code == 302 and not Inquiry.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(client, inquiry):
    response = client.get(reverse("relations:inquiry", args=[inquiry.pk]))
    assert response.status_code == 302 and "/login/" in response.url


def test_someone_in_two_teams_chooses_where_the_inquiry_goes_but_only_where_they_may_edit(
    member_client, member, team
):
    press = Team.objects.create(name="Press office", slug="press")
    Membership.objects.create(user=member, team=press, role="editor")
    archive = Team.objects.create(name="Archive", slug="archive")
    Membership.objects.create(user=member, team=archive, role="viewer")

    member_client.post(reverse("relations:inquiry_new"), form_data(team=press.pk))
    assert Inquiry.objects.get().team == press

    refused = member_client.post(reverse("relations:inquiry_new"), form_data(team=archive.pk))
    assert refused.status_code == 200 and Inquiry.objects.count() == 1
    assert refused.context["form"].errors["team"]


def test_a_call_logged_later_keeps_when_it_came_in_in_the_loggers_time_zone(member_client, member):
    profile = Profile.of(member)
    profile.timezone = "Asia/Kolkata"
    profile.save()
    member_client.post(
        reverse("relations:inquiry_new"), form_data(received_local="2026-01-14T09:30")
    )
    inquiry = Inquiry.objects.get()
    assert inquiry.received_at == datetime(2026, 1, 14, 4, 0, tzinfo=UTC)

    # Saving the form again without touching it keeps the exact time.
    before = inquiry.received_at = datetime(2026, 1, 14, 4, 0, 42, tzinfo=UTC)
    inquiry.save()
    edit_url = reverse("relations:inquiry_edit", args=[inquiry.pk])
    shown = member_client.get(edit_url).context["form"].initial["received_local"]
    member_client.post(edit_url, form_data(received_local=shown.strftime("%Y-%m-%dT%H:%M")))
    inquiry.refresh_from_db()
    assert inquiry.received_at == before


def test_an_inquiry_cannot_arrive_in_the_future(member_client):
    response = member_client.post(
        reverse("relations:inquiry_new"), form_data(received_local="2099-01-01T09:00")
    )
    assert response.status_code == 200 and not Inquiry.objects.exists()
    assert response.context["form"].errors["received_local"]


def test_choosing_a_journalist_fills_in_their_current_outlet(member_client, team):
    from commsdesk.monitoring.models import Outlet
    from commsdesk.relations.models import Affiliation

    outlet = Outlet.objects.create(name="Wire", domain="wire.example")
    sam = Journalist.objects.create(team=team, name="Sam Lee")
    Affiliation.objects.create(journalist=sam, outlet=outlet)
    member_client.post(reverse("relations:inquiry_new"), form_data(journalist=sam.pk))
    assert Inquiry.objects.get().outlet == outlet


def test_an_unassigned_inquiry_suggests_spokespeople_who_speak_the_journalists_language(
    member_client, team
):
    from commsdesk.relations.models import Inquiry, Journalist, Spokesperson

    journalist = Journalist.objects.create(team=team, name="Lucía Prensa", languages=["es"])
    Spokesperson.objects.create(team=team, name="Marta", languages=["es"], topics=["education"])
    Spokesperson.objects.create(team=team, name="John", languages=["en"], topics=["privacy"])
    inquiry = Inquiry.objects.create(team=team, journalist=journalist, topic="Education grants")

    page = member_client.get(reverse("relations:inquiry", args=[inquiry.pk]))

    assert [s.spokesperson.name for s in page.context["suggestions"]] == ["Marta"]
    assert "Suggested spokespeople" in page.content.decode()
