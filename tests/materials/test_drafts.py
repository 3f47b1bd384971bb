"""Draft pages: a template per kind (press releases with the approved boilerplate, responses to
inquiries), inserting library sources by reference, live lengths, review and approval, publishing,
and who may see and do what."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from commsdesk.accounts.models import Membership
from commsdesk.materials.models import Citation, Draft, Material, PressRoom, Status
from commsdesk.relations.models import Inquiry
from tests.materials.drafting_records import material, statistic
from tests.relations.roles import client_for, person_in

pytestmark = pytest.mark.django_db

FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
ABOUT_EN = "The Wikimedia Foundation supports Wikipedia and its sister projects."
ABOUT_ES = "La Fundación Wikimedia apoya a Wikipedia y sus proyectos hermanos."


def release_data(**changes) -> dict:
    data = {
        "title": "Wikipedia reaches seven million articles",
        "subtitle": "A milestone written by volunteers",
        "language": "en",
        "dateline": "SAN FRANCISCO, 25 November 2026",
        "lead": "English Wikipedia passed seven million articles today.",
        "body": "Volunteers in every time zone wrote them.",
        "quotes": "“This belongs to the volunteers,” said Maryana.",
        "boilerplate": ABOUT_EN,
        "media_contact": "Press office\npress@wikimedia.org",
    }
    return {**data, **changes}


def draft(team, **fields) -> Draft:
    values = {"kind": Draft.Kind.BLOG_POST, "title": "A blog post", "body": "Words."}
    return Draft.objects.create(team=team, **{**values, **fields})


# --- templates per kind --------------------------------------------------------------------------


def test_a_new_press_release_starts_with_the_approved_boilerplate_in_its_language(
    member_client, team
):
    material(team, "About us", ABOUT_EN, kind=Material.Kind.BOILERPLATE)
    material(team, "Sobre nosotros", ABOUT_ES, kind=Material.Kind.BOILERPLATE, language="es")
    material(
        team, "Unapproved", "Not this one.", kind=Material.Kind.BOILERPLATE, language="fr",
        status=Status.DRAFT,
    )  # fmt: skip
    PressRoom.objects.create(
        team=team, slug="wmf", title="Press", contact_name="Press office",
        contact_email="press@wikimedia.org",
    )  # fmt: skip
    url = reverse("materials:draft_new")

    english = member_client.get(url, {"kind": "press_release"}).context["form"]
    spanish = member_client.get(url, {"kind": "press_release", "language": "es"}).context["form"]
    french = member_client.get(url, {"kind": "press_release", "language": "fr"}).context["form"]

    assert english["boilerplate"].value() == ABOUT_EN
    assert spanish["boilerplate"].value() == ABOUT_ES
    assert french["boilerplate"].value() == ABOUT_EN  # no approved French one: English
    assert english["media_contact"].value() == "Press office\npress@wikimedia.org"


def test_a_press_release_is_assembled_in_the_standard_order_and_cites_its_boilerplate(
    member_client, team, member
):
    about = material(team, "About us", ABOUT_EN, kind=Material.Kind.BOILERPLATE)

    response = member_client.post(
        reverse("materials:draft_new") + "?kind=press_release", release_data()
    )

    release = Draft.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "materials:draft", args=[release.pk]
    )
    assert (release.team, release.owner, release.kind) == (team, member, "press_release")
    text = member_client.get(reverse("materials:draft_export", args=[release.pk, "md"])).content
    text = text.decode()
    order = [
        "# Wikipedia reaches seven million articles",
        "*A milestone written by volunteers*",
        "**SAN FRANCISCO, 25 November 2026** — English Wikipedia passed",
        "Volunteers in every time zone",
        "“This belongs to the volunteers,”",
        "## About us",
        ABOUT_EN,
        "## Media contact",
        "Press office",
        "\\###",
    ]
    positions = [text.index(part) for part in order]
    assert positions == sorted(positions)
    assert text.rstrip().endswith("\\###")
    page = member_client.get(response.url).content.decode()
    assert "<p>###</p>" in page  # the end mark reads as ###, not as an empty heading
    assert Citation.objects.get(draft=release).material == about
    assert "About us" in page.split('id="draft-cites"')[1]


def test_a_draft_without_a_title_is_refused_with_the_reason_and_nothing_typed_is_lost(
    member_client,
):
    response = member_client.post(
        reverse("materials:draft_new") + "?kind=press_release", release_data(title="")
    )

    assert response.status_code == 400
    assert not Draft.objects.exists()
    page = response.content.decode()
    assert "This field is required." in page
    assert "Volunteers in every time zone wrote them." in page


def test_new_without_a_kind_asks_what_is_being_written(member_client):
    page = member_client.get(reverse("materials:draft_new")).content.decode()

    assert 'id="draft-kinds"' in page and "?kind=social_post" in page


def test_the_drafts_list_filters_by_kind_status_language_and_mine(member_client, team, member):
    mine = draft(team, title="My post", owner=member, language="es")
    draft(team, title="Approved release", kind="press_release", status=Status.APPROVED)
    draft(team, title="Someone else's post")
    url = reverse("materials:drafts")

    def titles(**query):
        return [d.title for d in member_client.get(url, query).context["drafts"]]

    assert set(titles()) == {"My post", "Approved release", "Someone else's post"}
    assert titles(kind="press_release") == ["Approved release"]
    assert titles(status="approved") == ["Approved release"]
    assert titles(language="es") == [mine.title]
    assert titles(mine="1") == [mine.title]


def test_the_drafts_list_pages_by_fifty_keeping_the_filters(member_client, team):
    Draft.objects.bulk_create(
        Draft(team=team, kind="blog_post", title=f"Post {n}", language="es") for n in range(51)
    )

    first = member_client.get(reverse("materials:drafts"), {"language": "es"})
    second = member_client.get(reverse("materials:drafts"), {"language": "es", "page": "2"})

    assert len(first.context["drafts"]) == 50 and len(second.context["drafts"]) == 1
    assert "?language=es&amp;page=2" in first.content.decode()


# --- media responses -----------------------------------------------------------------------------


@pytest.fixture
def inquiry(team):
    return Inquiry.objects.create(
        team=team,
        topic="Flood response figures",
        questions="How many editors updated the flood articles?",
        reporter_name="Sam Lee",
        deadline=timezone.now() + timedelta(hours=5),
    )


def test_a_response_drafted_from_an_inquiry_shows_its_questions_and_is_listed_on_it(
    member_client, inquiry
):
    url = reverse("materials:draft_new") + f"?inquiry={inquiry.pk}"
    form_page = member_client.get(url)

    assert form_page.context["form"]["title"].value() == "Flood response figures"
    assert "How many editors updated the flood articles?" in form_page.content.decode()
    assert "your time (" in form_page.content.decode()  # the deadline in the reader's zone
    member_client.post(url, {"title": "Flood response figures", "language": "en", "body": "Hi."})

    response_draft = Draft.objects.get()
    assert (response_draft.kind, response_draft.inquiry) == ("media_response", inquiry)
    inquiry_page = member_client.get(reverse("relations:inquiry", args=[inquiry.pk])).content
    panel = inquiry_page.decode().split('id="inquiry-drafts"')[1].split("</ul>")[0]
    assert reverse("materials:draft", args=[response_draft.pk]) in panel
    assert "Draft a response" in inquiry_page.decode()


def test_a_mangled_address_or_form_is_not_found_rather_than_an_error(member_client, team):
    post = draft(team)

    assert member_client.get(reverse("materials:draft_new"), {"inquiry": "x"}).status_code == 404
    fix = reverse("materials:draft_fix", args=[post.pk])
    assert member_client.post(fix, {"statistic": "1 OR 1=1"}).status_code == 404
    edit = reverse("materials:draft_edit", args=[post.pk])
    data = {"title": "A blog post", "language": "en", "body": "Words.", "insert": "statistic:x"}
    assert member_client.post(edit, data).status_code == 404


def test_another_teams_inquiry_cannot_be_answered_from_here(client, outsider, inquiry):
    client.force_login(outsider)

    response = client.get(reverse("materials:draft_new") + f"?inquiry={inquiry.pk}")

    assert response.status_code == 404


# --- insert by reference -------------------------------------------------------------------------


def test_inserting_a_statistic_saves_what_was_typed_and_puts_the_value_at_the_cursor(
    member_client, team
):
    articles = statistic(team, "Articles on English Wikipedia", "6912345", slug="articles-en",
                         unit="articles")  # fmt: skip
    post = draft(team)
    typed = f"{FAMILY} We now have  in total."
    # The browser's cursor counts UTF-16 units: the family emoji before it is 8 of them.
    cursor = len(f"{FAMILY} We now have ".encode("utf-16-le")) // 2

    response = member_client.post(
        reverse("materials:draft_edit", args=[post.pk]),
        {"title": "A blog post", "language": "en", "body": typed, "kind": "blog_post",
         "cursor": str(cursor), "insert": f"statistic:{articles.pk}"},
    )  # fmt: skip

    assert response.status_code == 302
    assert response.url == reverse("materials:draft_edit", args=[post.pk])
    post.refresh_from_db()
    assert post.body == f"{FAMILY} We now have 6,912,345 articles in total."
    citation = post.citations.get()
    assert (citation.statistic, citation.text, citation.as_of) == (
        articles, "6,912,345 articles", articles.as_of,
    )  # fmt: skip
    assert citation.value == articles.value
    page = member_client.get(reverse("materials:draft", args=[post.pk])).content.decode()
    assert "Articles on English Wikipedia" in page.split('id="draft-cites"')[1]


def test_inserting_a_material_appends_its_approved_text_and_cites_the_version(member_client, team):
    holding = material(team, "Holding line on the outage", "We are looking into it.",
                       kind=Material.Kind.HOLDING_STATEMENT)  # fmt: skip
    post = draft(team, kind="media_response", body="Thank you for asking.")

    member_client.post(
        reverse("materials:draft_edit", args=[post.pk]),
        {"title": "A response", "language": "en", "body": "Thank you for asking.",
         "insert": f"material:{holding.pk}"},
    )  # fmt: skip

    post.refresh_from_db()
    assert post.body == "Thank you for asking. We are looking into it."
    citation = post.citations.get()
    assert (citation.material, citation.material_version) == (holding, 1)


def test_unapproved_and_other_teams_sources_cannot_be_inserted(member_client, team, outsider):
    unapproved = statistic(team, "Unchecked", "12", slug="unchecked", status=Status.DRAFT)
    theirs = material(Membership.objects.get(user=outsider).team, "Theirs", "Secret.")
    post = draft(team)
    url = reverse("materials:draft_edit", args=[post.pk])
    data = {"title": "A blog post", "language": "en", "body": "Words."}

    assert (
        member_client.post(url, {**data, "insert": f"statistic:{unapproved.pk}"}).status_code == 404
    )
    assert member_client.post(url, {**data, "insert": f"material:{theirs.pk}"}).status_code == 404
    assert not Citation.objects.exists()


def test_the_insert_panel_searches_approved_sources(member_client, team):
    statistic(team, "Articles on English Wikipedia", "6912345", slug="articles-en")
    statistic(team, "Monthly pageviews", "15000000000", slug="views")
    material(team, "About us", ABOUT_EN, kind=Material.Kind.BOILERPLATE)

    page = member_client.get(reverse("materials:draft_sources"), {"q": "pageviews"})

    text = page.content.decode()
    assert "Monthly pageviews" in text and "15,000,000,000" in text
    assert "Articles on English Wikipedia" not in text and "About us" not in text


# --- social posts --------------------------------------------------------------------------------


def test_the_live_counter_shows_each_network_and_how_far_over_in_red(member_client):
    response = member_client.post(
        reverse("materials:draft_count"),
        {"body": "中" * 141, "networks": ["x", "bluesky"]},
    )

    page = response.content.decode()
    assert 'class="pill failing">282 / 280 — 2 over' in page
    assert 'class="pill ok">141 / 300' in page


def test_a_new_post_shows_the_counters_for_the_networks_it_starts_with(member_client):
    page = member_client.get(reverse("materials:draft_new"), {"kind": "social_post"})

    counters = page.content.decode().split('id="social-counts"')[1].split("</ul>")[0]
    assert "0 / 280" in counters and "0 / 500" in counters and "0 / 300" in counters


def test_an_over_limit_post_cannot_be_approved_and_says_why(member_client, team):
    post = draft(team, kind="social_post", body="a" * 290, networks=["x", "mastodon"])

    response = member_client.post(
        reverse("materials:draft_step", args=[post.pk]), {"step": "approve"}, follow=True
    )

    post.refresh_from_db()
    assert post.status == Status.DRAFT
    assert "too long for X: 10 over the limit of 280" in response.content.decode()


def test_a_social_post_needs_text_and_a_network(member_client):
    response = member_client.post(
        reverse("materials:draft_new") + "?kind=social_post", {"body": "", "language": "en"}
    )

    assert response.status_code == 400
    assert "Write the post." in response.content.decode()
    assert "Choose at least one network." in response.content.decode()


def test_a_social_post_is_named_from_its_text_until_someone_names_it(member_client):
    member_client.post(
        reverse("materials:draft_new") + "?kind=social_post",
        {"body": f"Seven million articles {FAMILY}", "networks": ["bluesky"], "language": "en"},
    )

    post = Draft.objects.get()
    assert post.title == f"Seven million articles {FAMILY}" and post.networks == ["bluesky"]
    edit = reverse("materials:draft_edit", args=[post.pk])
    data = {"networks": ["bluesky"], "language": "en", "title": post.title}
    member_client.post(edit, {**data, "body": "Seven million articles and counting"})
    post.refresh_from_db()
    assert post.title == "Seven million articles and counting"  # follows the text
    member_client.post(edit, {**data, "title": "Milestone post", "body": "Seven million!"})
    member_client.post(edit, {**data, "title": "Milestone post", "body": "Seven million!!"})
    post.refresh_from_db()
    assert post.title == "Milestone post"  # a name someone gave stays


# --- review, approval and the generated mark -----------------------------------------------------


def test_a_volunteer_writes_and_sends_for_review_but_cannot_approve(team):
    volunteer = client_for(person_in(team, Membership.Role.VOLUNTEER, "val"))
    post = draft(team)
    step = reverse("materials:draft_step", args=[post.pk])

    volunteer.post(step, {"step": "submit"})
    post.refresh_from_db()
    assert post.status == Status.IN_REVIEW
    refused = volunteer.post(step, {"step": "approve"}, follow=True)

    post.refresh_from_db()
    assert post.status == Status.IN_REVIEW
    assert "Only staff (editors and admins) can do that." in refused.content.decode()


def test_an_editor_approves_and_the_approver_is_recorded(member_client, member, team):
    post = draft(team, status=Status.IN_REVIEW)

    member_client.post(reverse("materials:draft_step", args=[post.pk]), {"step": "approve"})

    post.refresh_from_db()
    assert (post.status, post.approved_by) == (Status.APPROVED, member)


def test_editing_an_approved_release_sends_it_back_to_draft_and_out_of_the_press_room(
    member_client, team
):
    release = draft(team, kind="press_release", title="Old headline", status=Status.APPROVED,
                    published_at=timezone.now(), slug="old-headline")  # fmt: skip

    member_client.post(
        reverse("materials:draft_edit", args=[release.pk]), release_data(title="New headline")
    )

    release.refresh_from_db()
    assert (release.status, release.published_at, release.title) == (
        Status.DRAFT, None, "New headline",
    )  # fmt: skip


def test_saving_an_approved_draft_unchanged_keeps_it_approved(member_client, team):
    post = draft(team, body="Line one.\nLine two.", status=Status.APPROVED)

    # Browsers send a textarea's line breaks as \r\n: the same words, not a change.
    member_client.post(
        reverse("materials:draft_edit", args=[post.pk]),
        {"title": "A blog post", "language": "en", "body": "Line one.\r\nLine two."},
    )

    post.refresh_from_db()
    assert post.status == Status.APPROVED


def test_a_statistic_goes_into_the_lead_when_the_cursor_was_there(member_client, team):
    articles = statistic(team, "Articles", "6912345", slug="articles", unit="articles")
    release = draft(team, kind="press_release", body="Body.")

    member_client.post(
        reverse("materials:draft_edit", args=[release.pk]),
        release_data(lead="Wikipedia has  today.", body="Body.", cursor="14",
                     cursor_field="lead", insert=f"statistic:{articles.pk}"),
    )  # fmt: skip

    release.refresh_from_db()
    assert release.lead == "Wikipedia has 6,912,345 articles today."
    assert release.body == "Body."
    assert release.citations.get().statistic == articles


def test_generated_text_is_marked_until_a_person_changes_it(member_client, team):
    post = draft(team, body="Proposed words.", generated=True, generated_by="Local model")
    page_url = reverse("materials:draft", args=[post.pk])
    edit_url = reverse("materials:draft_edit", args=[post.pk])

    assert (
        "Generated by Local model: check every fact" in member_client.get(page_url).content.decode()
    )
    member_client.post(
        edit_url, {"title": "Renamed only", "language": "en", "body": "Proposed words."}
    )
    post.refresh_from_db()
    assert post.generated  # the text itself is still the machine's
    member_client.post(edit_url, {"title": "Renamed only", "language": "en", "body": "My words."})

    post.refresh_from_db()
    assert not post.generated
    assert "check every fact" not in member_client.get(page_url).content.decode()


def test_approving_generated_text_clears_the_mark(member_client, team):
    post = draft(team, generated=True, generated_by="Local model")

    member_client.post(reverse("materials:draft_step", args=[post.pk]), {"step": "approve"})

    post.refresh_from_db()
    assert (post.status, post.generated) == (Status.APPROVED, False)


# --- publishing ----------------------------------------------------------------------------------


def test_an_approved_release_is_published_with_a_slug_unique_in_the_team(member_client, team):
    draft(team, kind="press_release", title="Seven million", slug="seven-million")
    release = draft(team, kind="press_release", title="Seven million!", status=Status.APPROVED)
    url = reverse("materials:draft_publish", args=[release.pk])

    member_client.post(url, {"action": "publish"})
    release.refresh_from_db()
    assert release.slug == "seven-million-2" and release.published_at is not None
    member_client.post(url, {"action": "unpublish"})

    release.refresh_from_db()
    assert release.published_at is None and release.slug == "seven-million-2"


def test_an_unapproved_release_cannot_be_published(member_client, team):
    release = draft(team, kind="press_release", status=Status.IN_REVIEW)

    response = member_client.post(
        reverse("materials:draft_publish", args=[release.pk]), {"action": "publish"}, follow=True
    )

    release.refresh_from_db()
    assert release.published_at is None
    assert "Only an approved press release can be published." in response.content.decode()


def test_retiring_a_published_release_takes_it_out_of_the_press_room(member_client, team):
    release = draft(team, kind="press_release", status=Status.APPROVED, published_at=timezone.now())

    member_client.post(reverse("materials:draft_step", args=[release.pk]), {"step": "retire"})

    release.refresh_from_db()
    assert (release.status, release.published_at) == (Status.RETIRED, None)


def test_a_volunteer_cannot_publish(team):
    volunteer = client_for(person_in(team, Membership.Role.VOLUNTEER, "val"))
    release = draft(team, kind="press_release", status=Status.APPROVED)

    response = volunteer.post(
        reverse("materials:draft_publish", args=[release.pk]), {"action": "publish"}
    )

    release.refresh_from_db()
    assert response.status_code == 403 and release.published_at is None


# --- who may see what ----------------------------------------------------------------------------


def test_a_viewer_reads_drafts_but_gets_no_buttons_and_a_403_on_any_change(team):
    viewer = client_for(person_in(team, Membership.Role.VIEWER, "vic"))
    post = draft(team)

    page = viewer.get(reverse("materials:draft", args=[post.pk]))
    assert page.status_code == 200 and "Words." in page.content.decode()
    assert reverse("materials:draft_edit", args=[post.pk]) not in page.content.decode()
    assert viewer.get(reverse("materials:draft_new") + "?kind=blog_post").status_code == 403
    for name, data in [
        ("materials:draft_edit", {"title": "x", "language": "en", "body": "x"}),
        ("materials:draft_step", {"step": "submit"}),
        ("materials:draft_fix", {"citation": "1"}),
        ("materials:draft_publish", {"action": "publish"}),
    ]:
        assert viewer.post(reverse(name, args=[post.pk]), data).status_code == 403, name
    post.refresh_from_db()
    assert (post.title, post.status) == ("A blog post", Status.DRAFT)


PAGES = [
    ("materials:draft", "get"),
    ("materials:draft_edit", "get"),
    ("materials:draft_edit", "post"),
    ("materials:draft_step", "post"),
    ("materials:draft_fix", "post"),
    ("materials:draft_publish", "post"),
]


def test_another_teams_drafts_are_not_found(client, outsider, team):
    post = draft(team)
    client.force_login(outsider)

    for name, method in PAGES:
        assert getattr(client, method)(reverse(name, args=[post.pk])).status_code == 404, name
    assert client.get(reverse("materials:draft_export", args=[post.pk, "md"])).status_code == 404
    assert client.get(reverse("materials:drafts")).context["drafts"].count() == 0
    assert (
        "Words"
        not in client.get(reverse("materials:draft_sources"), {"draft": post.pk}).content.decode()
    )


def test_anonymous_visitors_are_sent_to_log_in(client, team):
    post = draft(team)
    urls = [reverse(name, args=[post.pk]) for name, _method in PAGES] + [
        reverse("materials:drafts"),
        reverse("materials:draft_new"),
        reverse("materials:draft_sources"),
        reverse("materials:draft_count"),
        reverse("materials:draft_preview"),
        reverse("materials:draft_export", args=[post.pk, "txt"]),
    ]

    for url in urls:
        response = client.post(url) if "count" in url or "preview" in url else client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login")), url
