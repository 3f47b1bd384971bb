"""Syndicated copies fold into one story through the real pipeline: pages served over HTTP on
127.0.0.1, fetched, extracted and stored as a feed's links would be."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from html import escape

import pytest
from django.utils import timezone

from commsdesk.ingest import stories
from commsdesk.ingest.fetching import make_fetcher
from commsdesk.ingest.items import process_item
from commsdesk.monitoring.models import Article, Item, Outlet, Source, Story, StoryEvent, StoryKey
from commsdesk.pipeline import urls
from tests.fixtures.site import HTML
from tests.servers import Route

pytestmark = pytest.mark.django_db

WIRE = (
    "Volunteers in more than forty countries spent the weekend improving articles about local "
    "history on the free encyclopedia, during an event organisers described as the largest "
    "edit-a-thon of the year.",
    "According to the foundation, more than 12,000 volunteers took part and together created "
    "about 8,500 new articles, many of them in languages that are under-represented online, "
    "including Yoruba, Basque and Quechua.",
    "Knowledge about a place should be written by the people who live there, said Amara "
    "Okafor, who coordinated the event. Libraries and universities in Lagos, Bilbao and Cusco "
    "opened their reading rooms to volunteers for the two days.",
    "The foundation said it would publish a full report on the event next month, including "
    "figures on how many of the new articles were written by first-time contributors.",
)
# Same event, another writer: shares names, places and figures, not sentences.
OWN_REPORT = (
    "Amara Okafor had expected a few hundred people. By Sunday evening her spreadsheet listed "
    "more than twelve thousand, from Lagos to Bilbao to Cusco, all editing the encyclopedia.",
    "In a reading room in Bilbao, a retired teacher spent both days on the history of her "
    "village's fishing fleet, an article that had not existed until this weekend.",
    "Organisers counted roughly 8,500 new entries; Basque, Yoruba and Quechua editors were "
    "among the busiest, a sign, Okafor told us, that small languages have large communities.",
    "A report with the full figures, including first-time contributors, is due next month.",
)
NOW = timezone.now()


def page(title: str, paragraphs: tuple[str, ...], *, site: str, published: datetime) -> bytes:
    """An article page in one site's own template: its nav, related links and footer."""
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return (
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{escape(title)} | "
        f"{site}</title><meta property='article:published_time' content='{published.isoformat()}'>"
        f"</head><body><header><a href='/'>{site}</a> <nav><a href='/world'>World</a> · "
        f"<a href='/sport'>Sport</a> · <a href='/weather'>Weather</a></nav></header>"
        f"<main><article><h1>{escape(title)}</h1>{body}</article>"
        f"<aside><h2>Most read on {site}</h2><ul><li><a href='/a'>Markets close higher</a></li>"
        "<li><a href='/b'>Storm warning for the coast</a></li></ul></aside></main>"
        f"<footer>© {site} · Privacy · Contact · Advertise with us</footer></body></html>"
    ).encode()


@pytest.fixture
def publish(server):
    """Serve a page at `path` in the template of outlet `site` and bring it in through a
    source of that outlet."""

    def arrive(
        path: str, title: str, paragraphs: tuple[str, ...], *, site: str, published: datetime
    ) -> Article:
        html = page(title, paragraphs, site=site, published=published)
        url = server.add(path, Route(html, 200, HTML))
        outlet, _ = Outlet.objects.get_or_create(
            domain=f"{site.lower().replace(' ', '-')}.example", defaults={"name": site}
        )
        source, _ = Source.objects.get_or_create(
            url=f"https://{outlet.domain}/feed.xml", defaults={"name": site, "outlet": outlet}
        )
        item = Item.objects.create(source=source, url=url, url_hash=urls.identity_hash(url))
        with make_fetcher() as fetcher:
            item = process_item(item, fetcher)
        assert item.state == "stored", item.reason
        return Article.objects.select_related("story").get(pk=item.article_id)

    return arrive


