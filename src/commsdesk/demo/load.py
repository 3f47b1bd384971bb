"""Loads the demo into the database: a demo login, the demo outlets and one source per feed
(plus one on a port where nothing listens). Idempotent: running it twice changes nothing.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model

from commsdesk.demo.content import OUTLETS
from commsdesk.demo.newsroom import Newsroom
from commsdesk.monitoring.models import Outlet, Source

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo-newsroom"  # printed by `commsdesk run --demo`; local demo only
UNREACHABLE_FEED = "http://127.0.0.1:9/offline-gazette/feed.xml"  # discard port: nothing answers


def load_demo(newsroom: Newsroom) -> int:
    """Create the demo user, outlets and sources; returns how many sources were created."""
    user_model = get_user_model()
    if not user_model.objects.filter(username=DEMO_USERNAME).exists():
        user_model.objects.create_superuser(
            DEMO_USERNAME, "demo@example.org", DEMO_PASSWORD, first_name="Demo"
        )
    created = 0
    for demo in OUTLETS:
        outlet, _ = Outlet.objects.get_or_create(
            domain=f"{demo.key}.demo",
            defaults={
                "name": demo.name,
                "country": demo.country,
                "languages": demo.language,
                "type": demo.type,
                "tier": demo.tier,
                "monthly_audience": demo.audience,
                "audience_source": "demo figure written for commsdesk",
            },
        )
        _, was_created = Source.objects.get_or_create(
            url=newsroom.feed_url(demo),
            defaults={
                "name": demo.name,
                "kind": {"atom": "atom", "json": "json"}.get(demo.feed_format, "rss"),
                "outlet": outlet,
                "language": demo.language,
                "country": demo.country,
                "interval_minutes": 1,
            },
        )
        created += was_created
    _, was_created = Source.objects.get_or_create(
        url=UNREACHABLE_FEED,
        defaults={"name": "Offline Gazette (unreachable)", "interval_minutes": 1},
    )
    return created + was_created
