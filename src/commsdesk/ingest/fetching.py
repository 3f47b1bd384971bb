"""Builds the pipeline's Fetcher from Django settings: the one place settings meet the client."""

from __future__ import annotations

from dataclasses import replace

from django.conf import settings

from commsdesk.pipeline.fetch import Fetcher, FetchPolicy


def fetch_policy() -> FetchPolicy:
    return FetchPolicy(
        connect_timeout=min(10.0, settings.COMMSDESK_FETCH_TIMEOUT),
        read_timeout=settings.COMMSDESK_FETCH_TIMEOUT,
        max_bytes=settings.COMMSDESK_FETCH_MAX_BYTES,
        max_redirects=settings.COMMSDESK_FETCH_MAX_REDIRECTS,
        user_agent=settings.COMMSDESK_USER_AGENT,
        allow_private_networks=settings.COMMSDESK_ALLOW_PRIVATE_NETWORKS,
        politeness_delay=settings.COMMSDESK_POLITENESS_DELAY,
        respect_robots=settings.COMMSDESK_RESPECT_ROBOTS,
    )


def make_fetcher() -> Fetcher:
    return Fetcher(fetch_policy())


def language_candidates() -> frozenset[str] | None:
    return frozenset(settings.COMMSDESK_LANGUAGES) or None


def make_webhook_poster() -> Fetcher:
    """The same guarded client for alert webhooks: short timeouts, no politeness wait."""
    policy = fetch_policy()
    return Fetcher(
        replace(
            policy,
            connect_timeout=min(policy.connect_timeout, settings.COMMSDESK_WEBHOOK_TIMEOUT),
            read_timeout=settings.COMMSDESK_WEBHOOK_TIMEOUT,
            total_timeout=settings.COMMSDESK_WEBHOOK_TIMEOUT * 3,
            politeness_delay=0.0,
            respect_robots=False,
        )
    )


def make_api_client() -> Fetcher:
    """The same guarded client for public JSON APIs (Wikimedia): robots.txt governs crawlers of
    pages, not calls to an API its owner publishes for programs, so it is not asked."""
    return Fetcher(replace(fetch_policy(), respect_robots=False))
