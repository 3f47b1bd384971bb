"""Records the briefing pack and story bank tests read: a journalist with bylines at an outlet
with an audience, the team's and a peer's coverage there, approved and unapproved materials
(one with a Spanish translation), a fresh and a stale statistic, a Spanish-speaking spokesperson."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.fixtures.articles import stored_article
from tests.relations.roles import client_for, person_in


@dataclass
class Engagements:
    inquiry: object
    opportunity: object
    journalist: object
    outlet: object


@pytest.fixture
def volunteer(team):
    return person_in(team, "volunteer", "vol")


@pytest.fixture
def volunteer_client(volunteer):
    return client_for(volunteer)


@pytest.fixture
def outsider_client(outsider):
    return client_for(outsider)


def _material(team, title, *, kind="talking_points", status="approved", tags=(), **fields):
    from commsdesk.materials.models import Material

    return Material.objects.create(
        team=team, kind=kind, title=title, status=status, tags=list(tags), version=1, **fields
    )


@pytest.fixture
def engagements(team):
    from commsdesk.campaigns.models import Campaign, KeyMessage, Peer
    from commsdesk.materials.models import KeyStatistic
    from commsdesk.monitoring.models import Mention, Outlet, SavedSearch
    from commsdesk.relations.models import (
        Affiliation,
        Inquiry,
        Journalist,
        SpeakingOpportunity,
        Spokesperson,
    )

    now = timezone.now()
    outlet = Outlet.objects.create(
        name="El Diario Abierto",
        domain="diario.example",
        country="ES",
        tier=1,
        monthly_audience=2_400_000,
        audience_source="Comscore",
        audience_as_of=date(2026, 9, 1),
    )
    old_outlet = Outlet.objects.create(name="La Gaceta Vieja", domain="gaceta.example")
    journalist = Journalist.objects.create(
        team=team,
        name="Lucía Fernández",
        email="lucia@diario.example",
        phone="+34 600 000 000",
        beats=["technology", "open knowledge"],
        languages=["es", "en"],
        bylines=["L. Fernández"],
    )
    Affiliation.objects.create(
        journalist=journalist, outlet=outlet, title="Tech editor", since=date(2024, 1, 1)
    )
    Affiliation.objects.create(
        journalist=journalist,
        outlet=old_outlet,
        since=date(2019, 1, 1),
        until=date(2023, 12, 31),
    )
    stored_article(
        "by-lucia",
        title="Wikipedia en el aula",
        language="es",
        authors=["L. Fernández"],
        outlet=outlet,
        sort_at=now - timedelta(days=3),
    )
    stored_article(
        "by-someone-else",
        title="Nothing to do with her",
        authors=["Pedro Ruiz"],
        outlet=outlet,
        sort_at=now - timedelta(days=2),
    )
    ours = SavedSearch.objects.create(team=team, name="Wikipedia", query="wikipedia")
    theirs = SavedSearch.objects.create(team=team, name="OpenEncyclo", query="openencyclo")
    campaign = Campaign.objects.create(
        team=team, name="Education drive", starts_on=now.date() - timedelta(days=30)
    )
    campaign.searches.add(ours)
    KeyMessage.objects.create(
        campaign=campaign,
        text="Wikipedia helps teachers in education",
        phrasings={"es": ["Wikipedia ayuda al profesorado"]},
    )
    Peer.objects.create(campaign=campaign, name="OpenEncyclo Foundation", saved_search=theirs)
    for slug, search, stance, days in [
        ("ours-recent", ours, "positive", 5),
        ("peer-recent", theirs, "negative", 10),
        ("ours-old", ours, "positive", 120),
    ]:
        article = stored_article(
            slug, title=f"Article {slug}", outlet=outlet, sort_at=now - timedelta(days=days)
        )
        Mention.objects.create(
            saved_search=search, article=article, sort_at=article.sort_at, stance=stance
        )
    points = _material(
        team, "Wikipedia in education: talking points", tags=["education"], body="- Teachers use it"
    )
    _material(
        team,
        "Puntos: Wikipedia en la educación",
        language="es",
        body="- El profesorado la usa",
        translation_of=points,
        source_version=1,
    )
    _material(team, "Education draft points (not approved)", status="draft", tags=["education"])
    _material(team, "Unrelated approved points", tags=["elections"])
    _material(
        team,
        "Holding line on education",
        kind="holding_statement",
        tags=["education"],
        body="We are looking into it.",
    )
    KeyStatistic.objects.create(
        team=team,
        name="Active editors",
        slug="editors",
        value=Decimal("265000"),
        unit="editors",
        status="approved",
        as_of=now.date(),
    )
    KeyStatistic.objects.create(
        team=team,
        name="Articles in Spanish",
        slug="articles-es",
        value=Decimal("1900000"),
        unit="articles",
        status="approved",
        as_of=now.date() - timedelta(days=400),
        max_age_days=90,
    )
    speaker = Spokesperson.objects.create(
        team=team,
        name="Marta Gómez",
        email="marta@example.org",
        phone="+34 611 111 111",
        languages=["es", "en"],
        topics=["education"],
        approval="any",
    )
    inquiry = Inquiry.objects.create(
        team=team,
        journalist=journalist,
        outlet=outlet,
        topic="Wikipedia in education",
        questions="How many teachers use Wikipedia?",
        spokesperson=speaker,
    )
    opportunity = SpeakingOpportunity.objects.create(
        team=team,
        title="Radio interview on open education",
        kind="interview",
        speaker=speaker,
        topics=["education"],
    )
    return Engagements(inquiry, opportunity, journalist, outlet)
