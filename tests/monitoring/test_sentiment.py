"""Sentiment through the real pipeline and on the pages: ingest sets an article's sentiment and
each mention's stance; reanalysis fills in older rows; the article and mention pages show label,
score, evidence and analyser, "not analysed" when so, and a person's override winning."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse

from commsdesk.ingest import matching
from commsdesk.ingest.fetching import make_fetcher
from commsdesk.ingest.items import process_pending
from commsdesk.ingest.sources import poll_source
from commsdesk.monitoring.models import Article, Mention, SavedSearch, Source
from tests.fixtures.site import HTML, RSS, article_html, rss
from tests.servers import Route
from tests.test_cli import commsdesk

pytestmark = pytest.mark.django_db

PRAISE = "Residents said the new library is a wonderful gift to the town."
THANKS = "Families thanked the volunteers for a brilliant, joyful opening day."
ATTACK = "The council budget cuts were called a disgraceful, shameful failure."
FACT = "The building has three floors and opens at nine on weekdays."
GERMAN = (
    "Die neue Bibliothek wurde am Montag eröffnet. Die Bewohner nannten sie ein wunderbares "
    "Geschenk für die Stadt, und der Bürgermeister hielt eine Rede vor dem Gebäude."
)


@pytest.fixture(autouse=True)
def _fresh_percolator():
    matching.forget()
    yield
    matching.forget()


def serve(server) -> str:
    server.add(
        "/news/library.html",
        Route(
            article_html("Town opens its new library", (PRAISE, FACT, ATTACK, THANKS, FACT * 2)),
            200,
            HTML,
        ),
    )
    server.add(
        "/de/bibliothek.html",
        Route(article_html("Neue Bibliothek eröffnet", (GERMAN, GERMAN), lang="de"), 200, HTML),
    )
    links = [("/news/library.html", "Library"), ("/de/bibliothek.html", "Bibliothek")]
    return server.add("/feed.xml", Route(rss(server, links), 200, RSS))


def ingest(server) -> None:
    source = Source.objects.create(name="Town Gazette", url=serve(server))
    with make_fetcher() as fetcher:
        poll_source(source, fetcher)
        process_pending(fetcher, source_id=source.pk)


def test_ingest_sets_the_articles_sentiment_with_its_evidence(server, team):
    ingest(server)

    english = Article.objects.get(language="en")
    assert english.sentiment == "positive"
    assert english.sentiment_by.startswith("VADER")
    evidence = {e["text"] for e in english.sentiment_evidence}
    assert evidence == {PRAISE, THANKS}
    text = f"{english.title}\n{english.text}"
    for item in english.sentiment_evidence:
        assert text[item["start"] : item["end"]] == item["text"]


def test_ingest_marks_a_language_without_analyser_as_not_analysed(server, team):
    ingest(server)

    german = Article.objects.get(language="de")
    assert german.sentiment is None and german.sentiment_score is None
    assert german.sentiment_by == ""  # looked at, nothing to judge it with


def test_ingest_sets_each_mentions_stance_from_the_sentences_naming_its_terms(server, team):
    library = SavedSearch.objects.create(team=team, name="Library", query="library")
    council = SavedSearch.objects.create(team=team, name="Council", query="council")
    headline_only = SavedSearch.objects.create(team=team, name="Opens", query="opens")

    ingest(server)

    praised = Mention.objects.get(saved_search=library)
    assert praised.stance == "positive"
    assert [e["text"] for e in praised.stance_evidence] == [PRAISE]
    attacked = Mention.objects.get(saved_search=council)
    assert attacked.stance == "negative" and attacked.stance_score < 0
    assert [e["text"] for e in attacked.stance_evidence] == [ATTACK]
    headline = Mention.objects.get(saved_search=headline_only)
    assert headline.stance == "neutral"  # the headline names the town and leans neither way


def test_reanalyse_fills_in_articles_and_mentions_stored_before(server, team):
    library = SavedSearch.objects.create(team=team, name="Library", query="library")
    ingest(server)
    Article.objects.update(sentiment=None, sentiment_score=None, sentiment_by=None)
    Mention.objects.update(stance=None, stance_score=None, stance_evidence=None)

    call_command("sentiment", "--reanalyse", "--batch-size", "1")

    assert Article.objects.filter(sentiment_by__isnull=True).count() == 0
    assert Article.objects.get(language="en").sentiment is not None
    assert Mention.objects.get(saved_search=library).stance == "positive"


def test_reanalyse_keeps_a_persons_override(server, team):
    library = SavedSearch.objects.create(team=team, name="Library", query="library")
    ingest(server)
    Mention.objects.update(sentiment_override="negative")

    call_command("sentiment", "--reanalyse", "--all")

    mention = Mention.objects.get(saved_search=library)
    assert (mention.sentiment_override, mention.stance) == ("negative", "positive")


def test_the_article_page_shows_label_score_evidence_marked_and_analyser(
    server, team, member_client
):
    ingest(server)
    english = Article.objects.get(language="en")

    page = member_client.get(reverse("monitoring:article", args=[english.pk])).content.decode()

    assert f'class="pill {english.sentiment}"' in page
    assert english.sentiment_by in page
    assert "measured accuracy" in page
    evidence = english.sentiment_evidence[0]["text"]
    assert page.count('<mark class="evidence"') >= 2  # in the list and in the text
    assert f">{evidence}</mark>" in page


def test_the_article_page_says_not_analysed_for_a_language_without_analyser(
    server, team, member_client
):
    ingest(server)
    german = Article.objects.get(language="de")

    page = member_client.get(reverse("monitoring:article", args=[german.pk])).content.decode()

    assert "no sentiment analyser for language “de”" in page


def test_the_mention_page_shows_stance_and_evidence(server, team, member_client):
    library = SavedSearch.objects.create(team=team, name="Library", query="library")
    ingest(server)
    mention = Mention.objects.get(saved_search=library)

    page = member_client.get(reverse("monitoring:mention", args=[mention.pk])).content.decode()

    assert 'class="pill positive"' in page
    assert f">{PRAISE}</mark>" in page
    assert 'id="override"' not in page


def test_the_mention_page_labels_a_persons_override_as_winning(server, team, member_client):
    library = SavedSearch.objects.create(team=team, name="Library", query="library")
    ingest(server)
    mention = Mention.objects.get(saved_search=library)
    member_client.post(
        reverse("monitoring:mention", args=[mention.pk]),
        {"state": "kept", "tags": "", "note": "", "sentiment_override": "negative"},
    )

    page = member_client.get(reverse("monitoring:mention", args=[mention.pk])).content.decode()

    override = page.split('id="override"')[1].split("</p>")[0]
    assert "Negative" in override and "wins in reports" in override
    assert 'class="pill positive"' in page.split('id="machine-stance"')[1]  # still shown


def test_the_mention_page_says_why_a_stance_is_missing(server, team, member_client):
    headline = SavedSearch.objects.create(team=team, name="Bib", query="bibliothek")
    ingest(server)
    mention = Mention.objects.get(saved_search=headline)

    page = member_client.get(reverse("monitoring:mention", args=[mention.pk])).content.decode()

    assert "no sentiment analyser for language “de”" in page


def test_an_outsider_gets_404_for_another_teams_mention_stance(server, team, client, outsider):
    library = SavedSearch.objects.create(team=team, name="Library", query="library")
    ingest(server)
    client.force_login(outsider)

    mention = Mention.objects.get(saved_search=library)
    assert client.get(reverse("monitoring:mention", args=[mention.pk])).status_code == 404


def test_the_cli_prints_label_and_score_per_line():
    lines = [
        "What a wonderful, brilliant day!",
        "This is a horrible disaster.",
        "It is Tuesday.",
        "",
    ]

    result = commsdesk("sentiment", stdin="\n".join(lines) + "\n")

    assert result.returncode == 0, result.stderr
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert [r[0] for r in rows] == ["positive", "negative", "neutral", "neutral"]
    assert float(rows[0][1]) > 0.5 and float(rows[1][1]) < -0.5 and float(rows[2][1]) == 0


def test_the_cli_takes_a_language():
    result = commsdesk("sentiment", "--lang", "fr", stdin="Quel merveilleux succès !\n")

    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\t")[0] == "positive"


def test_the_cli_refuses_a_language_it_cannot_analyse_with_a_clear_error():
    result = commsdesk("sentiment", "--lang", "de", stdin="Wunderbar.\n")

    assert result.returncode != 0
    assert "no sentiment analyser for language “de”" in result.stderr
    assert "en, fr, pt" in result.stderr


def test_the_summary_counts_a_persons_override_instead_of_the_machine(team):
    from commsdesk.monitoring import sentiment
    from tests.fixtures.articles import stored_article

    search = SavedSearch.objects.create(team=team, name="Us", query="us")
    rows = [  # (machine article sentiment, stance, override)
        ("positive", "positive", ""),
        ("positive", "negative", ""),  # the stance toward us counts, not the article's mood
        ("negative", None, ""),  # no sentence names us: the article's sentiment counts
        ("positive", "positive", "negative"),  # a person said otherwise
        (None, None, ""),  # a language without analyser
    ]
    for i, (article_label, stance, override) in enumerate(rows):
        article = stored_article(f"s{i}", sentiment=article_label)
        Mention.objects.create(
            saved_search=search,
            article=article,
            sort_at=article.fetched_at,
            stance=stance,
            sentiment_override=override,
        )

    result = sentiment.summary(Mention.objects.filter(saved_search=search))

    assert (result.positive, result.neutral, result.negative) == (1, 0, 3)
    assert (result.not_analysed, result.overridden, result.analysed) == (1, 1, 4)
    assert result.net == (1 - 3) / 4


def test_the_mentions_feed_shows_each_stance_and_marks_a_persons_choice(
    server, team, member_client
):
    library = SavedSearch.objects.create(team=team, name="Library", query="library OR council")
    ingest(server)
    mention = Mention.objects.get(saved_search=library)
    page = member_client.get(reverse("monitoring:search", args=[library.pk])).content.decode()
    assert f'<span class="pill {mention.stance}" title="Machine stance' in page

    Mention.objects.filter(pk=mention.pk).update(sentiment_override="negative")
    page = member_client.get(reverse("monitoring:search", args=[library.pk])).content.decode()

    assert "Negative (by a person)" in page
    assert 'title="Machine stance' not in page