def days_ago(days: float) -> datetime:
    return (NOW - timedelta(days=days)).astimezone(UTC).replace(microsecond=0)


def test_it_folds_a_syndicated_copy_on_another_outlet_into_the_originals_story(publish):
    title = "Volunteers write 8,500 articles in record weekend edit-a-thon"
    original = publish("/wire/editathon", title, WIRE, site="Globe Wire", published=days_ago(2))
    copy = publish(
        "/ledger/volunteers",
        title,
        WIRE[:3],
        site="Morning Ledger",
        published=days_ago(1.9),
    )

    assert copy.story_id == original.story_id
    assert 0.5 <= copy.story_similarity < 1.0  # a near copy (cut short), not the same address
    story = Story.objects.get(pk=original.story_id)
    assert (story.size, story.outlet_count) == (2, 2)
    assert story.representative_id == original.pk  # the first publisher
    assert story.first_seen == original.sort_at and story.last_seen == copy.sort_at
    joined = StoryEvent.objects.get(story=story, kind=StoryEvent.Kind.JOINED)
    assert joined.article_id == copy.pk and joined.similarity == copy.story_similarity


def test_a_copy_published_before_the_one_we_saw_first_becomes_the_first_publisher(publish):
    title = "Volunteers write 8,500 articles in record weekend edit-a-thon"
    later = publish("/ledger/v", title, WIRE, site="Morning Ledger", published=days_ago(1))
    earlier = publish("/wire/v", title, WIRE, site="Globe Wire", published=days_ago(2))

    story = Story.objects.get(pk=later.story_id)
    assert earlier.story_id == story.pk
    assert story.representative_id == earlier.pk and story.first_seen == earlier.sort_at


def test_a_distinct_article_on_the_same_event_starts_its_own_story(publish):
    wire = publish("/wire/e", "Record edit-a-thon", WIRE, site="Globe Wire", published=days_ago(2))
    own = publish(
        "/herald/e",
        "Twelve thousand editors",
        OWN_REPORT,
        site="Herald",
        published=days_ago(1.9),
    )

    assert own.story_id != wire.story_id
    assert own.story_similarity is None
    assert Story.objects.get(pk=own.story_id).size == 1


def test_the_same_headline_on_the_same_outlet_folds_even_when_the_text_changed(publish):
    title = "Volunteers write 8,500 articles in record weekend edit-a-thon"
    first = publish("/ledger/1", title, WIRE, site="Morning Ledger", published=days_ago(1))
    update = publish(
        "/ledger/1-updated",
        title,
        OWN_REPORT,
        site="Morning Ledger",
        published=days_ago(0.9),
    )

    assert update.story_id == first.story_id
    assert update.story_similarity == 1.0
    story = Story.objects.get(pk=first.story_id)
    assert (story.size, story.outlet_count) == (2, 1)


def test_the_same_headline_on_another_outlet_is_not_enough(publish):
    title = "Volunteers write 8,500 articles in record weekend edit-a-thon"
    a = publish("/ledger/2", title, WIRE, site="Morning Ledger", published=days_ago(1))
    b = publish("/herald/2", title, OWN_REPORT, site="Herald", published=days_ago(0.9))

    assert a.story_id != b.story_id


def test_a_copy_outside_the_window_starts_a_new_story(publish, settings):
    settings.COMMSDESK_STORY_WINDOW_DAYS = 7
    title = "Volunteers write 8,500 articles in record weekend edit-a-thon"
    old = publish("/wire/old", title, WIRE, site="Globe Wire", published=days_ago(20))
    late = publish("/ledger/late", title, WIRE, site="Morning Ledger", published=days_ago(5))

    assert late.story_id != old.story_id
    assert StoryKey.objects.filter(article=old).exists()  # found but too far apart in time


def test_the_window_is_a_setting(publish, settings):
    settings.COMMSDESK_STORY_WINDOW_DAYS = 30
    title = "Volunteers write 8,500 articles in record weekend edit-a-thon"
    old = publish("/wire/old2", title, WIRE, site="Globe Wire", published=days_ago(20))
    late = publish("/ledger/late2", title, WIRE, site="Morning Ledger", published=days_ago(5))

    assert late.story_id == old.story_id


