"""The Names page and expand_for_search: the shipped list, a team's own spellings, team scope."""

from __future__ import annotations

import pytest
from django.urls import reverse

from commsdesk.accounts.models import Team
from commsdesk.monitoring.models import NameVariant
from commsdesk.monitoring.names import expand_for_search, language_choices
from commsdesk.pipeline.query import QueryError, compile
from commsdesk.pipeline.records import Document

pytestmark = pytest.mark.django_db

NAMES = reverse("monitoring:names")
ADD = reverse("monitoring:name_add")


@pytest.fixture
def variant(team):
    return NameVariant.objects.create(
        team=team, name="Wikipedia", language="sw", label="Wikipedia ya Kiswahili"
    )


@pytest.fixture
def other_variant(outsider):
    other = Team.objects.get(slug="other")
    return NameVariant.objects.create(team=other, name="Wikipedia", language="ru", label="Вики")


# ---------------------------------------------------------------- expand_for_search


def test_expand_for_search_uses_the_shipped_list_and_the_teams_own_spellings(team, variant):
    query, expansions = expand_for_search("Wikipedia", ["ru", "sw"], team)
    (wikipedia,) = expansions
    assert wikipedia.key == "Q52" and {s.text for s in wikipedia.added} >= {
        "Википедия",
        "Wikipedia ya Kiswahili",
    }
    assert compile(query).match(Document(text="habari za Wikipedia ya Kiswahili leo"))
    assert compile(query).match(Document(text="статья о Википедия"))


def test_expand_for_search_keeps_one_teams_spellings_from_another(team, variant, other_variant):
    _, expansions = expand_for_search("Wikipedia", ["ru"], team)
    assert "Вики" not in {s.text for e in expansions for s in e.added}


def test_expand_for_search_without_languages_is_the_parsed_query(team, variant):
    query, expansions = expand_for_search("Wikipedia", [], team)
    assert expansions == () and query.root.raw == "Wikipedia"


def test_expand_for_search_raises_a_query_error_for_a_bad_query(team):
    with pytest.raises(QueryError):
        expand_for_search("Wikipedia AND", ["ru"], team)


def test_every_language_of_the_shipped_list_can_be_chosen():
    codes = {code for code, _ in language_choices()}
    assert {"ru", "zh", "yo", "zu", "sw", "he", "ar"} <= codes
    assert dict(language_choices())["zu"] == "Zulu (zu)"


# ---------------------------------------------------------------- the page


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    for response in (client.get(NAMES), client.post(ADD, {"name": "x"})):
        assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_it_lists_the_shipped_names_and_finds_one_by_a_spelling_in_any_script(member_client):
    response = member_client.get(NAMES)
    assert response.status_code == 200
    assert "Wikimedia Foundation" in response.text and "UNESCO" in response.text
    assert 'aria-current="page">Searches<' in response.text  # it belongs to saved searches
    listed = [
        response.text.index(f"<bdi>{n}</bdi>") for n in ("Amnesty International", "Wikipedia")
    ]
    assert listed[0] < listed[1]  # by name, not by Wikidata number
    response = member_client.get(NAMES, {"q": "ويكيبيديا"}, headers={"HX-Request": "true"})
    assert "<h1>" not in response.text  # the fragment only
    assert ">Wikipedia<" in response.text and "Wikidata" not in response.text


def test_it_says_so_when_no_name_matches(member_client):
    response = member_client.get(NAMES, {"q": "Nothing like this"})
    assert "No name matches" in response.text


def test_it_shows_a_names_spellings_per_language_with_the_teams_own(member_client, variant):
    response = member_client.get(NAMES, {"show": "Q52"})
    text = response.text
    assert "https://www.wikidata.org/wiki/Q52" in text
    for spelling in ("Википедия", "ויקיפדיה", "ウィキペディア", "维基百科", "ويكيبيديا"):
        assert spelling in text
    assert "Russian" in text and "Wikipedia ya Kiswahili" in text
    assert 'value="Wikipedia"' in text  # the add form starts with this name


