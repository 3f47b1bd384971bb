"""The spokesperson roster: filters, contact details by role and consent, add/edit/deactivate,
and the ranking of suggested spokespeople for a request."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from commsdesk.accounts.models import Team
from commsdesk.relations.models import Spokesperson
from commsdesk.relations.roster import suggest
from tests.relations.roles import client_for, person_in

pytestmark = pytest.mark.django_db


def speaker(team, name, **fields) -> Spokesperson:
    return Spokesperson.objects.create(team=team, name=name, **fields)


def names(response) -> list[str]:
    return [person.name for person, _ in response.context["rows"]]


def test_it_filters_the_roster_by_language_region_topic_kind_training_and_approval(
    member_client, team
):
    speaker(team, "Ana", languages=["es", "en"], regions=["Latin America"], topics=["Climate"])
    speaker(
        team,
        "Bo",
        kind="volunteer",
        languages=["pt-br"],
        topics=["open data", "climate policy"],
        media_trained_on=date(2026, 3, 1),
        approval="topics",
    )
    speaker(team, "Cy", languages=["en"], regions=["East Africa"], active=False)
    url = reverse("relations:speakers")

    assert names(member_client.get(url)) == ["Ana", "Bo"]
    assert names(member_client.get(url, {"language": "ES"})) == ["Ana"]
    assert names(member_client.get(url, {"language": "pt"})) == ["Bo"]
    assert names(member_client.get(url, {"topic": "climate"})) == ["Ana", "Bo"]
    assert names(member_client.get(url, {"region": "latin america"})) == ["Ana"]
    assert names(member_client.get(url, {"kind": "volunteer"})) == ["Bo"]
    assert names(member_client.get(url, {"trained": "yes"})) == ["Bo"]
    assert names(member_client.get(url, {"trained": "no"})) == ["Ana"]
    assert names(member_client.get(url, {"approval": "topics"})) == ["Bo"]
    assert names(member_client.get(url, {"region": "east africa", "inactive": "on"})) == ["Cy"]


def test_it_pages_a_long_roster(member_client, team):
    for i in range(55):
        speaker(team, f"Person {i:02d}")
    first = member_client.get(reverse("relations:speakers"))
    second = member_client.get(reverse("relations:speakers"), {"page": 2})
    assert len(first.context["rows"]) == 50 and len(second.context["rows"]) == 5
    assert "page=2" in first.content.decode()


def test_it_shows_my_teams_roster_only(member_client, team, outsider):
    other = Team.objects.get(slug="other")
    speaker(other, "Their secret speaker", email="secret@example.org")
    html = member_client.get(reverse("relations:speakers")).content.decode()
    assert "Their secret speaker" not in html


def test_staff_see_contact_details_with_or_without_consent(member_client, team):
    person = speaker(team, "Ana", email="ana.speaks@example.org", phone="+34 600 000 000")
    assert (
        "ana.speaks@example.org"
        in member_client.get(reverse("relations:speakers")).content.decode()
    )
    page = member_client.get(reverse("relations:speaker", args=[person.pk])).content.decode()
    assert "ana.speaks@example.org" in page and "+34 600 000 000" in page


def test_a_viewer_sees_contact_details_only_with_the_persons_consent(team):
    viewer = client_for(person_in(team, "viewer", "vic"))
    shy = speaker(team, "Shy", email="shy@example.org")
    open_ = speaker(team, "Open", email="open@example.org", contact_consent=True)

    roster = viewer.get(reverse("relations:speakers")).content.decode()
    assert "open@example.org" in roster and "shy@example.org" not in roster
    assert (
        "shy@example.org"
        not in viewer.get(reverse("relations:speaker", args=[shy.pk])).content.decode()
    )
    assert (
        "open@example.org"
        in viewer.get(reverse("relations:speaker", args=[open_.pk])).content.decode()
    )


def test_a_volunteer_never_sees_others_contact_details_but_sees_their_own(team):
    volunteer_user = person_in(team, "volunteer", "val")
    volunteer = client_for(volunteer_user)
    other = speaker(
        team, "Other", email="other@example.org", phone="555-0101", contact_consent=True
    )
    own = speaker(
        team, "Val", email="val.speaks@example.org", kind="volunteer", user=volunteer_user
    )

    roster = volunteer.get(reverse("relations:speakers")).content.decode()
    assert "other@example.org" not in roster and "555-0101" not in roster
    assert "val.speaks@example.org" in roster
    other_page = volunteer.get(reverse("relations:speaker", args=[other.pk])).content.decode()
    assert "other@example.org" not in other_page
    # The edit form would hand the details over too: it leaves them out.
    edit = volunteer.get(reverse("relations:speaker_edit", args=[other.pk]))
    assert edit.status_code == 200 and "other@example.org" not in edit.content.decode()
    assert "email" not in edit.context["form"].fields
    own_edit = volunteer.get(reverse("relations:speaker_edit", args=[own.pk]))
    assert "val.speaks@example.org" in own_edit.content.decode()


def test_a_volunteer_cannot_approve_link_accounts_or_deactivate(team):
    volunteer = client_for(person_in(team, "volunteer", "val"))
    person = speaker(team, "Ana", email="ana@example.org", approval="none")

    response = volunteer.post(
        reverse("relations:speaker_edit", args=[person.pk]),
        {"name": "Ana B", "kind": "staff", "approval": "any", "languages": "es"},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.name == "Ana B" and person.approval == "none"
    assert person.email == "ana@example.org"  # a field they could not see is kept, not blanked
    response = volunteer.post(reverse("relations:speaker_active", args=[person.pk]))
    assert response.status_code == 403
    person.refresh_from_db()
    assert person.active


def test_a_viewer_cannot_add_or_edit(team):
    viewer = client_for(person_in(team, "viewer", "vic"))
    person = speaker(team, "Ana")
    assert viewer.get(reverse("relations:speaker_add")).status_code == 403
    assert (
        viewer.post(reverse("relations:speaker_edit", args=[person.pk]), {"name": "X"}).status_code
        == 403
    )


def test_it_adds_a_spokesperson_and_records_when_consent_was_given(member_client, team):
    response = member_client.post(
        reverse("relations:speaker_add"),
        {
            "name": "Amara Obi",
            "kind": "volunteer",
            "email": "amara@example.org",
            "languages": "en, yo",
            "regions": "West Africa",
            "topics": "health, open data",
            "approval": "topics",
            "consent": "on",
        },
    )
    person = Spokesperson.objects.get(name="Amara Obi")
    assert response.status_code == 302 and response.url == reverse(
        "relations:speaker", args=[person.pk]
    )
    assert person.team == team and person.languages == ["en", "yo"]
    assert person.topics == ["health", "open data"]
    assert person.contact_consent and person.consent_recorded_at is not None
    given_at = person.consent_recorded_at

    edit = reverse("relations:speaker_edit", args=[person.pk])
    member_client.post(
        edit, {"name": "Amara Obi", "kind": "volunteer", "approval": "topics", "consent": "on"}
    )
    person.refresh_from_db()
    assert person.consent_recorded_at == given_at  # unchanged consent keeps its date

    member_client.post(edit, {"name": "Amara Obi", "kind": "volunteer", "approval": "topics"})
    person.refresh_from_db()
    assert not person.contact_consent and person.consent_recorded_at > given_at
    page = member_client.get(reverse("relations:speaker", args=[person.pk])).content.decode()
    assert "Not given" in page and "recorded" in page


def test_bad_input_is_shown_on_the_form_and_nothing_is_saved(member_client, team):
    response = member_client.post(
        reverse("relations:speaker_add"),
        {
            "name": "Ana",
            "kind": "staff",
            "approval": "any",
            "email": "not-an-email",
            "languages": "e$",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Enter a valid email address" in html and "is not a code such as" in html
    assert 'value="Ana"' in html  # what was typed is kept
    assert not Spokesperson.objects.exists()


def test_staff_deactivate_and_bring_back_a_spokesperson(member_client, team):
    person = speaker(team, "Ana", languages=["es"])
    member_client.post(reverse("relations:speaker_active", args=[person.pk]))
    person.refresh_from_db()
    assert not person.active
    assert suggest(team, ["es"], []) == []
    assert names(member_client.get(reverse("relations:speakers"))) == []
    member_client.post(reverse("relations:speaker_active", args=[person.pk]))
    person.refresh_from_db()
    assert person.active


def test_suggestions_rank_language_first_then_topics_then_training_and_approval(team):
    speaker(team, "Topic expert, no Spanish", languages=["en"], topics=["climate", "forests"])
    speaker(team, "Spanish, one topic", languages=["es"], topics=["climate"])
    speaker(
        team,
        "Spanish, two topics",
        languages=["es"],
        topics=["climate", "forests"],
        availability="not in August",
    )
    speaker(
        team,
        "Spanish, one topic, trained",
        languages=["es-mx"],
        topics=["Climate policy"],
        media_trained_on=date(2026, 1, 10),
        approval="any",
    )
    speaker(team, "Nothing in common", languages=["fr"], topics=["sport"])
    speaker(team, "Inactive Spanish", languages=["es"], topics=["climate", "forests"], active=False)
    other = Team.objects.create(name="Other", slug="other-team")
    speaker(other, "Other team Spanish", languages=["es"], topics=["climate", "forests"])

    ranked = suggest(team, ["es"], ["climate", "forests"], ["Mexico"])

    assert [s.spokesperson.name for s in ranked] == [
        "Spanish, two topics",
        "Spanish, one topic, trained",
        "Spanish, one topic",
        "Topic expert, no Spanish",
    ]
    assert ranked[0].availability == "not in August"
    assert ranked[1].languages == ("es-mx",) and ranked[1].topics == ("Climate policy",)
    assert ranked[1].trained and ranked[1].approved


def test_suggestions_use_regions_after_topics(team):
    speaker(team, "Kenya", languages=["sw"], regions=["Kenya"])
    speaker(team, "Tanzania", languages=["sw"], regions=["Tanzania"])
    ranked = suggest(team.pk, ["sw"], [], ["Nairobi, Kenya"])
    assert [s.spokesperson.name for s in ranked] == ["Kenya", "Tanzania"]


@pytest.mark.parametrize("name", ["speaker", "speaker_edit"])
def test_an_outsider_gets_404_for_another_teams_spokesperson(client, outsider, team, name):
    person = speaker(team, "Ana")
    client.force_login(outsider)
    assert client.get(reverse(f"relations:{name}", args=[person.pk])).status_code == 404
    assert client.post(reverse("relations:speaker_active", args=[person.pk])).status_code == 404
    person.refresh_from_db()
    assert person.active


@pytest.mark.parametrize("name", ["speakers", "speaker_add"])
def test_anonymous_visitors_are_sent_to_log_in_from_the_roster(client, name):
    response = client.get(reverse(f"relations:{name}"))
    assert response.status_code == 302 and "/login/" in response.url


def test_the_relations_front_page_links_to_spokespeople_trainings_speaking_and_calendar(
    member_client, team
):
    Spokesperson.objects.create(team=team, name="Ana")
    Spokesperson.objects.create(team=team, name="Gone", active=False)
    response = member_client.get(reverse("relations:overview"))
    html = response.content.decode()
    for name in ("speakers", "trainings", "speaking", "calendar"):
        assert f'href="{reverse(f"relations:{name}")}"' in html
    assert "Calendar feed" in html and response.context["counts"]["spokespeople"] == 1


def test_staff_can_download_and_erase_a_spokespersons_data_leaving_only_an_erasure(
    member_client, member, team
):
    import json

    from commsdesk.relations.models import Erasure

    person = Spokesperson.objects.create(team=team, name="Rosa Volunteer", email="rosa@example.org")

    data = member_client.get(reverse("relations:speaker_data", args=[person.pk]))
    confirm = member_client.get(reverse("relations:speaker_erase", args=[person.pk]))
    member_client.post(reverse("relations:speaker_erase", args=[person.pk]), {"confirm": "erase"})

    assert json.loads(data.content)["record"]["email"] == "rosa@example.org"
    assert confirm.status_code == 200 and Erasure.objects.count() == 1  # GET changed nothing first
    assert not Spokesperson.objects.filter(pk=person.pk).exists()
    erasure = Erasure.objects.get()
    assert (erasure.kind, erasure.record_id, erasure.erased_by) == (
        "spokesperson",
        person.pk,
        member,
    )
