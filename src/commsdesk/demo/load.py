"""Loads the demo into the database: a demo login, the demo outlets and one source per feed
(plus one on a port where nothing listens), and the materials library (`demo.library`).
Idempotent: running it twice changes nothing.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from commsdesk.accounts.models import Membership, Team
from commsdesk.campaigns.models import KPI, Campaign, KeyMessage
from commsdesk.demo.content import OUTLETS
from commsdesk.demo.library import load_library
from commsdesk.demo.newsroom import Newsroom
from commsdesk.demo.operations import load_operations
from commsdesk.monitoring import attention
from commsdesk.monitoring.models import Outlet, SavedSearch, Source
from commsdesk.pipeline.pageviews import WikiPage

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
    team = _load_team(user)
    load_library(team, user, newsroom)
    load_operations(team, user)
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


def _load_team(user) -> Team:
    team, _ = Team.objects.get_or_create(slug="communications", defaults={"name": "Communications"})
    Membership.objects.get_or_create(user=user, team=team, defaults={"role": "admin"})
    searches = [
        SavedSearch.objects.get_or_create(
            team=team,
            name=name,
            defaults={"query": query, "languages": languages, "owner": user},
        )[0]
        for name, query, languages in DEMO_SEARCHES
    ]
    _load_campaign(team, user, searches[:2])
    attention.watch(
        WikiPage("en.wikipedia", "Edit-a-thon"), team=team, user=user, saved_search=searches[1]
    )
    return team


def _load_campaign(team, user, searches) -> None:
    """A campaign over the demo coverage, so its report has something to show at once."""
    campaign, created = Campaign.objects.get_or_create(
        team=team,
        name="Record edit-a-thon",
        defaults={
            "starts_on": timezone.localdate() - timedelta(days=14),
            "objectives": "Get the edit-a-thon covered in at least four languages and tier-1 "
            "outlets, with the message that local knowledge belongs to local people.",
            "audiences": "Librarians, universities, potential volunteers.",
            "created_by": user,
        },
    )
    if not created:
        return
    campaign.searches.set(searches)
    KPI.objects.create(
        campaign=campaign, name="Stories", level="output", metric="stories", target=8
    )
    KPI.objects.create(
        campaign=campaign, name="Outlets", level="output", metric="outlets", target=6
    )
    KeyMessage.objects.create(
        campaign=campaign,
        text="Knowledge about a place should be written by the people who live there",
        phrasings={"en": ["written by the people who live there"]},
    )
