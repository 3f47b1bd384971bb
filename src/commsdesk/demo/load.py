"""Loads the demo into the database: a demo login, the demo outlets and one source per feed
(plus one on a port where nothing listens). Idempotent: running it twice changes nothing.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model

from commsdesk.accounts.models import Membership, Team
from commsdesk.demo.content import OUTLETS
from commsdesk.demo.newsroom import Newsroom
from commsdesk.monitoring.models import Outlet, SavedSearch, Source

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo-newsroom"  # printed by `commsdesk run --demo`; local demo only
UNREACHABLE_FEED = "http://127.0.0.1:9/offline-gazette/feed.xml"  # discard port: nothing answers


# Saved searches a comms team of the demo's fictional foundation would keep.
DEMO_SEARCHES = (
    ("Our organisation", 'OpenPedia OR "Free Knowledge Foundation"', []),
    (
        "Edit-a-thons and volunteers",
        "(edit-a-thon* OR volunteer*) AND (article* OR encyclopedia)",
        [],
    ),
    ("Coverage in Spanish", "OpenPedia OR fundación", ["es"]),
)


def load_demo(newsroom: Newsroom) -> int:
    """Create the demo user, team, searches, outlets and sources; returns how many sources
    were created."""
    user_model = get_user_model()
    user = user_model.objects.filter(username=DEMO_USERNAME).first()
    if user is None:
        user = user_model.objects.create_superuser(
            DEMO_USERNAME, "demo@example.org", DEMO_PASSWORD, first_name="Demo"
        )
    _load_team(user)
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


def _load_team(user) -> None:
    team, _ = Team.objects.get_or_create(slug="communications", defaults={"name": "Communications"})
    Membership.objects.get_or_create(user=user, team=team, defaults={"role": "admin"})
    for name, query, languages in DEMO_SEARCHES:
        SavedSearch.objects.get_or_create(
            team=team,
            name=name,
            defaults={"query": query, "languages": languages, "owner": user},
        )
