"""The library's pages as communicators use them: who may see, write, approve; what search
and filters find; how unsafe Markdown is shown; an FAQ as questions and answers."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from commsdesk.accounts.models import Membership
from commsdesk.materials import workflow
from commsdesk.materials.models import Material, Status
from tests.materials.library_fixtures import edit, write
from tests.relations.roles import client_for, person_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def material(team, member):
    return write(team, member, title="Climate talking points", body="We **care** about it.")


def _pages(material) -> list[tuple[str, str]]:
    """(method, url) of every library page about one material."""
    pk = material.pk
    return [
        ("get", reverse("materials:material", args=[pk])),
        ("get", reverse("materials:material_edit", args=[pk])),
        ("post", reverse("materials:material_edit", args=[pk])),
        ("get", reverse("materials:material_history", args=[pk])),
        ("get", reverse("materials:material_diff", args=[pk]) + "?a=1&b=1"),
        ("post", reverse("materials:material_restore", args=[pk])),
        ("post", reverse("materials:material_step", args=[pk])),
        ("get", reverse("materials:material_translate", args=[pk])),
        ("post", reverse("materials:material_translate", args=[pk])),
        ("post", reverse("materials:material_caught_up", args=[pk])),
        ("post", reverse("materials:material_reviewed", args=[pk])),
    ]


NEW = {"kind": "talking_points", "title": "Funding", "language": "en", "body": "Donors fund us."}


def test_anonymous_visitors_are_sent_to_log_in(client, material):
    pages = [
        *_pages(material),
        ("get", reverse("materials:library")),
        ("get", reverse("materials:material_new")),
        ("post", reverse("materials:material_new")),
        ("post", reverse("materials:material_preview")),
    ]
    for method, url in pages:
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert "/login/" in response["Location"], url


def test_another_teams_materials_are_not_found(client, material, outsider):
    client.force_login(outsider)
    for method, url in _pages(material):
        assert getattr(client, method)(url).status_code == 404, url
    listing = client.get(reverse("materials:library"))
    assert b"Climate talking points" not in listing.content
    material.refresh_from_db()
    assert material.version == 1


def test_a_viewer_reads_but_cannot_change_anything(team, material):
    viewer = client_for(person_in(team, Membership.Role.VIEWER, "vic"))
    page = viewer.get(reverse("materials:material", args=[material.pk]))
    assert page.status_code == 200
    assert b"We <strong>care</strong>" in page.content
    assert b'id="workflow"' not in page.content
    assert reverse("materials:material_edit", args=[material.pk]).encode() not in page.content
    assert b"New material" not in viewer.get(reverse("materials:library")).content

    assert viewer.get(reverse("materials:material_new")).status_code == 403
    assert viewer.post(reverse("materials:material_new"), NEW).status_code == 403
    edit_url = reverse("materials:material_edit", args=[material.pk])
    assert viewer.post(edit_url, {**NEW, "based_on": 1}).status_code == 403
    step_url = reverse("materials:material_step", args=[material.pk])
    assert viewer.post(step_url, {"step": "submit"}).status_code == 403
    restore_url = reverse("materials:material_restore", args=[material.pk])
    assert viewer.post(restore_url, {"number": 1}).status_code == 403
    material.refresh_from_db()
    assert (material.status, material.version, material.title) == (
        Status.DRAFT,
        1,
        "Climate talking points",
    )
    assert Material.objects.count() == 1


def test_a_volunteer_writes_and_sends_for_review_but_cannot_approve(team, member):
    volunteer = person_in(team, Membership.Role.VOLUNTEER, "val")
    client = client_for(volunteer)
    response = client.post(reverse("materials:material_new"), {**NEW, "owner": volunteer.pk})
    material = Material.objects.get(title="Funding")
    assert response.status_code == 302
    assert (material.version, material.owner, material.team) == (1, volunteer, team)

    step = reverse("materials:material_step", args=[material.pk])
    page = client.post(step, {"step": "approve"}, follow=True)
    assert "Only staff (editors and admins) can do that." in page.content.decode()
    material.refresh_from_db()
    assert material.status == Status.DRAFT
    assert material.approved_by is None
    assert b'value="approve"' not in page.content  # no button offered either

    client.post(step, {"step": "submit"})
    material.refresh_from_db()
    assert material.status == Status.IN_REVIEW


def test_staff_approve_and_the_page_shows_who_and_which_version(member_client, member, material):
    page = member_client.post(
        reverse("materials:material_step", args=[material.pk]), {"step": "approve"}, follow=True
    )
    material.refresh_from_db()
    assert material.status == Status.APPROVED
    assert (material.approved_by, material.approved_version) == (member, 1)
    text = page.content.decode()
    assert "Approved version 1." in text
    assert "version 1 by ana" in text


def test_editing_an_approved_material_in_the_form_returns_it_to_draft(member_client, material):
    workflow.apply(material, "approve", material.owner)
    response = member_client.post(
        reverse("materials:material_edit", args=[material.pk]),
        {**NEW, "title": material.title, "based_on": 1, "note": "New figures"},
        follow=True,
    )
    material.refresh_from_db()
    assert material.status == Status.DRAFT
    assert (material.version, material.approved_version) == (2, 1)
    assert material.versions.get(number=2).note == "New figures"
    assert "It is a draft again" in response.content.decode()


def test_the_form_keeps_what_was_typed_when_a_colleague_saved_first(
    member_client, member, material
):
    edit(material, member, body="A colleague's words.")
    response = member_client.post(
        reverse("materials:material_edit", args=[material.pk]),
        {**NEW, "body": "My careful words.", "based_on": 1},
    )
    assert response.status_code == 409
    text = response.content.decode()
    assert "Someone saved version 2 while you were editing" in text
    assert "My careful words." in text
    material.refresh_from_db()
    assert material.body == "A colleague's words."


def test_a_bad_language_code_is_explained_and_the_text_kept(member_client):
    response = member_client.post(
        reverse("materials:material_new"), {**NEW, "language": "English!", "body": "Keep me."}
    )
    assert response.status_code == 200
    assert "Use a language code such as en" in response.content.decode()
    assert "Keep me." in response.content.decode()
    assert not Material.objects.exists()


def test_labels_are_typed_comma_separated_and_stored_as_lists(member_client):
    member_client.post(
        reverse("materials:material_new"),
        {**NEW, "tags": " climate, Open data,, climate ", "audiences": "journalists"},
    )
    material = Material.objects.get()
    assert material.tags == ["climate", "Open data"]
    assert material.audiences == ["journalists"]
    assert material.topics == []


UNSAFE = (
    "Hello <script>alert('x')</script>\n\n"
    '<img src="x.png" onerror="alert(1)">\n\n'
    '[click](javascript:alert(1)) and <a href="javascript:alert(2)">this</a>\n\n'
    '<p onclick="alert(3)">para</p>'
)


def test_unsafe_markdown_never_reaches_the_page(member_client, team, member):
    material = write(team, member, body=UNSAFE)
    html = member_client.get(reverse("materials:material", args=[material.pk])).content.decode()
    body = html.split('id="material-body"')[1].split("</article>")[0]
    assert "<script" not in body
    assert "alert('x')" not in body
    assert "onerror" not in body
    assert "onclick" not in body
    # markdown-it leaves a javascript: link as plain text; what matters is that no link has it.
    assert not re.search(r"(href|src)\s*=\s*[\"']?\s*javascript", body, re.IGNORECASE)
    assert "Hello" in body and "para" in body


def test_the_live_preview_renders_and_cleans_markdown(member_client):
    response = member_client.post(
        reverse("materials:material_preview"), {"body": "# Title\n\n" + UNSAFE}
    )
    html = response.content.decode()
    assert "<h1>Title</h1>" in html
    assert "<script" not in html and "onerror" not in html
    assert not re.search(r"href\s*=\s*[\"']?\s*javascript", html, re.IGNORECASE)


def test_an_faq_shows_each_question_with_its_answer(member_client, team, member):
    body = "How we answer.\n\n## Who writes Wikipedia?\nVolunteers.\n\n## Is it free?\nYes."
    material = write(team, member, kind=Material.Kind.FAQ, title="Press FAQ", body=body)
    html = member_client.get(reverse("materials:material", args=[material.pk])).content.decode()
    assert "<summary>Who writes Wikipedia?</summary>" in html
    assert "<summary>Is it free?</summary>" in html
    assert html.index("Volunteers.") < html.index("Is it free?") < html.index("Yes.")
    assert "<h2>Who writes" not in html


def _titles(client, query: str) -> list[str]:
    response = client.get(reverse("materials:library") + query)
    assert response.status_code == 200
    return [m.title for m in response.context["materials"]]


@pytest.fixture
def shelf(team, member):
    write(team, member, title="Open knowledge", body="Free knowledge for everyone.")
    write(team, member, title="Donor letter", body="Knowledge costs money; donors help.")
    write(team, member, title="Editors", body="Volunteer editors write it.", tags=["community"])
    write(team, member, title="Sobre nosotros", body="Conocimiento libre.", language="es")


def test_search_uses_the_article_query_language(member_client, shelf):
    assert _titles(member_client, '?q="free knowledge"') == ["Open knowledge"]
    assert _titles(member_client, "?q=knowledge NOT donors") == ["Open knowledge"]
    assert _titles(member_client, "?q=knowledge") == ["Donor letter", "Open knowledge"]
    assert _titles(member_client, "?q=community") == ["Editors"]  # tags are searched
    assert _titles(member_client, "?q=lang:es") == ["Sobre nosotros"]


def test_search_results_show_the_words_found_marked_and_escaped(member_client, team, member):
    write(team, member, title="Tricky", body="Use <script>x</script> and free knowledge daily.")
    html = member_client.get(reverse("materials:library") + "?q=knowledge").content.decode()
    snippet = html.split('class="snippet small">')[1].split("</div>")[0]
    assert "<mark>knowledge</mark>" in snippet
    assert "&lt;script&gt;" in snippet and "<script>" not in snippet


def test_a_search_that_cannot_run_says_why(member_client, shelf):
    response = member_client.get(reverse("materials:library") + "?q=(knowledge")
    html = response.content.decode()
    assert "This search cannot run:" in html
    assert "never closed" in html
    assert response.context["materials"] == []


def test_filters_by_kind_language_label_owner_and_status(member_client, team, member, shelf):
    other = person_in(team, Membership.Role.EDITOR, "bo")
    write(team, other, title="Bio of the director", kind=Material.Kind.BIO)
    assert _titles(member_client, "?kind=bio") == ["Bio of the director"]
    assert _titles(member_client, "?language=es") == ["Sobre nosotros"]
    assert _titles(member_client, "?label=Community") == ["Editors"]
    assert _titles(member_client, f"?owner={other.pk}") == ["Bio of the director"]
    assert _titles(member_client, "?status=approved") == []


def test_needs_review_lists_materials_past_their_date_and_counts_them(member_client, team, member):
    today = timezone.localdate()
    write(team, member, title="Overdue", review_by=today - timedelta(days=1))
    write(team, member, title="Due today", review_by=today)
    write(team, member, title="Later", review_by=today + timedelta(days=5))
    retired = write(team, member, title="Retired", review_by=today - timedelta(days=9))
    Material.objects.filter(pk=retired.pk).update(status=Status.RETIRED)

    assert _titles(member_client, "?needs_review=on") == ["Due today", "Overdue"]
    response = member_client.get(reverse("materials:library"))
    assert response.context["counts"]["needs_review"] == 2
    assert "2 need review" in response.content.decode()
    detail = member_client.get(
        reverse("materials:material", args=[Material.objects.get(title="Overdue").pk])
    )
    assert "overdue" in detail.content.decode()


def test_history_compares_any_two_versions_and_restores_one(member_client, member, material):
    edit(material, member, body="We **deeply** care about it.", note="Stronger")
    edit(material, member, body="We care.", note="Shorter")

    history = member_client.get(reverse("materials:material_history", args=[material.pk]))
    assert [v.number for v in history.context["versions"]] == [3, 2, 1]
    assert "Stronger" in history.content.decode()

    diff = member_client.get(reverse("materials:material_diff", args=[material.pk]) + "?a=1&b=2")
    assert "<ins>deeply</ins>" in diff.content.decode()

    member_client.post(reverse("materials:material_restore", args=[material.pk]), {"number": 2})
    material.refresh_from_db()
    assert material.version == 4
    assert material.body == "We **deeply** care about it."
    assert material.versions.get(number=4).note == "Restored version 2"


def test_a_diff_page_escapes_scripts_in_bodies(member_client, member, material):
    edit(material, member, body="We care. <script>alert('owned')</script>")
    html = member_client.get(
        reverse("materials:material_diff", args=[material.pk]) + "?a=1&b=2"
    ).content.decode()
    diff = html.split('id="body-diff"')[1]
    assert "<script>alert" not in diff
    assert "&lt;script&gt;alert(&#x27;owned&#x27;)&lt;/script&gt;" in diff


def test_a_diff_of_a_version_that_does_not_exist_is_not_found(member_client, material):
    url = reverse("materials:material_diff", args=[material.pk])
    assert member_client.get(url + "?a=1&b=9").status_code == 404
    assert member_client.get(url + "?a=x&b=1").status_code == 404
