"""Every monitoring page, as an outsider and as a signed-in communicator."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from commsdesk.monitoring.models import Article, Item, Outlet, Source
from tests.fixtures.articles import stored_article
from tests.fixtures.site import RSS, rss, serve_gazette
from tests.servers import Route

pytestmark = pytest.mark.django_db


@pytest.fixture
def user():
    return get_user_model().objects.create_user("associate", password="correct horse battery")


@pytest.fixture
def signed_in(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def source():
    return Source.objects.create(name="Gazette", url="https://gazette.example/feed.xml")


@pytest.fixture
def articles(source):
    outlet = Outlet.objects.create(name="Gazette", domain="gazette.example", country="GB")
    rows = [
        ("Volunteers write the history of their towns", "Librarians opened archives.", "en", "GB"),
        ("Voluntarios escriben la historia", "Las bibliotecas abrieron sus archivos.", "es", "AR"),
        ("Wikipédia bloquée dans deux pays", "Les bénévoles demandent l'accès.", "fr", "FR"),
    ]
    return [
        stored_article(
            f"gazette/{i}",
            title=title,
            text=text,
            language=lang,
            country=country,
            source=source,
            outlet=outlet,
        )
        for i, (title, text, lang, country) in enumerate(rows)
    ]


PAGES = [
    ("home", {}),
    ("monitoring:articles", {}),
    ("monitoring:clip", {}),
    ("monitoring:sources", {}),
    ("monitoring:source_add", {}),
    ("monitoring:opml_import", {}),
    ("monitoring:opml_export", {}),
    ("monitoring:searches", {}),
    ("monitoring:search_new", {}),
    ("monitoring:search_preview", {}),
]


@pytest.mark.parametrize(("name", "kwargs"), PAGES)
def test_an_outsider_is_sent_to_log_in(client, name, kwargs):
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_an_outsider_cannot_see_an_article_or_a_source(client, articles, source):
    for url in (
        reverse("monitoring:article", args=[articles[0].pk]),
        reverse("monitoring:source", args=[source.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response.url


def test_an_outsider_cannot_change_a_source(client, source):
    for name in ("source_toggle", "source_fetch", "source_delete"):
        client.post(reverse(f"monitoring:{name}", args=[source.pk]))
    source.refresh_from_db()
    assert source.active and Source.objects.count() == 1


@pytest.mark.parametrize(("name", "kwargs"), PAGES)
def test_every_page_renders_for_a_signed_in_user(signed_in, name, kwargs):
    assert signed_in.get(reverse(name, kwargs=kwargs)).status_code == 200


def test_login_with_the_right_password_reaches_home(client, user):
    response = client.post(
        reverse("login"), {"username": "associate", "password": "correct horse battery"}
    )
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_search_finds_words_accents_and_phrases(signed_in, articles):
    def titles(**params):
        response = signed_in.get(reverse("monitoring:articles"), params)
        return {a.title for a in response.context["articles"]}

    assert titles(q="librarians") == {articles[0].title}
    assert titles(q="bibliotecas") == {articles[1].title}
    assert titles(q='"history of their towns"') == {articles[0].title}
    assert titles(q="volunteers OR voluntarios") == {articles[0].title, articles[1].title}
    assert titles(q="volunteers -librarians") == set()
    assert titles(q="nothingmatcheshere") == set()


def test_filters_narrow_by_language_and_country(signed_in, articles):
    response = signed_in.get(reverse("monitoring:articles"), {"language": "es"})
    assert [a.language for a in response.context["articles"]] == ["es"]
    response = signed_in.get(reverse("monitoring:articles"), {"country": "fr"})
    assert [a.country for a in response.context["articles"]] == ["FR"]


def test_an_htmx_search_returns_only_the_results_fragment(signed_in, articles):
    response = signed_in.get(
        reverse("monitoring:articles"), {"q": "volunteers"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert "<html" not in html and articles[0].title in html


def test_the_article_page_shows_text_original_link_and_source(signed_in, articles):
    html = signed_in.get(reverse("monitoring:article", args=[articles[0].pk])).content.decode()
    assert "Librarians opened archives." in html
    assert "https://x.example/gazette/0" in html and "Gazette" in html


def test_a_feed_title_with_markup_is_shown_as_text(signed_in, source):
    stored_article("markup", title="<script>alert(1)</script>", source=source)
    html = signed_in.get(reverse("monitoring:articles")).content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


def test_adding_a_source_by_page_url_discovers_its_feed(signed_in, server):
    feed_url = server.add("/feed.xml", Route(rss(server, [("/a.html", "A")]), 200, RSS))
    page = b"<html><head><link rel='alternate' type='application/rss+xml' href='/feed.xml'>"
    home = server.add(
        "/", Route(page + b"</head><body>x</body></html>", 200, {"Content-Type": "text/html"})
    )

    response = signed_in.post(reverse("monitoring:source_add"), {"url": home})

    created = Source.objects.get(url=feed_url)
    assert response.status_code == 302 and created.name == "Test Gazette"


def test_adding_an_address_without_a_feed_shows_why(signed_in, server):
    home = server.add(
        "/", Route(b"<html><body>hello</body></html>", 200, {"Content-Type": "text/html"})
    )
    response = signed_in.post(reverse("monitoring:source_add"), {"url": home})
    assert response.status_code == 200 and "does not link to an RSS" in response.content.decode()
    assert not Source.objects.exists()


def test_the_health_page_shows_the_real_reason_a_source_fails(signed_in):
    failing = Source.objects.create(
        name="Down",
        url="https://down.example/feed.xml",
        consecutive_failures=3,
        last_error="HTTP 503 Service Unavailable",
    )
    html = signed_in.get(reverse("monitoring:source", args=[failing.pk])).content.decode()
    assert "HTTP 503 Service Unavailable" in html and "failing" in html
    banner = signed_in.get(reverse("home")).content.decode()
    assert "1 source failing" in banner


def test_the_health_page_counts_outcomes_per_day(signed_in, server):
    source = Source.objects.create(name="Gazette", url=serve_gazette(server))
    from commsdesk.ingest.tasks import fetch_source

    fetch_source.call(source.pk)
    response = signed_in.get(reverse("monitoring:source", args=[source.pk]))
    ((day, counts),) = response.context["days"]
    assert counts == {"stored": 2, "duplicate": 1, "filtered": 1, "quarantined": 1, "retry": 1}
    assert "404" in response.content.decode()


def test_pause_resume_and_delete_a_source(signed_in, source):
    signed_in.post(reverse("monitoring:source_toggle", args=[source.pk]))
    source.refresh_from_db()
    assert not source.active
    signed_in.post(reverse("monitoring:source_toggle", args=[source.pk]))
    source.refresh_from_db()
    assert source.active
    signed_in.post(reverse("monitoring:source_delete", args=[source.pk]))
    assert not Source.objects.exists()


def test_opml_export_then_import_round_trips(signed_in, source):
    exported = signed_in.get(reverse("monitoring:opml_export")).content
    Source.objects.all().delete()
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("sources.opml", exported, content_type="text/x-opml")
    signed_in.post(reverse("monitoring:opml_import"), {"file": upload})
    assert list(Source.objects.values_list("name", "url")) == [("Gazette", source.url)]


def test_a_non_opml_upload_is_refused_clearly(signed_in):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("x.opml", b"<html>not opml</html>")
    response = signed_in.post(reverse("monitoring:opml_import"), {"file": upload})
    assert "not an OPML document" in response.content.decode()


def test_clipping_a_missed_article_by_url(signed_in, server):
    serve_gazette(server)
    response = signed_in.post(
        reverse("monitoring:clip"), {"url": server.url("/news/volunteers.html")}
    )
    article = Article.objects.get()
    assert response.status_code == 302 and response.url.endswith(f"/articles/{article.pk}/")
    assert Item.objects.get().state == "stored"


def test_clipping_a_missing_page_says_why(signed_in, server):
    response = signed_in.post(reverse("monitoring:clip"), {"url": server.url("/nope.html")})
    assert response.status_code == 200 and "404" in response.content.decode()


def test_the_language_filter_offers_each_archive_language_once(signed_in, articles, source):
    stored_article("another", language="es", source=source)
    response = signed_in.get(reverse("monitoring:articles"))
    assert response.context["languages"] == ["en", "es", "fr"]


def test_the_sources_list_counts_each_sources_articles(signed_in, articles, source):
    quiet = Source.objects.create(name="Quiet", url="https://quiet.example/feed.xml")
    response = signed_in.get(reverse("monitoring:sources"))
    counts = {row.name: row.article_count for row in response.context["sources"]}
    assert counts == {source.name: 3, quiet.name: 0}
