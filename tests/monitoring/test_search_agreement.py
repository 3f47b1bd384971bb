"""Archive search (FTS5 or tsquery) and the saved-search matcher agree on the same articles.

One compiled query language serves percolation and the archive: if these drift, a saved search's
live preview would show different articles from the alerts it sends.
"""

from __future__ import annotations

import pytest

from commsdesk.monitoring.models import Article, Outlet
from commsdesk.monitoring.search import document, newest_first, parse
from commsdesk.pipeline import query as q
from tests.fixtures.articles import stored_article

pytestmark = pytest.mark.django_db

ARTICLES = {
    "en": ("Wikipedia editors meet", "Volunteers who edit Wikipedia met in Nairobi to plan.", "en"),
    "fr": ("Les éditeurs de Wikipédia", "Les bénévoles de Wikipédia se réunissent à Paris.", "fr"),
    "de": ("STRASSE der Wikipedia", "Die Straße ist nach der freien Enzyklopädie benannt.", "de"),
    "ru": ("Википедия растёт", "Редакторы ВИКИПЕДИИ обсуждают правила.", "ru"),
    "ar": ("ويكيبيديا", "قال محررو وِيكِيبِيدِيَا إن الموسوعة تنمو.", "ar"),
    "ja": ("日本語版ウィキペディアの記事", "ウィキペディアは自由な百科事典です。", "ja"),
    "zh": ("维基百科是一个自由的百科全书", "志愿者编辑维基百科。", "zh"),
    "pt": ("Wikipédia em português", "Editores da Wikipédia no Brasil.", "pt-BR"),
    "spam": ("Cheap watches", "Buy cheap watches, not about any encyclopedia.", "en"),
    "near": ("Open data", "Wikipedia and many volunteers and open editors.", "en"),
}

QUERIES = [
    "wikipedia",
    "Wikipédia",
    "wiki*",
    '"wikipedia editors"',
    '"wikipedia editors"~3',
    "wikipedia -volunteers",
    "wikipedia NOT (nairobi OR paris)",
    "title:wikipedia",
    "text:wikipedia AND lang:pt",
    "lang:pt",
    "lang:(fr OR de) straße",
    "strasse",
    "Википедия",
    "вики*",
    "ويكيبيديا",
    "ウィキペディア",
    "百科",
    "维基百科 OR ウィキペディア",
    'outlet:"Le Monde" wikipedia',
    "cheap -watches OR encyclopedia",
    "(open OR cheap) AND NOT watches",
]


@pytest.fixture
def archive():
    le_monde = Outlet.objects.create(name="Le Monde", domain="lemonde.example", country="FR")
    for slug, (title, text, language) in ARTICLES.items():
        outlet = le_monde if slug == "fr" else None
        stored_article(slug, title=title, text=text, language=language, outlet=outlet)


@pytest.mark.parametrize("text", QUERIES)
def test_archive_search_finds_exactly_what_the_matcher_matches(archive, text):
    articles = Article.objects.select_related("outlet")
    matcher = q.compile(parse(text))
    expected = {a.url for a in articles if matcher.match(document(a))}

    found = {a.url for a in newest_first(articles, text, offset=0, limit=100)}

    assert found == expected
    assert expected or text == "cheap -watches OR encyclopedia"  # the queries do find things


def test_accents_capitals_and_cjk_runs_are_found_in_the_archive(archive):
    def slugs(text):
        return sorted(
            a.url.rsplit("/", 1)[1]
            for a in newest_first(Article.objects, text, offset=0, limit=100)
        )

    assert slugs("wikipedia") == ["de", "en", "fr", "near", "pt"]
    assert slugs("strasse") == ["de"]
    assert slugs("百科") == ["ja", "zh"]
    assert slugs("ウィキペディア") == ["ja"]
    assert slugs("ويكيبيديا") == ["ar"]
