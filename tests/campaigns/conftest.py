"""A hand-built campaign with known answers (worked out in the comments) for the metric,
report and page tests: March 2026, one syndicated story, a peer-only tier-1 outlet, a hidden
mention, a second search finding an article again, sentiment at every level of precedence."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import pytest

from commsdesk.campaigns.models import KPI, Campaign, KeyMessage, KPIEntry, MessagePresence, Peer
from commsdesk.campaigns.periods import Period
from commsdesk.monitoring.models import Article, Mention, Outlet, SavedSearch, Story

MARCH = Period(date(2026, 3, 1), date(2026, 3, 31))


def at(day: int, month: int = 3) -> datetime:
    return datetime(2026, month, day, 12, tzinfo=UTC)


def article(
    slug: str, outlet: Outlet | None, when: datetime, *, story=None, language="en", **fields
):
    url = f"https://{outlet.domain if outlet else 'x.example'}/{slug}"
    return Article.objects.create(
        url=url,
        canonical_url=url,
        url_hash=hashlib.sha256(url.encode()).hexdigest(),
        title=f"Title {slug}",
        text=f"Text of {slug}.",
        language=language,
        outlet=outlet,
        story=story,
        sort_at=when,
        published_at=when,
        **fields,
    )


def mention(search: SavedSearch, found: Article, **fields) -> Mention:
    return Mention.objects.create(
        saved_search=search, article=found, sort_at=found.sort_at, **fields
    )


@dataclass
class Built:
    campaign: Campaign
    ours: SavedSearch
    ours_es: SavedSearch
    peer_a: Peer
    peer_b: Peer
    outlets: dict[str, Outlet]
    articles: dict[str, Article]
    mentions: dict[str, Mention] = field(default_factory=dict)
    message: KeyMessage | None = None


@pytest.fixture
def built(team) -> Built:
    """Own coverage in March (visible): syndicated story S1 on wire, paper1, paper2; A4 on
    paper1 (no story); A5 on paper3 in Spanish (story S2), found by both own searches; A6 hidden.

    stories 3 (S1, A4, S2) · placements 5 · outlets 4
    reach = 1,000,000 (wire) + 500 (paper1: 200 floored) + 50,000 (paper3) = 1,050,500;
            paper2 has no audience figure
    share of voice: own 5 articles; peer A 2 (global, wire); peer B 1 (paper3) → 5/8 = 62.5%
    attention: 3 own stories of 7 stories in March (S1, A4, S2, A6, P1, P2, U1) → 42.86%
    sentiment per mention: S1a override positive (stance negative), S1b stance negative
      (article positive), S1c article positive, A4 nothing, A5 ×2 article neutral
      → +2 −1 =2, 1 not analysed, 1 overridden of 6, net (2−1)/(2+1) = 0.333
    pull-through of M1: S1a lead, S1b body, A5 body → 2 of 3 stories (1 lead, 1 body only)
    February: 4 Spanish stories → March 1: Spanish fell 75%
    """
    outlets = {
        "wire": Outlet.objects.create(
            name="Wire",
            domain="wire.example",
            tier=1,
            monthly_audience=1_000_000,
            audience_source="Comscore",
            audience_as_of=date(2026, 1, 1),
            type="wire",
            country="GB",
        ),
        "paper1": Outlet.objects.create(
            name="Paper One", domain="one.example", tier=2, monthly_audience=200, country="KE"
        ),
        "paper2": Outlet.objects.create(name="Paper Two", domain="two.example", tier=1),
        "paper3": Outlet.objects.create(
            name="Diario Tres",
            domain="tres.example",
            tier=3,
            monthly_audience=50_000,
            country="AR",
            type="national",
        ),
        "global": Outlet.objects.create(
            name="Global Times", domain="global.example", tier=1, monthly_audience=10_000
        ),
    }
    ours = SavedSearch.objects.create(team=team, name="Us", query="us")
    ours_es = SavedSearch.objects.create(team=team, name="Us (es)", query="nosotros")
    theirs_a = SavedSearch.objects.create(team=team, name="Peer A", query="a")
    theirs_b = SavedSearch.objects.create(team=team, name="Peer B", query="b")
    campaign = Campaign.objects.create(
        team=team, name="Open knowledge week", starts_on=date(2026, 2, 1), objectives="Be heard."
    )
    campaign.searches.set([ours, ours_es])
    peer_a = Peer.objects.create(campaign=campaign, name="Peer A", saved_search=theirs_a)
    peer_b = Peer.objects.create(campaign=campaign, name="Peer B", saved_search=theirs_b)
    s1, s2 = Story.objects.create(), Story.objects.create()
    o = outlets
    a = {
        "S1a": article("s1a", o["wire"], at(3), story=s1, sentiment="negative"),
        "S1b": article("s1b", o["paper1"], at(3), story=s1, sentiment="positive"),
        "S1c": article("s1c", o["paper2"], at(4), story=s1, sentiment="positive"),
        "A4": article("a4", o["paper1"], at(10)),
        "A5": article("a5", o["paper3"], at(12), story=s2, language="es", sentiment="neutral"),
        "A6": article("a6", o["paper3"], at(13), language="es"),
        "P1": article("p1", o["global"], at(14)),
        "P2": article("p2", o["paper3"], at(15), language="es"),
        "U1": article("u1", None, at(16)),
    }
    for n in range(4):  # February: four Spanish stories
        a[f"F{n}"] = article(f"f{n}", o["paper3"], at(5 + n, month=2), language="es")
    m = {
        "S1a": mention(ours, a["S1a"], sentiment_override="positive", stance="negative"),
        "S1b": mention(ours, a["S1b"], stance="negative"),
        "S1c": mention(ours, a["S1c"]),
        "A4": mention(ours, a["A4"]),
        "A5": mention(ours, a["A5"]),
        "A5es": mention(ours_es, a["A5"]),
        "A6": mention(ours, a["A6"], state=Mention.State.HIDDEN),
        "P1": mention(theirs_a, a["P1"]),
        "S1a-peer": mention(theirs_a, a["S1a"]),
        "P2": mention(theirs_b, a["P2"]),
    }
    for n in range(4):
        m[f"F{n}"] = mention(ours_es, a[f"F{n}"])
    message = KeyMessage.objects.create(
        campaign=campaign, text="Knowledge belongs to everyone", phrasings={"en": ["knowledge"]}
    )
    for key, prominence in (("S1a", 2), ("S1b", 1), ("A5", 1), ("A4", 0)):
        MessagePresence.objects.create(
            key_message=message, article=a[key], prominence=prominence, score=90, language="en"
        )
    KPI.objects.create(campaign=campaign, name="Stories", metric="stories", target=10)
    donations = KPI.objects.create(
        campaign=campaign, name="Donations", metric="manual", level="impact", target=1000
    )
    KPIEntry.objects.create(kpi=donations, value=100, as_of=date(2026, 3, 10), source="CRM")
    KPIEntry.objects.create(kpi=donations, value=200, as_of=date(2026, 4, 5), source="CRM")
    return Built(campaign, ours, ours_es, peer_a, peer_b, outlets, a, m, message)
