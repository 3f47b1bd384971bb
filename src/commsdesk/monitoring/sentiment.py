"""Machine sentiment on articles and stance on mentions: from pipeline.sentiment to the rows.

Ingest calls `assess` before the write transaction and copies the results onto the new rows;
`reanalyse` fills in articles and mentions stored before (or changed since) in batches.
Never touches a person's sentiment_override.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count, F, Q, QuerySet, Value
from django.db.models.functions import Coalesce, NullIf

from commsdesk.monitoring.models import Article, Mention
from commsdesk.pipeline import sentiment
from commsdesk.pipeline.query import Match

NOT_ANALYSED_BY = ""  # sentiment_by of an article looked at with no analyser for its language


def analysed_text(article: Article) -> str:
    """What is analysed: the headline, then the body. Evidence offsets point into this."""
    return f"{article.title}\n{article.text}"


def assess(article: Article) -> sentiment.Scored:
    return sentiment.score(analysed_text(article), article.language)


def set_article(article: Article, scored: sentiment.Scored) -> None:
    result = sentiment.summarise(scored)
    article.sentiment = result.label
    article.sentiment_score = result.score
    article.sentiment_evidence = [e.as_dict() for e in result.evidence]
    article.sentiment_by = result.analyser if result.analysed else NOT_ANALYSED_BY


def stance_fields(scored: sentiment.Scored, terms: Iterable[str]) -> dict[str, Any]:
    """Mention fields for the stance toward the hit terms; evidence [] marks "looked, none"."""
    result = sentiment.stance_of(scored, terms)
    return {
        "stance": result.label,
        "stance_score": result.score,
        "stance_evidence": [e.as_dict() for e in result.evidence],
    }


def stances(scored: sentiment.Scored, found: list[tuple[int, Match]]) -> dict[int, dict]:
    """Stance fields per saved search id, from what `matching.find` returned."""
    return {search_id: stance_fields(scored, match.terms) for search_id, match in found}


def hit_terms(hits: list | None) -> list[str]:
    return [h.get("term", "") if isinstance(h, dict) else str(h) for h in hits or []]


def reanalyse(*, everything: bool = False, batch_size: int = 500, progress=None) -> tuple[int, int]:
    """(Re)analyse articles and their mentions' stance; by default only those never analysed.

    Returns (articles, mentions) updated. Batches are committed one by one, so a stopped run
    keeps what it did and the next run carries on.
    """
    articles = Article.objects.order_by("pk")
    if not everything:
        articles = articles.filter(sentiment_by__isnull=True)
    done_articles = done_mentions = 0
    last = 0
    while True:
        batch = list(
            articles.filter(pk__gt=last).only("pk", "title", "text", "language")[:batch_size]
        )
        if not batch:
            return done_articles, done_mentions
        last = batch[-1].pk
        done_mentions += _analyse_batch(batch)
        done_articles += len(batch)
        if progress:
            progress(done_articles, done_mentions)


def _analyse_batch(batch: list[Article]) -> int:
    mentions = list(
        Mention.objects.filter(article__in=batch).only("pk", "article_id", "hits", "stance")
    )
    by_article: dict[int, list[Mention]] = {}
    for mention in mentions:
        by_article.setdefault(mention.article_id, []).append(mention)
    for article in batch:
        scored = assess(article)
        set_article(article, scored)
        for mention in by_article.get(article.pk, []):
            for field, value in stance_fields(scored, hit_terms(mention.hits)).items():
                setattr(mention, field, value)
    fields = ["sentiment", "sentiment_score", "sentiment_evidence", "sentiment_by"]
    with transaction.atomic():
        Article.objects.bulk_update(batch, fields)
        Mention.objects.bulk_update(mentions, ["stance", "stance_score", "stance_evidence"])
    return len(mentions)


# ---------------------------------------------------------------- what the pages show


def not_analysed_reason(language: str, analyser: str | None) -> str:
    """Why a row has no label, in words for the page."""
    if analyser is None:
        return "not analysed yet"
    if sentiment.analyser_for(language) is None:
        return f"not analysed: no sentiment analyser for language “{language or '?'}”"
    return "not analysed: no sentence to judge"


def accuracy_note(language: str) -> str:
    measured = sentiment.measured_accuracy(language)
    if not measured:
        return "accuracy not measured for this language"
    return (
        f"measured accuracy {measured['accuracy']:.0%} on {measured['n']:,} rated texts"
        f" ({measured['measured_at']})"
    )


def marked_paragraphs(article: Article) -> list[list[tuple[str, float | None]]]:
    """The body's paragraphs as (piece, score) runs: score is set on the evidence sentences,
    None elsewhere, so the page can mark what drove the label."""
    body_offset = len(article.title) + 1  # analysed_text puts the title and a newline first
    spans = sorted(
        (e["start"] - body_offset, e["end"] - body_offset, e["score"])
        for e in article.sentiment_evidence or []
        if e.get("start", -1) >= body_offset
    )
    paragraphs = []
    position = 0
    for line in article.text.split("\n"):
        start, end = position, position + len(line)
        position = end + 1
        if not line.strip():
            continue
        runs: list[tuple[str, float | None]] = []
        cursor = start
        for s, e, value in spans:
            if s < cursor or s >= end:
                continue
            runs.append((article.text[cursor:s], None))
            runs.append((article.text[s : min(e, end)], value))
            cursor = min(e, end)
        runs.append((article.text[cursor:end], None))
        paragraphs.append([run for run in runs if run[0]])
    return paragraphs


def stance_reason(mention: Mention) -> str:
    """Why a mention has no stance, in words for the page."""
    if mention.stance_evidence is None:
        return "not analysed yet"
    if sentiment.analyser_for(mention.article.language) is None:
        return f"not analysed: no sentiment analyser for language “{mention.article.language}”"
    return "not analysed: no sentence mentions the search terms"


# ---------------------------------------------------------------- what reports count


@dataclass(frozen=True)
class Summary:
    """Sentiment of a set of mentions, a person's override winning over the machine."""

    positive: int
    neutral: int
    negative: int
    not_analysed: int
    overridden: int  # how many of the labels above a person chose

    @property
    def analysed(self) -> int:
        return self.positive + self.neutral + self.negative

    @property
    def net(self) -> float | None:
        """(positive − negative) / (positive + negative); None when neither occurs."""
        leaning = self.positive + self.negative
        return (self.positive - self.negative) / leaning if leaning else None


def effective_label():
    """The label a report counts for a mention: the person's override, else the stance toward
    the search's terms, else the article's sentiment (a stance needs a sentence naming them)."""
    return Coalesce(
        NullIf(F("sentiment_override"), Value("")), F("stance"), F("article__sentiment")
    )


def summary(mentions: QuerySet[Mention]) -> Summary:
    counted = mentions.annotate(label=effective_label()).aggregate(
        positive=Count("pk", filter=Q(label=sentiment.POSITIVE)),
        neutral=Count("pk", filter=Q(label=sentiment.NEUTRAL)),
        negative=Count("pk", filter=Q(label=sentiment.NEGATIVE)),
        not_analysed=Count("pk", filter=Q(label__isnull=True)),
        overridden=Count("pk", filter=~Q(sentiment_override="")),
    )
    return Summary(**counted)
