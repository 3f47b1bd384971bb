"""Percolation during ingest: articles arriving through the real pipeline become mentions of the
saved searches they match, with the terms that hit, and only those that pass the filters."""

from __future__ import annotations

import pytest

from commsdesk.ingest import matching
from commsdesk.ingest.fetching import make_fetcher
from commsdesk.ingest.items import process_pending
from commsdesk.ingest.sources import poll_source
from commsdesk.monitoring.models import Article, Mention, SavedSearch, Source
from tests.fixtures.site import serve_gazette

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_percolator():
    matching.forget()
    yield
    matching.forget()


def ingest(server) -> Source:
    source = Source.objects.create(name="Test Gazette", url=serve_gazette(server))
    with make_fetcher() as fetcher:
        poll_source(source, fetcher)
        process_pending(fetcher, source_id=source.pk)
    return source


def search(team, name, query, **fields) -> SavedSearch:
    return SavedSearch.objects.create(team=team, name=name, query=query, **fields)


def test_a_new_article_becomes_a_mention_with_the_terms_that_hit(server, team):
    libraries = search(team, "Libraries", 'librar* AND "encyclopedia articles"')

    ingest(server)

    mention = Mention.objects.get(saved_search=libraries)
    assert mention.article.canonical_url.endswith("/news/volunteers.html")
    assert {"term": '"encyclopedia articles"', "field": "text"} in mention.hits
    assert {hit["term"] for hit in mention.hits} == {"librar*", '"encyclopedia articles"'}
    assert mention.sort_at == mention.article.sort_at
    libraries.refresh_from_db()
    assert libraries.last_matched_at is not None


def test_accents_and_languages_match_across_the_pipeline(server, team):
    spanish = search(team, "Elecciones", "enciclopedia AND elecciónes")  # accent typed wrongly

    ingest(server)

    assert [m.article.language for m in Mention.objects.filter(saved_search=spanish)] == ["es"]


def test_filters_beside_the_query_are_respected(server, team):
    only_french = search(team, "Only French", "volunteers OR voluntarios", languages=["fr"])
    only_spanish = search(team, "Only Spanish", "volunteers OR voluntarios", languages=["es"])

    ingest(server)

    assert not Mention.objects.filter(saved_search=only_french).exists()
    assert Mention.objects.filter(saved_search=only_spanish).count() == 1


def test_a_duplicate_article_makes_no_second_mention(server, team):
    everything = search(team, "Volunteers", "volunteers")

    ingest(server)  # the gazette also lists a syndicated copy of the volunteers page

    assert Mention.objects.filter(saved_search=everything).count() == 1
    assert Article.objects.count() == 2


def test_a_search_edited_after_compiling_is_used_for_the_next_article(server, team, monkeypatch):
    monkeypatch.setattr(matching, "RECHECK_SECONDS", 0.0)
    late = search(team, "Late", "nothing-will-match-this")
    matching._cache.get()  # compiled with the old query
    late.query = "volunteers"
    late.save()

    ingest(server)

    assert Mention.objects.filter(saved_search=late).count() == 1


def test_a_stored_search_that_no_longer_parses_is_skipped_not_fatal(server, team):
    SavedSearch.objects.create(team=team, name="Broken", query="wikipedia AND (")
    working = search(team, "Working", "volunteers")

    ingest(server)

    assert Mention.objects.filter(saved_search=working).count() == 1
    assert Article.objects.count() == 2


def test_a_search_deleted_after_compiling_costs_no_article(server, team, monkeypatch):
    doomed = search(team, "Doomed", "volunteers")
    stale = matching._cache.get()
    doomed.delete()
    monkeypatch.setattr(matching._cache, "get", lambda: stale)  # as if deleted mid-article

    ingest(server)

    assert Article.objects.count() == 2 and not Mention.objects.exists()


def test_matching_an_article_a_backfill_already_reached_adds_nothing_twice(server, team):
    volunteers = search(team, "Volunteers", "volunteers")
    ingest(server)
    article = Mention.objects.get(saved_search=volunteers).article

    again = matching.match_article(article)  # as if a backfill had got there first

    assert [m.pk for m in again] == [Mention.objects.get(saved_search=volunteers).pk]
    assert Mention.objects.count() == 1


def test_an_arriving_article_reaches_an_inbox_once_through_alerts(server, team, member, smtp):
    from commsdesk.monitoring.alerting.send import send_due
    from commsdesk.monitoring.models import AlertRule

    volunteers = search(team, "Volunteers", "volunteers OR voluntarios")
    AlertRule.objects.create(saved_search=volunteers, user=member, cadence="immediate")
    AlertRule.objects.create(
        saved_search=search(team, "Libraries", "librar*"), user=member, cadence="immediate"
    )

    ingest(server)
    send_due()
    send_due()

    # Two searches find the English story; it reaches ana once, beside the Spanish one.
    texts = [smtp.parts(message)[0] for message in smtp.messages]
    assert len(texts) == 2, texts
    assert sum("Volunteers write local history" in text for text in texts) == 1
    assert sum("Bloqueos antes de las elecciones" in text for text in texts) == 1
