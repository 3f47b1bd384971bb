"""The writing assistant against a stub OpenAI-compatible server on 127.0.0.1: the request it
sends (model, key, a prompt holding only the chosen approved materials and statistics), the draft
it saves (marked generated, citing its sources), story summaries marked as not reviewed, each
failure shown to the person in words, and everything hidden while it is not configured."""

from __future__ import annotations

import pytest
from django.urls import NoReverseMatch, reverse

from commsdesk.accounts.models import Membership
from commsdesk.materials.models import Citation, Draft, Status
from commsdesk.monitoring.models import Story
from tests.fixtures.articles import stored_article
from tests.fixtures.llm import stub_model
from tests.materials.press_data import material, statistic
from tests.relations.roles import client_for, person_in
from tests.servers import LocalServer

pytestmark = pytest.mark.django_db


@pytest.fixture
def llm(settings):
    with stub_model() as stub:
        settings.COMMSDESK_LLM_URL = stub.base_url
        settings.COMMSDESK_LLM_MODEL = "local-model"
        settings.COMMSDESK_LLM_API_KEY = "a-secret-key"
        settings.COMMSDESK_LLM_TIMEOUT = 5.0
        yield stub


@pytest.fixture
def sources(team):
    return {
        "faq": material(team, "Encyclopedia FAQ", body="Wikipedia is written by volunteers."),
        "draft": material(team, "Unapproved FAQ", body="Not yet checked.", status=Status.DRAFT),
        "articles": statistic(team, "English articles", "6912345", unit="articles"),
    }


@pytest.fixture
def story(db):
    cluster = Story.objects.create(size=2, outlet_count=2)
    stored_article(
        "a", title="Wikipedia turns 25", text="The encyclopedia celebrates.", story=cluster
    )
    stored_article(
        "b", title="25 years of Wikipedia", text="Volunteers mark the date.", story=cluster
    )
    return cluster


def _propose(client, sources, **fields):
    data = {
        "kind": "press_release",
        "language": "en",
        "materials": [sources["faq"].pk],
        "statistics": [sources["articles"].pk],
        "instructions": "Announce the milestone.",
        **fields,
    }
    return client.post(reverse("materials:assist_draft"), data)


def _draft_page(draft: Draft) -> str:
    # The drafts pages are another part of the issue; until they are merged the assistant
    # sends people back to the press kits.
    try:
        return reverse("materials:draft", args=[draft.pk])
    except NoReverseMatch:
        return reverse("materials:kits")


# --- off by default -----------------------------------------------------------------------------


def test_everything_is_hidden_while_the_assistant_is_not_configured(member_client, story, settings):
    settings.COMMSDESK_LLM_URL = ""
    assert member_client.get(reverse("materials:assist_draft")).status_code == 404
    assert member_client.post(reverse("materials:assist_story", args=[story.pk])).status_code == 404
    page = member_client.get(reverse("monitoring:story", args=[story.pk])).content.decode()
    assert "Summarise with the assistant" not in page


def test_the_story_page_offers_a_summary_when_configured(member_client, story, llm):
    page = member_client.get(reverse("monitoring:story", args=[story.pk])).content.decode()
    assert "Summarise with the assistant" in page
    assert reverse("materials:assist_story", args=[story.pk]) in page


def test_anonymous_visitors_are_sent_to_log_in(client, story, llm):
    for response in [
        client.get(reverse("materials:assist_draft")),
        client.post(reverse("materials:assist_story", args=[story.pk])),
    ]:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    assert llm.asked == []


def test_a_viewer_cannot_have_drafts_written(team, sources, llm):
    viewer = client_for(person_in(team, Membership.Role.VIEWER, "vic"))
    assert _propose(viewer, sources).status_code == 403
    assert llm.asked == [] and not Draft.objects.exists()


def test_another_teams_materials_cannot_be_sent(client, outsider, sources, llm):
    client.force_login(outsider)
    response = _propose(client, sources)
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert llm.asked == [] and not Draft.objects.exists()


def test_only_approved_materials_can_be_chosen(member_client, sources, llm):
    page = member_client.get(reverse("materials:assist_draft")).content.decode()
    assert "Encyclopedia FAQ" in page and "Unapproved FAQ" not in page
    response = _propose(member_client, sources, materials=[sources["draft"].pk])
    assert response.status_code == 400
    assert llm.asked == []


# --- a first draft ------------------------------------------------------------------------------


def test_a_proposed_draft_is_saved_marked_generated_and_citing_its_sources(
    member_client, member, team, sources, llm
):
    llm.reply = "# Wikipedia reaches 6,912,345 articles\n\nVolunteers wrote them all."

    response = _propose(member_client, sources)

    draft = Draft.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _draft_page(draft)
    assert (draft.team, draft.owner, draft.kind) == (team, member, Draft.Kind.PRESS_RELEASE)
    assert draft.title == "Wikipedia reaches 6,912,345 articles"
    assert draft.body == "Volunteers wrote them all."
    assert draft.generated and draft.generated_by == "stub-model-7b"
    assert draft.status == Status.DRAFT
    cited = Citation.objects.filter(draft=draft)
    assert {(c.material_id, c.material_version) for c in cited if c.material_id} == {
        (sources["faq"].pk, 1)
    }
    number = cited.get(statistic=sources["articles"])
    assert number.value == sources["articles"].value and number.text == "6,912,345 articles"