def test_a_member_adds_a_spelling_that_searches_then_use(member_client, team):
    response = member_client.post(
        ADD,
        {"team": "comms", "name": " Wikipedia ", "language": "yo", "label": "Wikipédíà Yorùbá"},
        follow=True,
    )
    assert response.status_code == 200
    assert "Added “Wikipédíà Yorùbá” (Yoruba) for Wikipedia." in response.text
    assert response.redirect_chain[-1][0].endswith("show=Q52")
    variant = NameVariant.objects.get(team=team)
    assert (variant.name, variant.language) == ("Wikipedia", "yo")
    query, _ = expand_for_search("wikipedia", ["yo"], team)
    assert compile(query).match(Document(text="Ìròyìn láti Wikipedia Yoruba"))


def test_a_new_name_of_the_teams_own_gets_its_own_entry(member_client, team):
    member_client.post(
        ADD,
        {
            "team": "comms",
            "name": "Wiki Loves Africa",
            "language": "fr",
            "label": "Wiki Loves Africa FR",
        },
    )
    response = member_client.get(NAMES, {"q": "loves africa"})
    assert "Wiki Loves Africa" in response.text
    response = member_client.get(NAMES, {"show": "team:wiki loves africa"})
    assert "Your team’s own name" in response.text and "Wiki Loves Africa FR" in response.text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "Wikipedia", "language": "ru", "label": "«»"}, "at least one letter"),
        ({"name": "", "language": "ru", "label": "Вики"}, "This field is required"),
        ({"name": "Wikipedia", "language": "xx", "label": "Вики"}, "Select a valid choice"),
    ],
)
def test_bad_input_is_refused_with_a_clear_error_and_the_typing_kept(
    member_client, team, data, message
):
    response = member_client.post(ADD, {"team": "comms", **data})
    assert response.status_code == 200
    assert message in response.text and 'role="alert"' in response.text
    if data["label"] != "«»":
        assert data["label"] in response.text  # what was typed is still in the form
    assert not NameVariant.objects.exists()


def test_adding_the_same_spelling_twice_says_so(member_client, variant):
    response = member_client.post(
        ADD,
        {"team": "comms", "name": "Wikipedia", "language": "sw", "label": "Wikipedia ya Kiswahili"},
    )
    assert "already has this spelling" in response.text
    assert NameVariant.objects.count() == 1


def test_a_member_deletes_their_teams_spelling(member_client, variant):
    response = member_client.post(reverse("monitoring:name_delete", args=[variant.pk]))
    assert response.status_code == 302
    assert not NameVariant.objects.exists()


def test_an_outsider_gets_404_for_another_teams_spelling(client, outsider, variant):
    client.force_login(outsider)
    response = client.post(reverse("monitoring:name_delete", args=[variant.pk]))
    assert response.status_code == 404
    assert NameVariant.objects.filter(pk=variant.pk).exists()
    assert client.get(NAMES, {"team": "comms"}).status_code == 404
    assert (
        client.post(ADD, {"team": "comms", "name": "A", "language": "ru", "label": "Б"}).status_code
        == 404
    )
    assert "Wikipedia ya Kiswahili" not in client.get(NAMES, {"show": "Q52"}).text


def test_an_outsider_sees_only_their_own_teams_spellings(client, outsider, variant, other_variant):
    client.force_login(outsider)
    text = client.get(NAMES).text
    assert "Another team’s own spellings" in text
    assert "Вики" in text and "Wikipedia ya Kiswahili" not in text


def test_deleting_needs_a_post(member_client, variant):
    response = member_client.get(reverse("monitoring:name_delete", args=[variant.pk]))
    assert response.status_code == 405 and NameVariant.objects.exists()


def test_someone_in_no_team_can_browse_but_not_add(client, django_user_model):
    loner = django_user_model.objects.create_user("solo", "solo@example.org", "a-long-password-9")
    client.force_login(loner)
    response = client.get(NAMES)
    assert response.status_code == 200 and "not in a team yet" in response.text
    assert client.post(ADD, {"name": "A", "language": "ru", "label": "Б"}).status_code == 404
