"""Pitch pages: templates, composing with merge-field errors shown before sending, the
per-journalist preview, sending (staff only), marking copies by hand, coverage that followed,
and other teams' pitches as 404s."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from commsdesk.accounts.models import Membership
from commsdesk.monitoring.models import Outlet
from commsdesk.relations.models import Pitch, PitchRecipient, PitchTemplate
from tests.fixtures.articles import stored_article
from tests.relations.pitch_fixtures import journalist, media_list, pitch

pytestmark = pytest.mark.django_db
Status = PitchRecipient.Status


@pytest.fixture
def volunteer_client(client, team, django_user_model):
    user = django_user_model.objects.create_user("vic", "vic@example.org", "a-long-test-password")
    Membership.objects.create(user=user, team=team, role=Membership.Role.VOLUNTEER)
    client.force_login(user)
    return client


@pytest.fixture
def outsider_client(client, outsider):
    client.force_login(outsider)
    return client


@pytest.fixture
def drafted(team):
    bruno = journalist(team, "Bruno Costa", outlet="Gazette", beats=["climate"])
    chidi = journalist(team, "Chidi Okafor", outlet="Daily Wire")
    return pitch(team, media_list(team, bruno, chidi))


def _html(response) -> str:
    return response.content.decode()


# --- templates --------------------------------------------------------------------------------


def test_it_creates_edits_and_deletes_a_template_with_merge_fields(member_client, team):
    response = member_client.post(
        reverse("relations:pitch_template_new"),
        {"name": "Report launch", "subject": "For {{ outlet }}", "body": "Hi {{ first_name }}"},
    )
    assert response.status_code == 302
    template = PitchTemplate.objects.get()
    assert (template.team, template.subject) == (team, "For {{ outlet }}")
    assert "Report launch" in _html(member_client.get(reverse("relations:pitch_templates")))

    member_client.post(
        reverse("relations:pitch_template_edit", args=[template.pk]),
        {"name": "Launch", "subject": "News for {{ outlet }}", "body": "Dear {{ name }}"},
    )
    template.refresh_from_db()
    assert (template.name, template.body) == ("Launch", "Dear {{ name }}")

    member_client.post(reverse("relations:pitch_template_delete", args=[template.pk]))
    assert not PitchTemplate.objects.exists()


def test_a_template_with_an_unknown_field_is_refused_with_a_clear_error_and_kept(member_client):
    response = member_client.post(
        reverse("relations:pitch_template_new"),
        {"name": "Oops", "subject": "Hello", "body": "Dear {{ frist_name }}, about {{ beat }}"},
    )
    html = _html(response)
    assert response.status_code == 200 and not PitchTemplate.objects.exists()
    assert "unknown merge field {{ frist_name }}. Did you mean {{ first_name }}?" in html
    assert "Dear {{ frist_name }}, about {{ beat }}</textarea>" in html  # nothing lost


def test_a_template_tag_is_refused_not_run(member_client):
    response = member_client.post(
        reverse("relations:pitch_template_new"),
        {"name": "Sneaky", "subject": "Hi", "body": '{% include "/etc/passwd" %}'},
    )
    assert "tags are not allowed in a pitch" in _html(response)
    assert not PitchTemplate.objects.exists()


def test_a_volunteer_edits_templates_but_cannot_delete_them(volunteer_client, team):
    template = PitchTemplate.objects.create(team=team, name="T", subject="S", body="B")
    response = volunteer_client.post(
        reverse("relations:pitch_template_edit", args=[template.pk]),
        {"name": "T2", "subject": "S", "body": "B {{ name }}"},
    )
    assert response.status_code == 302
    delete = reverse("relations:pitch_template_delete", args=[template.pk])
    assert volunteer_client.post(delete).status_code == 403
    assert PitchTemplate.objects.filter(name="T2").exists()


# --- composing and the preview ----------------------------------------------------------------


def test_it_composes_from_a_template_for_a_media_list(member_client, team):
    listed = media_list(team, journalist(team, "Bruno Costa"))
    template = PitchTemplate.objects.create(
        team=team, name="Launch", subject="For {{ outlet }}", body="Dear {{ first_name }}"
    )
    page = member_client.get(reverse("relations:pitch_new"), {"template": template.pk})
    assert page.context["form"].initial["body"] == "Dear {{ first_name }}"

    response = member_client.post(
        reverse("relations:pitch_new"),
        {"media_list": listed.pk, "subject": "For {{ outlet }}", "body": "Dear {{ first_name }}"},
    )
    created = Pitch.objects.get()
    assert response.url == reverse("relations:pitch", args=[created.pk])
    assert (created.team, created.status, created.media_list) == (team, "draft", listed)


def test_merge_field_errors_are_shown_before_sending(member_client, team):
    listed = media_list(team, journalist(team, "Bruno Costa"))
    response = member_client.post(
        reverse("relations:pitch_new"),
        {"media_list": listed.pk, "subject": "About {{ outlet.name }}", "body": "Hi {{ nme }}"},
    )
    html = _html(response)
    assert not Pitch.objects.exists()
    assert "The subject uses an unknown merge field {{ outlet.name }}" in html
    assert "The body uses an unknown merge field {{ nme }}. Did you mean {{ name }}?" in html


def test_a_broken_draft_shows_the_problem_and_cannot_be_sent(member_client, team, smtp):
    listed = media_list(team, journalist(team, "Bruno Costa"))
    broken = pitch(team, listed, body="Hi {{ firstname }}")  # e.g. saved through the admin
    html = _html(member_client.get(reverse("relations:pitch", args=[broken.pk])))
    assert "Fix this before sending" in html and "{{ firstname }}" in html
    response = member_client.post(reverse("relations:pitch_send", args=[broken.pk]), follow=True)
    assert "Not sent: The body uses an unknown merge field {{ firstname }}" in _html(response)
    assert smtp.messages == [] and not PitchRecipient.objects.exists()


def test_the_preview_shows_each_journalists_own_copy(member_client, team, drafted):
    bruno, chidi = drafted.media_list.journalists.order_by("name")
    page = member_client.get(reverse("relations:pitch", args=[drafted.pk]))
    preview = page.context["preview"]
    assert preview["copy"].subject == "For Gazette: our report"
    assert preview["copy"].body.startswith("Dear Bruno,") and preview["to"] == bruno.email

    fragment = member_client.get(
        reverse("relations:pitch_preview", args=[drafted.pk]),
        {"preview": chidi.pk},
        HTTP_HX_REQUEST="true",
    )
    html = _html(fragment)
    assert "For Daily Wire: our report" in html and "Dear Chidi," in html
    assert "Chidi Okafor has nothing for {{ beat }}" in html  # empty field warned
    assert "ana@example.org" in html  # the person previewing (and sending) is the Reply-To


def test_the_preview_warns_about_do_not_contact(member_client, team, drafted):
    chidi = drafted.media_list.journalists.get(name="Chidi Okafor")
    chidi.do_not_contact, chidi.do_not_contact_reason = True, "On leave"
    chidi.save()
    fragment = member_client.get(
        reverse("relations:pitch_preview", args=[drafted.pk]), {"preview": chidi.pk}
    )
    assert "Chidi Okafor will be skipped: Do not contact: On leave." in _html(fragment)


def test_a_volunteer_sees_the_preview_without_email_addresses(volunteer_client, drafted):
    html = _html(volunteer_client.get(reverse("relations:pitch", args=[drafted.pk])))
    assert "Dear Bruno," in html
    assert "bruno@news.example" not in html and "address hidden for your role" in html


# --- sending ----------------------------------------------------------------------------------


def test_staff_send_from_the_page_and_see_each_copys_status(
    member_client, drafted, smtp, immediate_tasks
):
    response = member_client.post(reverse("relations:pitch_send", args=[drafted.pk]), follow=True)
    html = _html(response)
    assert response.redirect_chain[-1][0] == reverse(
        "relations:pitch_recipients", args=[drafted.pk]
    )
    assert sorted(m["X-Envelope-To"] for m in smtp.messages) == [
        "bruno@news.example",
        "chidi@news.example",
    ]
    assert html.count('<span class="pill sent">Sent</span>') == 2
    assert "bruno@news.example" in html


def test_a_volunteer_cannot_send(volunteer_client, drafted, smtp, immediate_tasks):
    page = _html(volunteer_client.get(reverse("relations:pitch", args=[drafted.pk])))
    assert "Send to 2 journalists" not in page and "for staff" in page
    response = volunteer_client.post(reverse("relations:pitch_send", args=[drafted.pk]))
    assert response.status_code == 403
    retry = volunteer_client.post(reverse("relations:pitch_retry", args=[drafted.pk]))
    assert retry.status_code == 403
    assert smtp.messages == [] and not PitchRecipient.objects.exists()
    drafted.refresh_from_db()
    assert drafted.status == Pitch.Status.DRAFT
    assert (
        volunteer_client.post(reverse("relations:pitch_delete", args=[drafted.pk])).status_code
        == 403
    )


def test_a_viewer_cannot_compose(client, team, django_user_model):
    user = django_user_model.objects.create_user("val", "val@example.org", "a-long-test-password")
    Membership.objects.create(user=user, team=team, role=Membership.Role.VIEWER)
    client.force_login(user)
    assert client.get(reverse("relations:pitch_new")).status_code == 403


# --- marking copies by hand -------------------------------------------------------------------


def _sent_copies(drafted):
    for person in drafted.media_list.journalists.all():
        PitchRecipient.objects.create(
            pitch=drafted, journalist=person, email=person.email, status=Status.SENT
        )
    Pitch.objects.filter(pk=drafted.pk).update(status=Pitch.Status.SENT, sent_at=timezone.now())


def test_a_person_marks_a_copy_replied_or_bounced_with_a_note(member_client, drafted):
    _sent_copies(drafted)
    copy = PitchRecipient.objects.get(journalist__name="Bruno Costa")
    url = reverse("relations:pitch_recipient_mark", args=[drafted.pk, copy.pk])
    member_client.post(url, {"status": "replied", "note": "Wants an interview Friday"})
    copy.refresh_from_db()
    assert (copy.status, copy.note) == (Status.REPLIED, "Wants an interview Friday")
    html = _html(member_client.get(reverse("relations:pitch_recipients", args=[drafted.pk])))
    assert "Note: Wants an interview Friday" in html

    member_client.post(url, {"status": "bounced", "note": "Left the paper"})
    copy.refresh_from_db()
    assert copy.status == Status.BOUNCED


def test_a_skipped_copy_cannot_be_marked_replied(member_client, drafted):
    copy = PitchRecipient.objects.create(
        pitch=drafted, journalist=drafted.media_list.journalists.first(), status=Status.SKIPPED
    )
    url = reverse("relations:pitch_recipient_mark", args=[drafted.pk, copy.pk])
    response = member_client.post(url, {"status": "replied"}, follow=True)
    assert "Only a copy that was sent can be marked" in _html(response)
    copy.refresh_from_db()
    assert copy.status == Status.SKIPPED


def test_the_status_table_refreshes_itself_only_while_sending(member_client, drafted):
    _sent_copies(drafted)
    url = reverse("relations:pitch_recipients", args=[drafted.pk])
    Pitch.objects.filter(pk=drafted.pk).update(status=Pitch.Status.SENDING)
    fragment = _html(member_client.get(url, HTTP_HX_REQUEST="true"))
    assert fragment.startswith('<div id="recipients"') and 'hx-trigger="every 5s"' in fragment
    Pitch.objects.filter(pk=drafted.pk).update(status=Pitch.Status.SENT)
    assert "hx-trigger" not in _html(member_client.get(url, HTTP_HX_REQUEST="true"))


def test_a_volunteer_sees_statuses_without_addresses(volunteer_client, drafted):
    _sent_copies(drafted)
    html = _html(volunteer_client.get(reverse("relations:pitch_recipients", args=[drafted.pk])))
    assert "Bruno Costa" in html and "bruno@news.example" not in html


# --- coverage that followed -------------------------------------------------------------------


def test_coverage_suggestions_find_a_later_article_by_a_recipients_outlet_not_an_earlier_one(
    member_client, drafted
):
    _sent_copies(drafted)
    drafted.refresh_from_db()
    gazette = Outlet.objects.get(name="Gazette")
    sent = drafted.sent_at
    later = stored_article(
        "later", title="Climate report lands", outlet=gazette, published_at=sent + timedelta(days=2)
    )
    stored_article(
        "earlier", title="Old news", outlet=gazette, published_at=sent - timedelta(days=1)
    )
    stored_article(
        "too-late", title="Much later", outlet=gazette, published_at=sent + timedelta(days=40)
    )
    elsewhere = Outlet.objects.create(name="Elsewhere", domain="elsewhere.example")
    stored_article(
        "stranger", title="Not ours", outlet=elsewhere, published_at=sent + timedelta(days=1)
    )

    page = member_client.get(reverse("relations:pitch_coverage", args=[drafted.pk]))

    found = page.context["suggestions"]
    assert [s.article for s in found] == [later]
    assert found[0].why == ["in Gazette (Bruno Costa’s outlet)"]
    wider = member_client.get(reverse("relations:pitch_coverage", args=[drafted.pk]), {"days": 60})
    assert {s.article.title for s in wider.context["suggestions"]} == {
        "Climate report lands",
        "Much later",
    }


def test_coverage_suggestions_find_a_recipients_byline_on_another_outlet(member_client, drafted):
    _sent_copies(drafted)
    drafted.refresh_from_db()
    chidi = drafted.media_list.journalists.get(name="Chidi Okafor")
    chidi.bylines = ["Chídí Okafor"]
    chidi.save()
    elsewhere = Outlet.objects.create(name="Elsewhere", domain="elsewhere.example")
    guest = stored_article(
        "guest",
        title="Guest column",
        outlet=elsewhere,
        authors=["chídí  okafor"],
        published_at=drafted.sent_at + timedelta(days=3),
    )
    stored_article(
        "namesake",
        title="Someone else",
        outlet=elsewhere,
        authors=["Chidi Okaforson"],
        published_at=drafted.sent_at + timedelta(days=3),
    )
    page = member_client.get(reverse("relations:pitch_coverage", args=[drafted.pk]))
    assert [(s.article, s.why) for s in page.context["suggestions"]] == [
        (guest, ["by Chidi Okafor"])
    ]


def test_a_skipped_journalists_outlet_is_not_suggested(member_client, drafted):
    chidi = drafted.media_list.journalists.get(name="Chidi Okafor")
    PitchRecipient.objects.create(pitch=drafted, journalist=chidi, status=Status.SKIPPED)
    Pitch.objects.filter(pk=drafted.pk).update(sent_at=timezone.now() - timedelta(days=1))
    stored_article(
        "wire", outlet=Outlet.objects.get(name="Daily Wire"), published_at=timezone.now()
    )
    page = member_client.get(reverse("relations:pitch_coverage", args=[drafted.pk]))
    assert page.context["suggestions"] == []


def test_a_person_links_and_unlinks_coverage_shown_on_the_pitch_page(member_client, drafted):
    _sent_copies(drafted)
    article = stored_article("cov", title="Climate report lands")
    change = reverse("relations:pitch_coverage_change", args=[drafted.pk])
    member_client.post(change, {"article": article.pk})
    assert list(drafted.coverage.all()) == [article]
    html = _html(member_client.get(reverse("relations:pitch", args=[drafted.pk])))
    assert "Climate report lands" in html

    member_client.post(change, {"article": article.pk, "action": "unlink"})
    assert not drafted.coverage.exists()


# --- the team's sender address and the front page ---------------------------------------------


def test_staff_set_the_sender_address_and_bad_input_is_explained(member_client, team):
    url = reverse("relations:pitch_settings")
    response = member_client.post(url, {"sender_email": "Press office <not an address>"})
    assert "is not an email address" in _html(response)
    member_client.post(url, {"sender_email": "Press office <press@org.example>"})
    team.refresh_from_db()
    assert team.sender_email == "Press office <press@org.example>"


def test_a_volunteer_cannot_change_the_sender_address(volunteer_client):
    assert volunteer_client.get(reverse("relations:pitch_settings")).status_code == 403


def test_the_relations_front_page_links_to_pitches_and_counts_them(member_client, drafted):
    response = member_client.get(reverse("relations:overview"))
    assert reverse("relations:pitches") in _html(response)
    assert response.context["counts"]["pitches"] == 1
    listing = _html(member_client.get(reverse("relations:pitches")))
    assert "For {{ outlet }}: our report" in listing and "not sent" in listing


# --- another team's records -------------------------------------------------------------------


def test_an_outsider_gets_404_for_another_teams_pitch_pages(outsider_client, team, drafted):
    _sent_copies(drafted)
    copy = PitchRecipient.objects.first()
    template = PitchTemplate.objects.create(team=team, name="Secret", subject="S", body="B")
    article = stored_article("x")
    pages = [
        ("get", reverse("relations:pitch", args=[drafted.pk]), {}),
        ("get", reverse("relations:pitch_preview", args=[drafted.pk]), {}),
        ("get", reverse("relations:pitch_edit", args=[drafted.pk]), {}),
        ("get", reverse("relations:pitch_recipients", args=[drafted.pk]), {}),
        ("get", reverse("relations:pitch_coverage", args=[drafted.pk]), {}),
        (
            "post",
            reverse("relations:pitch_coverage_change", args=[drafted.pk]),
            {"article": article.pk},
        ),
        ("post", reverse("relations:pitch_send", args=[drafted.pk]), {}),
        ("post", reverse("relations:pitch_retry", args=[drafted.pk]), {}),
        ("post", reverse("relations:pitch_delete", args=[drafted.pk]), {}),
        (
            "post",
            reverse("relations:pitch_recipient_mark", args=[drafted.pk, copy.pk]),
            {"status": "replied"},
        ),
        ("get", reverse("relations:pitch_template_edit", args=[template.pk]), {}),
        ("post", reverse("relations:pitch_template_delete", args=[template.pk]), {}),
    ]
    for method, url, data in pages:
        assert getattr(outsider_client, method)(url, data).status_code == 404, url
    listing = _html(outsider_client.get(reverse("relations:pitches")))
    assert "our report" not in listing
    assert "Secret" not in _html(outsider_client.get(reverse("relations:pitch_templates")))
    assert Pitch.objects.filter(pk=drafted.pk).exists() and not drafted.coverage.exists()


def test_an_outsider_cannot_compose_for_another_teams_list(outsider_client, team, drafted):
    response = outsider_client.post(
        reverse("relations:pitch_new"),
        {"media_list": drafted.media_list_id, "subject": "Hi", "body": "Hello"},
    )
    assert response.status_code == 200  # the list is not among their choices
    assert "Select a valid choice" in _html(response)
    assert Pitch.objects.count() == 1
