"""A person's data rights: everything held on a journalist as JSON, and erasure that leaves an
Erasure row and no personal data; staff only, after a confirmation step. Spokespeople go
through the same module (their pages belong to the speakers area)."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from commsdesk.relations import data_rights
from commsdesk.relations.models import (
    Erasure,
    Inquiry,
    Journalist,
    MediaList,
    MediaListMember,
    Pitch,
    PitchRecipient,
    SpeakingOpportunity,
    Spokesperson,
    Training,
    TrainingAttendance,
)
from tests.fixtures.contacts import journalist, outlet, person_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def ana(team):
    """A journalist with a job, a list, a pitch received and two inquiries (one unlinked,
    logged from an email with her address)."""
    ana = journalist(
        team,
        "Ana Reporter",
        works_for=outlet(),
        email="ana@daily.example",
        phone="+44 20 7946 0000",
        notes="Met at COP",
    )
    media_list = MediaList.objects.create(team=team, name="Climate desk")
    MediaListMember.objects.create(media_list=media_list, journalist=ana)
    pitch = Pitch.objects.create(team=team, subject="Report launch", body="Dear Ana, ...")
    PitchRecipient.objects.create(pitch=pitch, journalist=ana, email=ana.email, status="sent")
    Inquiry.objects.create(
        team=team,
        topic="Drought figures",
        journalist=ana,
        reporter_name="Ana Reporter",
        reporter_email=ana.email,
    )
    Inquiry.objects.create(
        team=team,
        topic="Follow-up",
        reporter_name="Ana R.",
        reporter_email="ANA@daily.example",
        raw_email="From: Ana <ana@daily.example>\n\nHello",
    )
    return ana


def test_staff_download_everything_held_on_a_journalist(member_client, ana):
    response = member_client.get(reverse("relations:journalist_data", args=[ana.pk]))

    held = json.loads(response.content)
    assert "attachment" in response["Content-Disposition"]
    assert (
        held["record"]["email"] == "ana@daily.example" and held["record"]["notes"] == "Met at COP"
    )
    assert held["affiliations"][0]["outlet_domain"] == "daily.example"
    assert held["media_lists"][0]["list"] == "Climate desk"
    assert held["pitches_received"][0]["subject"] == "Report launch"
    assert {i["topic"] for i in held["inquiries"]} == {"Drought figures", "Follow-up"}


def test_erasing_asks_first_then_leaves_an_erasure_and_no_personal_data(member, member_client, ana):
    confirm = member_client.get(reverse("relations:journalist_erase", args=[ana.pk]))
    unconfirmed = member_client.post(reverse("relations:journalist_erase", args=[ana.pk]))
    assert confirm.status_code == 200 and "Erase for good" in confirm.content.decode()
    assert unconfirmed.status_code == 200 and Journalist.objects.filter(pk=ana.pk).exists()

    response = member_client.post(
        reverse("relations:journalist_erase", args=[ana.pk]), {"confirm": "erase"}
    )

    assert response.status_code == 302
    assert not Journalist.objects.filter(pk=ana.pk).exists()
    erasure = Erasure.objects.get()
    assert (erasure.kind, erasure.record_id, erasure.erased_by) == ("journalist", ana.pk, member)
    copy = PitchRecipient.objects.get()
    assert copy.journalist is None and copy.email == "" and copy.status == "sent"
    for inquiry in Inquiry.objects.all():
        assert inquiry.journalist is None
        assert inquiry.reporter_name == inquiry.reporter_email == inquiry.raw_email == ""
    assert not MediaListMember.objects.exists()
    assert (
        "ana" not in json.dumps([str(v) for v in Erasure.objects.values().get().values()]).lower()
    )


def test_a_volunteer_can_neither_export_nor_erase(client, team, django_user_model, ana):
    client.force_login(person_in(team, "volunteer", django_user_model))

    assert client.get(reverse("relations:journalist_data", args=[ana.pk])).status_code == 403
    erase = client.post(reverse("relations:journalist_erase", args=[ana.pk]), {"confirm": "erase"})

    assert erase.status_code == 403
    assert Journalist.objects.filter(pk=ana.pk).exists() and not Erasure.objects.exists()


def test_an_outsider_cannot_erase_another_teams_journalist(client, outsider, ana):
    client.force_login(outsider)

    response = client.post(
        reverse("relations:journalist_erase", args=[ana.pk]), {"confirm": "erase"}
    )

    assert response.status_code == 404
    assert Journalist.objects.filter(pk=ana.pk).exists()


def test_anonymous_visitors_cannot_download_a_persons_data(client, ana):
    response = client.get(reverse("relations:journalist_data", args=[ana.pk]))

    assert response.status_code == 302 and "/login/" in response.url


def test_a_spokesperson_record_and_erasure(team, member):
    speaker = Spokesperson.objects.create(
        team=team,
        name="Sam Speaker",
        email="sam@ngo.example",
        phone="+1 555 0100",
        languages=["es"],
        contact_consent=True,
    )
    training = Training.objects.create(
        team=team, title="Camera basics", starts_at="2026-01-10T10:00Z"
    )
    TrainingAttendance.objects.create(training=training, spokesperson=speaker)
    inquiry = Inquiry.objects.create(team=team, topic="TV slot", spokesperson=speaker)
    talk = SpeakingOpportunity.objects.create(team=team, title="Panel", speaker=speaker)

    held = data_rights.spokesperson_record(speaker)
    data_rights.erase_spokesperson(speaker, by=member)

    assert held["record"]["email"] == "sam@ngo.example"
    assert held["trainings"][0]["training"] == "Camera basics"
    assert held["inquiries"] == [{"id": inquiry.pk, "topic": "TV slot", "status": "new"}]
    assert held["engagements"][0]["title"] == "Panel"
    assert not Spokesperson.objects.exists() and not TrainingAttendance.objects.exists()
    inquiry.refresh_from_db()
    talk.refresh_from_db()
    assert inquiry.spokesperson is None and talk.speaker is None
    assert Erasure.objects.get().kind == "spokesperson"
