"""The story bank as people use it: suggesting a story (with a photo), consent before pitching,
one click from an article, community feed suggestions, blog drafts, links and filters."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from commsdesk.materials.models import Draft
from commsdesk.monitoring.models import Outlet, Source
from commsdesk.operations import stories
from commsdesk.operations.models import CommunitySource, StoryIdea, StoryPhoto
from commsdesk.relations.models import Pitch
from tests.fixtures.articles import stored_article


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 3), "green").save(out, "PNG")
    return out.getvalue()


def _idea(team, **fields) -> StoryIdea:
    values = {"title": "Librarians of Ibadan", "country": "NG", "language": "yo"} | fields
    return StoryIdea.objects.create(team=team, **values)


FORM = {
    "title": "Yoruba Wikipedia editathon in Ibadan",
    "summary": "Students wrote 40 articles about their city.",
    "who": "Adé and the Ibadan user group",
    "place": "Ibadan",
    "country": "ng",
    "language": "yo",
    "theme": "education",
    "media_angle": "Young people write their city into history",
    "contact": "ade@example.org",
    "consent": "asked",
    "consent_notes": "Asked by email on 2 November",
}


def test_a_volunteer_suggests_a_story_with_a_photo(team, volunteer_client, member_client):
    photo = SimpleUploadedFile("market.png", _png(), content_type="image/png")
    form = FORM | {"photo": photo, "photo_caption": "The editathon", "photo_credit": "CC BY-SA"}
    reply = volunteer_client.post(reverse("operations:story_new"), form)
    idea = StoryIdea.objects.get()
    assert reply.status_code == 302 and reply["Location"] == reverse(
        "operations:story", args=[idea.pk]
    )
    assert (idea.country, idea.stage, idea.origin, idea.team) == ("NG", "idea", "form", team)
    assert idea.contact == ""  # a volunteer may not write the contact details of people
    stored = StoryPhoto.objects.get(idea=idea)
    assert (stored.caption, stored.credit) == ("The editathon", "CC BY-SA")
    served = member_client.get(reverse("operations:story_photo", args=[idea.pk, stored.pk]))
    assert served.status_code == 200 and b"".join(served.streaming_content) == _png()
    assert served["X-Content-Type-Options"] == "nosniff"


def test_a_program_called_photo_is_refused_and_nothing_written_is_lost(team, member_client):
    fake = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00 not a photo", content_type="image/jpeg")
    reply = member_client.post(reverse("operations:story_new"), FORM | {"photo": fake})
    assert reply.status_code == 400
    text = reply.content.decode()
    assert "is a program, not a document or image" in text
    assert "Young people write their city into history" in text  # kept in the form
    assert not StoryIdea.objects.exists()


def test_a_document_is_not_a_photo(team, member_client):
    document = SimpleUploadedFile("notes.pdf", b"%PDF-1.4", content_type="application/pdf")
    reply = member_client.post(reverse("operations:story_new"), FORM | {"photo": document})
    assert reply.status_code == 400 and "is not a photo" in reply.content.decode()


def test_a_bad_country_code_is_explained(team, member_client):
    reply = member_client.post(reverse("operations:story_new"), FORM | {"country": "Nigeria"})
    assert reply.status_code == 400
    assert "two-letter country code" in reply.content.decode()


def test_an_idea_without_consent_cannot_be_pitched_or_published(team, member_client):
    idea = _idea(team, consent="asked", stage="vetted")
    for stage in ("pitched", "published"):
        reply = member_client.post(
            reverse("operations:story_move", args=[idea.pk]), {"stage": stage}, follow=True
        )
        assert "have not given their consent" in reply.content.decode()
        idea.refresh_from_db()
        assert idea.stage == "vetted"


def test_with_consent_an_idea_is_published_and_the_day_is_recorded(team, member_client):
    idea = _idea(team, consent="given", stage="pitched")
    member_client.post(reverse("operations:story_move", args=[idea.pk]), {"stage": "published"})
    idea.refresh_from_db()
    assert idea.stage == "published" and idea.published_at is not None
    member_client.post(reverse("operations:story_move", args=[idea.pk]), {"stage": "dropped"})
    idea.refresh_from_db()
    assert idea.stage == "dropped" and idea.published_at is None


def test_withdrawn_consent_on_a_published_story_is_shown(team, member_client):
    idea = _idea(team, consent="refused", stage="published", published_at=timezone.now())
    page = member_client.get(reverse("operations:story", args=[idea.pk])).content.decode()
    assert "check with the people in it" in page


def test_one_click_from_an_article_prefills_the_idea(team, member_client):
    outlet = Outlet.objects.create(name="Punch", domain="punch.example", country="NG")
    article = stored_article(
        "ibadan",
        title="Students put Ibadan on Wikipedia",
        text="Forty students wrote about their city.\nSecond paragraph.",
        language="en",
        outlet=outlet,
        authors=["Bisi Ade"],
    )
    page = member_client.get(reverse("monitoring:article", args=[article.pk])).content.decode()
    link = reverse("operations:story_new") + f"?article={article.pk}"
    assert link in page
    form = member_client.get(link).content.decode()
    assert 'value="Students put Ibadan on Wikipedia"' in form
    assert "Forty students wrote about their city." in form
    assert 'value="NG"' in form
    reply = member_client.post(link, FORM | {"title": "Students put Ibadan on Wikipedia"})
    idea = StoryIdea.objects.get()
    assert reply.status_code == 302
    assert (idea.origin, idea.article) == ("article", article)


def test_community_feed_articles_are_suggested_to_accept_or_dismiss(team, member, member_client):
    blog = Source.objects.create(name="Wikimedia Nigeria blog", url="https://wmng.example/feed")
    other = Source.objects.create(name="A newspaper", url="https://paper.example/feed")
    reply = member_client.post(reverse("operations:story_sources"), {"source": [blog.pk]})
    assert reply.status_code == 302
    assert list(CommunitySource.objects.values_list("source_id", flat=True)) == [blog.pk]
    kept = stored_article("wmng-1", title="Our Hausa editathon", source=blog, language="ha")
    dropped = stored_article("wmng-2", title="Annual meeting minutes", source=blog)
    stored_article("paper-1", title="Not community", source=other)
    stored_article(
        "wmng-old", title="Too old", source=blog, sort_at=timezone.now() - timedelta(days=60)
    )
    page = member_client.get(reverse("operations:story_suggestions")).content.decode()
    assert "Our Hausa editathon" in page and "Annual meeting minutes" in page
    assert "Not community" not in page and "Too old" not in page
    url = reverse("operations:story_suggestions")
    member_client.post(url, {"article": kept.pk, "decision": "accept"})
    member_client.post(url, {"article": dropped.pk, "decision": "dismiss"})
    idea = StoryIdea.objects.get()
    assert (idea.title, idea.origin, idea.language, idea.stage) == (
        "Our Hausa editathon",
        "feed",
        "ha",
        "idea",
    )
    assert list(stories.suggestions(team.pk)) == []


def test_a_blog_post_is_started_from_an_idea(team, member_client):
    idea = _idea(team, summary="Librarians teach editing.", media_angle="Libraries as hubs")
    reply = member_client.post(reverse("operations:story_blog_post", args=[idea.pk]))
    draft = Draft.objects.get()
    assert reply["Location"] == reverse("materials:draft_edit", args=[draft.pk])
    assert (draft.kind, draft.title, draft.language) == ("blog_post", idea.title, "yo")
    assert "Librarians teach editing." in draft.body and "Libraries as hubs" in draft.body
    assert list(idea.drafts.all()) == [draft]


def test_pitches_and_coverage_are_linked_and_unlinked(team, member_client):
    idea = _idea(team)
    pitch = Pitch.objects.create(team=team, subject="Meet the librarians", body="…")
    article = stored_article("coverage", title="Ibadan's library editors")
    url = reverse("operations:story_link", args=[idea.pk])
    member_client.post(url, {"pitch": pitch.pk, "address": article.url})
    assert list(idea.pitches.all()) == [pitch] and list(idea.coverage.all()) == [article]
    missing = member_client.post(url, {"address": "https://nowhere.example/x"}, follow=True)
    assert "No article with that address" in missing.content.decode()
    member_client.post(url, {"remove": f"article:{article.pk}"})
    assert not idea.coverage.exists()


def test_another_teams_pitch_cannot_be_linked(team, member_client, outsider):
    from commsdesk.accounts.models import Team

    theirs = Pitch.objects.create(team=Team.objects.get(slug="other"), subject="x", body="y")
    idea = _idea(team)
    member_client.post(reverse("operations:story_link", args=[idea.pk]), {"pitch": theirs.pk})
    assert not idea.pitches.exists()


def test_the_board_filters_by_stage_theme_language_country_and_consent(team, member_client):
    _idea(team, title="Hausa radio", language="ha", theme="media", consent="given")
    _idea(team, title="Lima librarians", country="PE", language="es", theme="education")
    _idea(team, title="Quechua keyboards", country="PE", language="qu", stage="vetted")
    board = reverse("operations:stories")

    def titles(**query):
        page = member_client.get(board, query).content.decode()
        return {t for t in ("Hausa radio", "Lima librarians", "Quechua keyboards") if t in page}

    assert titles(country="pe") == {"Lima librarians", "Quechua keyboards"}
    assert titles(language="ha") == {"Hausa radio"}
    assert titles(theme="educ") == {"Lima librarians"}
    assert titles(consent="given") == {"Hausa radio"}
    assert titles(stage="vetted") == {"Quechua keyboards"}


def test_contact_details_of_people_in_stories_are_for_contact_roles(
    team, member_client, volunteer_client
):
    idea = _idea(team, contact="+234 800 000 0000")
    url = reverse("operations:story", args=[idea.pk])
    assert "+234 800 000 0000" in member_client.get(url).content.decode()
    page = volunteer_client.get(url).content.decode()
    assert "+234 800 000 0000" not in page and "Hidden: shared only with the comms staff" in page
    edit = volunteer_client.get(reverse("operations:story_edit", args=[idea.pk])).content.decode()
    assert "+234 800 000 0000" not in edit
    volunteer_client.post(reverse("operations:story_edit", args=[idea.pk]), FORM | {"contact": ""})
    idea.refresh_from_db()
    assert idea.contact == "+234 800 000 0000"  # a volunteer's edit leaves it as it was
    assert idea.title == FORM["title"]
