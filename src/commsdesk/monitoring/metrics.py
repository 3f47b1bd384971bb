"""Coverage figures as docs/metrics.md defines them, for every page and report that counts.

Stories vs placements vs outlets: a syndicated story counts once as a story and N times as
placements. It counts what it is given; choosing the articles (period, search) is the caller's.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet


@dataclass(frozen=True, slots=True)
class Counts:
    stories: int  # distinct stories among the articles (an article without one is its own)
    placements: int  # articles: every copy on every outlet
    outlets: int  # distinct outlets that published them


def coverage_counts(articles: QuerySet) -> Counts:
    """Stories, placements and outlets of a set of articles, in one query."""
    figures = articles.order_by().aggregate(
        placements=Count("id"),
        stories=Count("story", distinct=True),
        unfolded=Count("id", filter=Q(story__isnull=True)),
        outlets=Count("outlet", distinct=True),
    )
    return Counts(
        stories=figures["stories"] + figures["unfolded"],
        placements=figures["placements"],
        outlets=figures["outlets"],
    )
