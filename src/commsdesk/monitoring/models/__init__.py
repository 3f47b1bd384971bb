"""Monitoring records, one module per concern: coverage (sources, articles), stories, saved
searches and mentions, alerts and digests, Wikipedia attention. Import them from here."""

from commsdesk.monitoring.models.alerts import AlertRule, Delivery, DigestRun, Spike
from commsdesk.monitoring.models.attention import PageviewDay, TopArticlesDay, WatchedPage
from commsdesk.monitoring.models.coverage import (
    SOCIAL_KINDS,
    Article,
    ArticleQuerySet,
    FetchLog,
    Item,
    ItemQuerySet,
    Outlet,
    Source,
    SourceQuerySet,
)
from commsdesk.monitoring.models.searches import Mention, NameVariant, SavedSearch
from commsdesk.monitoring.models.stories import Story, StoryEvent, StoryKey

__all__ = [
    "SOCIAL_KINDS",
    "AlertRule",
    "Article",
    "ArticleQuerySet",
    "Delivery",
    "DigestRun",
    "FetchLog",
    "Item",
    "ItemQuerySet",
    "Mention",
    "NameVariant",
    "Outlet",
    "PageviewDay",
    "SavedSearch",
    "Source",
    "SourceQuerySet",
    "Spike",
    "Story",
    "StoryEvent",
    "StoryKey",
    "TopArticlesDay",
    "WatchedPage",
]
