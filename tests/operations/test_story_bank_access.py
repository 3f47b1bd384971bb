"""Who may open and change the story bank: outsiders get 404, anonymous visitors sign in,
viewers read, volunteers add and edit but choose no community sources, staff delete."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from commsdesk.operations.models import StoryIdea, StoryPhoto
from tests.materials.press_data import release
from tests.relations.roles import client_for, person_in


@pytest.fixture
def idea(team):
    made = StoryIdea.objects.create(team=team, title="Librarians of Ibadan", consent="given")
    StoryPhoto.objects.create(idea=made, file="story-bank/x.png", caption="x")
    return made


def _idea_urls(idea):
    photo = idea.photos.get()
    return [
        ("get", reverse("operations:story", args=[idea.pk])),
        ("get", reverse("operations:story_edit", args=[idea.pk])),
        ("get", reverse("operations:story_photo", args=[idea.pk, photo.pk])),
        ("post", reverse("operations:story_move", args=[idea.pk])),
        ("post", reverse("operations:story_link", args=[idea.pk])),
        ("post", reverse("operations:story_blog_post", args=[idea.pk])),
        ("post", reverse("operations:story_delete", args=[idea.pk])),
        ("post", reverse("operations:story_photo_add", args=[idea.pk])),
        ("post", reverse("operations:story_photo_delete", args=[idea.pk, photo.pk])),
    ]


def test_an_outsider_gets_404_for_another_teams_ideas(idea, outsider_client):
    for method, url in _idea_urls(idea):
        assert getattr(outsider_client, method)(url, {"stage": "published"}).status_code == 404, url
    idea.refresh_from_db()
    assert idea.stage == "idea"


def test_an_outsider_sees_none_of_another_teams_ideas_on_the_board(idea, outsider_client):
    for name in ("stories", "story_spread"):
        page = outsider_client.get(reverse(f"operations:{name}"))
        assert page.status_code == 200 and "Librarians of Ibadan" not in page.content.decode()


def test_an_anonymous_visitor_is_sent_to_sign_in(idea, client):
    urls = [
        reverse(f"operations:{n}")
        for n in ("stories", "story_new", "story_suggestions", "story_spread", "story_sources")
    ]
    for method, url in [("get", u) for u in urls] + _idea_urls(idea):
        reply = getattr(client, method)(url)
        assert reply.status_code == 302 and "login" in reply["Location"], url


def test_a_viewer_reads_but_cannot_add_or_move(idea, team):
    viewer = client_for(person_in(team, "viewer", "vic"))
    assert viewer.get(reverse("operations:story", args=[idea.pk])).status_code == 200
    assert viewer.get(reverse("operations:story_new")).status_code == 403
    reply = viewer.post(reverse("operations:story_move", args=[idea.pk]), {"stage": "vetted"})
    assert reply.status_code == 403


def test_a_volunteer_edits_but_neither_deletes_nor_chooses_community_sources(
    idea, volunteer_client
):
    reply = volunteer_client.post(
        reverse("operations:story_move", args=[idea.pk]), {"stage": "vetted"}
    )
    assert reply.status_code == 302
    idea.refresh_from_db()
    assert idea.stage == "vetted"
    assert (
        volunteer_client.post(reverse("operations:story_delete", args=[idea.pk])).status_code == 403
    )
    assert volunteer_client.get(reverse("operations:story_sources")).status_code == 403


def test_staff_delete_an_idea(idea, member_client):
    member_client.post(reverse("operations:story_delete", args=[idea.pk]))
    assert not StoryIdea.objects.exists()


def test_only_articles_suggested_to_the_team_can_be_accepted(team, member, outsider_client):
    from commsdesk.monitoring.models import Source
    from commsdesk.operations.models import CommunitySource
    from tests.fixtures.articles import stored_article

    blog = Source.objects.create(name="Community blog", url="https://blog.example/feed")
    CommunitySource.objects.create(team=team, source=blog)
    article = stored_article("community", title="A chapter's story", source=blog)
    url = reverse("operations:story_suggestions")
    for value in (str(article.pk), "not-a-number"):
        reply = outsider_client.post(url, {"article": value, "decision": "accept"})
        assert reply.status_code == 404
    assert not StoryIdea.objects.exists()


def test_a_volunteer_sees_no_embargoed_or_sensitive_release_linked_to_an_idea(idea, team, member):
    """The story page and its link form list drafts as the drafts pages do: an embargoed release
    (not theirs, not named) or a sensitive one is not shown, and cannot be linked by its id."""
    embargoed = release(team, "Secret merger", embargo_until=timezone.now() + timedelta(days=2),
                        owner=member, days_ago=None)  # fmt: skip
    sensitive = release(team, "Board matter", sensitive=True, days_ago=None)
    open_one = release(team, "Annual report", days_ago=None)
    idea.drafts.add(embargoed, sensitive, open_one)
    volunteer = client_for(person_in(team, "volunteer", "val"))
    page = volunteer.get(reverse("operations:story", args=[idea.pk])).content.decode()
    assert "Annual report" in page
    assert "Secret merger" not in page and "Board matter" not in page
    idea.drafts.clear()
    url = reverse("operations:story_link", args=[idea.pk])
    volunteer.post(url, {"draft": embargoed.pk})
    volunteer.post(url, {"draft": sensitive.pk})
    assert not idea.drafts.exists()
    staff = client_for(member)
    staff.post(url, {"draft": embargoed.pk})  # the owner sees it, so may link it
    assert list(idea.drafts.all()) == [embargoed]
