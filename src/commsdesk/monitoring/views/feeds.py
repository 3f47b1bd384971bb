"""A saved search's mentions as an RSS feed, reachable with a secret key instead of a login,
so a feed reader can subscribe. The key is an HMAC of the search id (SECRET_KEY rotates all)."""

from __future__ import annotations

import hmac

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.crypto import salted_hmac

from commsdesk.monitoring.alerting.send import hit_terms
from commsdesk.monitoring.models import Mention, SavedSearch

FEED_ITEMS = 50


def feed_key(search: SavedSearch) -> str:
    return salted_hmac("commsdesk.search-feed", str(search.pk)).hexdigest()[:32]


def feed_path(search: SavedSearch) -> str:
    return reverse("monitoring:search_feed", args=[search.pk, feed_key(search)])


class MentionsFeed(Feed):
    """Newest mentions first; hidden ones are left out, as everywhere people read coverage."""

    def get_object(self, request: HttpRequest, pk: int, key: str) -> SavedSearch:
        search = SavedSearch.objects.filter(pk=pk).first()
        # Same 404 for a wrong key and a missing search: the URL reveals nothing.
        if search is None or not hmac.compare_digest(feed_key(search), key):
            raise Http404("No such feed")
        return search

    def title(self, search: SavedSearch) -> str:
        return f"{search.name} — commsdesk"

    def link(self, search: SavedSearch) -> str:
        return reverse("monitoring:search_alerts", args=[search.pk])

    def description(self, search: SavedSearch) -> str:
        return f"Coverage matching the saved search “{search.name}”: {search.query}"

    def items(self, search: SavedSearch):
        return (
            Mention.objects.filter(saved_search=search)
            .exclude(state=Mention.State.HIDDEN)
            .select_related("article__outlet")[:FEED_ITEMS]
        )

    def item_title(self, mention: Mention) -> str:
        return mention.article.title

    def item_link(self, mention: Mention) -> str:
        return mention.article.url

    def item_guid(self, mention: Mention) -> str:
        return f"commsdesk-mention-{mention.pk}"

    item_guid_is_permalink = False

    def item_description(self, mention: Mention) -> str:
        article = mention.article
        outlet = article.outlet.name if article.outlet else ""
        terms = ", ".join(hit_terms(mention))
        why = f"Matched: {terms}." if terms else ""
        return " ".join(part for part in (outlet and f"{outlet}.", why) if part)

    def item_pubdate(self, mention: Mention):
        return mention.sort_at

    def item_author_name(self, mention: Mention) -> str | None:
        return mention.article.outlet.name if mention.article.outlet else None
