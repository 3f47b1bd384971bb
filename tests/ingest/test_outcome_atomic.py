"""An article and its link's outcome commit together: a worker that dies between the two must not
leave a stored article whose link is later decided again as a duplicate."""

from __future__ import annotations

import pytest

from commsdesk.ingest.items import record_outcome
from commsdesk.ingest.store import store_article
from commsdesk.monitoring.models import Article, Item
from commsdesk.pipeline.records import Article as ArticleRecord
from commsdesk.pipeline.records import ItemResult, LanguageGuess, Outcome

pytestmark = pytest.mark.django_db(transaction=True)


def _record(slug: str) -> ArticleRecord:
    url = f"https://example.org/{slug}"
    return ArticleRecord(
        url=url,
        canonical_url=url,
        url_hash=slug.ljust(64, "0"),
        title=f"Story {slug}",
        text="Volunteers wrote articles about the history of their towns.",
        language=LanguageGuess("en", 0.9, "test"),
        published=None,
        authors=(),
        extraction_method="test",
    )


def test_an_article_is_not_stored_when_its_outcome_cannot_be_recorded():
    def die(article):
        raise RuntimeError("the worker died here")

    with pytest.raises(RuntimeError):
        store_article(_record("a"), source=None, in_transaction=die)

    assert not Article.objects.exists()


def test_a_stored_link_names_its_article_in_the_same_commit():
    item = Item.objects.create(url="https://example.org/b", url_hash="b" * 64, attempts=1)

    item = record_outcome(item, ItemResult(Outcome.STORED, "", article=_record("b")))

    assert item.state == "stored" and item.decided_at is not None
    assert item.article == Article.objects.get()