def test_it_expires_index_keys_older_than_the_window_and_keeps_the_rest(publish, settings):
    settings.COMMSDESK_STORY_WINDOW_DAYS = 7
    old = publish("/wire/x", "Old", WIRE, site="Globe Wire", published=days_ago(9))
    new = publish("/herald/x", "New", OWN_REPORT, site="Herald", published=days_ago(1))
    kept = StoryKey.objects.filter(article=new).count()

    deleted = stories.expire_keys()

    assert deleted > 0 and not StoryKey.objects.filter(article=old).exists()
    assert StoryKey.objects.filter(article=new).count() == kept > 0
    assert Article.objects.filter(pk=old.pk).exists()  # only the index forgets


def test_the_scheduler_sweep_expires_keys(publish, settings):
    from commsdesk.ingest.scheduler import tick

    settings.COMMSDESK_STORY_WINDOW_DAYS = 7
    old = publish("/wire/y", "Old", WIRE, site="Globe Wire", published=days_ago(9))

    tick(sweep=True)

    assert not StoryKey.objects.filter(article=old).exists()


def test_every_article_gets_band_url_and_title_keys_and_its_signature(publish):
    article = publish("/wire/k", "Keys", WIRE, site="Globe Wire", published=days_ago(1))

    keys = set(StoryKey.objects.filter(article=article).values_list("key", flat=True))
    assert sum(k.startswith("b") for k in keys) == 20
    assert any(k.startswith(stories.URL_PREFIX) for k in keys)
    assert any(k.startswith(stories.TITLE_PREFIX) for k in keys)
    assert bytes(Article.objects.get(pk=article.pk).minhash).startswith(b"CDMH")


@pytest.mark.corpus
def test_corpus_pairs_fold_through_the_database_index_with_high_precision_and_recall(corpus):
    precision, recall = database_precision_recall(corpus)

    assert precision >= 0.95  # measured 1.00
    assert recall >= 0.95  # measured 1.00


def database_precision_recall(corpus) -> tuple[float, float]:
    """Each pair stored on two outlets, a then b an hour later, 30 days from any other pair
    (outside each other's window); a "duplicate" call is b joining a's story."""
    import csv
    import gzip
    import hashlib

    from commsdesk.ingest.store import store_article
    from commsdesk.pipeline.extract import extract
    from commsdesk.pipeline.records import Article as Record
    from commsdesk.pipeline.records import LanguageGuess

    with (corpus / "dedup" / "pairs.tsv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    sides = [
        Source.objects.create(
            name=side,
            url=f"https://{side}.example/feed",
            outlet=Outlet.objects.create(name=side, domain=f"{side}.example"),
        )
        for side in ("a", "b")
    ]
    true_pos = false_pos = false_neg = 0
    for n, row in enumerate(rows):
        stored = []
        for side, source in zip(("a_file", "b_file"), sides, strict=True):
            data = (corpus / row[side]).read_bytes()
            page = extract(gzip.decompress(data) if row[side].endswith(".gz") else data)
            url = f"https://{source.name}.example/{n}/{side}"
            record = Record(
                url=url,
                canonical_url=url,
                url_hash=hashlib.sha256(url.encode()).hexdigest(),
                title=page.title or "",
                text=page.text,
                language=LanguageGuess("en", 1.0, "test"),
                published=NOW - timedelta(days=30 * n + 1, hours=1 - len(stored)),
                authors=(),
                extraction_method="test",
            )
            stored.append(store_article(record, source=source)[0])
        joined = stored[0].story_id == stored[1].story_id
        expected = row["expected"] == "duplicate"
        true_pos += joined and expected
        false_pos += joined and not expected
        false_neg += expected and not joined
    return true_pos / max(1, true_pos + false_pos), true_pos / max(1, true_pos + false_neg)
