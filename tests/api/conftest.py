"""API test fixtures: people of each role in `team`, their tokens, and a client that sends a
token as a script would (Authorization: Bearer)."""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache
from django.test import Client

from commsdesk.accounts.models import ApiToken, Membership
from tests.fixtures.contacts import person_in


class ApiClient:
    """Django's test client speaking JSON with a bearer token (or none)."""

    def __init__(self, secret: str | None = None, **headers) -> None:
        self.client = Client(**headers)
        self.headers = {"Authorization": f"Bearer {secret}"} if secret else {}

    def get(self, path: str, params: dict | None = None):
        return self.client.get(_url(path), params or {}, headers=self.headers)

    def _send(self, method: str, path: str, body: dict):
        send = getattr(self.client, method)
        return send(
            _url(path), json.dumps(body), content_type="application/json", headers=self.headers
        )

    def post(self, path: str, body: dict):
        return self._send("post", path, body)

    def patch(self, path: str, body: dict):
        return self._send("patch", path, body)


def _url(path: str) -> str:
    return "/api/v1/" + path.lstrip("/")


@pytest.fixture(autouse=True)
def _quick_passwords(settings):
    """People here sign in with tokens: a fast hasher saves seconds of PBKDF2 per test user."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_rate_counters():
    """Rate-limit counters live in the process's cache: each test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def token_for():
    def issue(user, scope: str = "write", **fields) -> ApiClient:
        _, secret = ApiToken.issue(user, name="test", scope=scope, **fields)
        return ApiClient(secret)

    return issue


@pytest.fixture
def api(member, token_for) -> ApiClient:
    """An editor of `team` with a read-and-write token."""
    return token_for(member)


@pytest.fixture
def reader(member, token_for) -> ApiClient:
    """The same editor with a read-only token."""
    return token_for(member, "read")


@pytest.fixture
def volunteer(team, django_user_model):
    return person_in(team, Membership.Role.VOLUNTEER, django_user_model, "vol")


@pytest.fixture
def viewer(team, django_user_model):
    return person_in(team, Membership.Role.VIEWER, django_user_model, "viewer")


@pytest.fixture
def outsider_api(outsider, token_for) -> ApiClient:
    return token_for(outsider)


@pytest.fixture
def anonymous() -> ApiClient:
    return ApiClient()


@pytest.fixture
def seeded(team, member):
    """One record of every kind the API serves, in `team` (and the shared archive)."""
    from datetime import date

    from django.utils import timezone

    from commsdesk.campaigns.models import Campaign, KeyMessage
    from commsdesk.materials import versions
    from commsdesk.materials.models import Draft, Material
    from commsdesk.monitoring.models import Mention, Outlet, SavedSearch, Source, Story
    from commsdesk.relations.models import Inquiry, Journalist, Spokesperson
    from tests.fixtures.articles import stored_article

    outlet = Outlet.objects.create(name="Gazette", domain="gazette.example", country="GB", tier=1)
    source = Source.objects.create(
        name="Gazette", url="https://gazette.example/feed.xml", outlet=outlet
    )
    story = Story.objects.create()
    articles = [
        stored_article(
            f"a{i}",
            title=title,
            text=text,
            language=lang,
            country="GB",
            source=source,
            outlet=outlet,
            story=story,
        )
        for i, (title, text, lang) in enumerate(
            [
                (
                    "Volunteers write the history of their towns",
                    "Librarians opened archives.",
                    "en",
                ),
                ("Voluntarios escriben la historia", "Las bibliotecas abrieron archivos.", "es"),
                ("Wikipedia turns 25", "Volunteers celebrate in many towns.", "en"),
            ]
        )
    ]
    story.representative = articles[0]
    story.save()
    search = SavedSearch.objects.create(team=team, owner=member, name="Us", query="volunteers")
    mention = Mention.objects.create(
        saved_search=search, article=articles[0], sort_at=articles[0].sort_at, hits=[]
    )
    journalist = Journalist.objects.create(
        team=team,
        name="Ana Reporter",
        email="ana@daily.example",
        phone="+44 20 1234",
        social={"mastodon": "@ana@daily.example"},
    )
    speaker = Spokesperson.objects.create(
        team=team, name="Bo Speaker", email="bo@example.org", phone="+1 555"
    )
    inquiry = Inquiry.objects.create(
        team=team, topic="Anniversary", reporter_email="desk@daily.example", journalist=journalist
    )
    campaign = Campaign.objects.create(
        team=team, name="Birthday", starts_on=date(2026, 1, 1), created_by=member
    )
    campaign.searches.add(search)
    KeyMessage.objects.create(campaign=campaign, text="Volunteers write Wikipedia")
    material = Material(team=team, kind=Material.Kind.FAQ, title="About us", body="We are.")
    material.owner = member
    versions.save(material, author=member, note="Written")
    draft = Draft.objects.create(
        team=team, owner=member, kind=Draft.Kind.BLOG_POST, title="Happy birthday", body="Hi."
    )
    return {
        "outlet": outlet,
        "source": source,
        "story": story,
        "articles": articles,
        "search": search,
        "mention": mention,
        "journalist": journalist,
        "spokesperson": speaker,
        "inquiry": inquiry,
        "campaign": campaign,
        "material": material,
        "draft": draft,
        "now": timezone.now(),
    }