def test_the_request_carries_the_model_the_key_and_only_the_chosen_sources(
    member_client, sources, llm
):
    _propose(member_client, sources)

    (asked,) = llm.asked
    assert asked["model"] == "local-model"
    assert [m["role"] for m in asked["messages"]] == ["system", "user"]
    prompt = asked["messages"][1]["content"]
    assert "Wikipedia is written by volunteers." in prompt
    assert "English articles: 6,912,345 articles" in prompt
    assert "Announce the milestone." in prompt
    assert "Not yet checked." not in prompt
    assert "ONLY" in asked["messages"][0]["content"]
    assert llm.headers[0]["authorization"] == "Bearer a-secret-key"


def test_a_reply_without_a_headline_gets_a_title_that_says_so(member_client, sources, llm):
    llm.reply = "Just some text."
    _propose(member_client, sources)
    draft = Draft.objects.get()
    assert draft.title == "Press release (proposed by the assistant)"
    assert draft.body == "Just some text."


@pytest.mark.parametrize(
    ("trouble", "says"),
    [
        ({"status": 500}, "did not answer"),
        ({"status": 401}, "refused the request: HTTP 401"),
        ({"raw": b"<html>not json</html>"}, "not a chat completion"),
        ({"raw": b'{"choices": []}'}, "not a chat completion"),
        ({"raw": b'{"choices": [{"message": {"content": "  "}}]}'}, "no text"),
    ],
)
def test_a_failing_assistant_is_explained_and_nothing_typed_is_lost(
    member_client, sources, llm, trouble, says
):
    for name, value in trouble.items():
        setattr(llm, name, value)
    response = _propose(member_client, sources, instructions="My careful instructions.")
    assert response.status_code == 502
    page = response.content.decode()
    assert says in page
    assert "My careful instructions." in page
    assert not Draft.objects.exists()


def test_an_unreachable_assistant_is_explained(member_client, sources, settings):
    with LocalServer() as closed:
        address = closed.url("/v1")
    settings.COMMSDESK_LLM_URL = address
    response = _propose(member_client, sources)
    assert response.status_code == 502
    assert "did not answer" in response.content.decode()
    assert not Draft.objects.exists()


# --- story summaries ----------------------------------------------------------------------------


def test_a_story_summary_is_marked_as_generated_and_not_reviewed(member_client, story, llm):
    llm.reply = "Two outlets **celebrate** the anniversary.<script>alert(1)</script>"

    response = member_client.post(reverse("materials:assist_story", args=[story.pk]))

    assert response.status_code == 200
    fragment = response.content.decode()
    assert "Generated by stub-model-7b, not reviewed" in fragment
    assert "<strong>celebrate</strong>" in fragment
    assert "<script>" not in fragment
    prompt = llm.asked[0]["messages"][1]["content"]
    assert "Wikipedia turns 25" in prompt and "Volunteers mark the date." in prompt


def test_a_failed_summary_shows_the_reason_in_place(member_client, story, llm):
    llm.status = 503
    response = member_client.post(reverse("materials:assist_story", args=[story.pk]))
    assert response.status_code == 200  # htmx swaps 2xx answers only
    assert "did not answer" in response.content.decode()
    assert "Generated by" not in response.content.decode()


def test_an_unknown_story_is_not_found(member_client, llm):
    assert member_client.post(reverse("materials:assist_story", args=[999])).status_code == 404
    assert llm.asked == []


def test_a_long_draft_is_read_whole_not_cut_at_the_webhook_limit(member_client, sources, llm):
    long_text = "Volunteers write. " * 8000  # ~140 KiB of JSON, more than a webhook reply keeps
    llm.reply = f"# Long\n\n{long_text.strip()}"
    assert _propose(member_client, sources).status_code == 302
    assert Draft.objects.get().body == long_text.strip()


def test_an_endless_answer_is_refused(member_client, sources, llm):
    llm.raw = b'{"choices": [{"message": {"content": "' + b"x" * (1024 * 1024) + b'"}}]}'
    response = _propose(member_client, sources)
    assert response.status_code == 502
    assert "answer was longer than 1024 KiB" in response.content.decode()
    assert not Draft.objects.exists()


def test_a_kit_page_offers_a_press_release_from_its_approved_materials(
    member_client, team, sources, llm
):
    from tests.materials.press_data import kit

    press_kit = kit(team, language="es")
    press_kit.materials.add(sources["faq"], sources["draft"])
    page = member_client.get(reverse("materials:kit", args=[press_kit.pk])).content.decode()
    address = f"{reverse('materials:assist_draft')}?kind=press_release&amp;kit={press_kit.pk}"
    assert address in page

    form = member_client.get(address.replace("&amp;", "&")).context["form"]
    assert form.initial["language"] == "es"
    assert form.initial["materials"] == [sources["faq"]]


def test_a_stale_statistic_is_labelled_stale_in_the_choices(member_client, team, llm):
    from datetime import date

    statistic(team, "Old count", "5", as_of=date(2020, 1, 1), max_age_days=30)
    page = member_client.get(reverse("materials:assist_draft")).content.decode()
    assert "Old count: 5 (as of 01 Jan 2020): stale, older than 30 days" in page
