"""Monitoring over the API: sources, outlets, the article archive (searched with the saved-search
query language, exactly as the Articles page searches), stories, saved searches and mentions.

Sources, outlets, articles and stories are the installation's shared archive; saved searches and
mentions belong to teams. Writes go through the web pages' own forms.
"""

import base64
from datetime import date, datetime
from typing import Literal

from django.db.models import Q
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from commsdesk.accounts.models import Team
from commsdesk.api.access import require_write, require_write_anywhere, team_for_new
from commsdesk.api.errors import FormRejected
from commsdesk.api.fields import Id, IdItem, OptionalId, Pages, Text, form_data
from commsdesk.ingest.tasks import backfill_mentions
from commsdesk.monitoring import search as archive
from commsdesk.monitoring.forms import (
    ArticleFilterForm,
    MentionForm,
    SavedSearchForm,
    SourceEditForm,
)
from commsdesk.monitoring.models import Article, Mention, Outlet, SavedSearch, Source, Story
from commsdesk.monitoring.views.articles import filtered_articles

router = Router(tags=["monitoring"])


# --- sources and outlets --------------------------------------------------------------------


class OutletOut(Schema):
    id: int
    name: str
    domain: str
    country: str
    languages: str
    type: str
    tier: int | None
    monthly_audience: int | None
    audience_source: str


class SourceOut(Schema):
    id: int
    name: str
    kind: str
    url: str
    outlet_id: int | None
    language: str
    country: str
    active: bool
    status: str = Field(description="ok, new, failing or paused")
    interval_minutes: int
    last_ok_at: datetime | None
    last_error: str
    consecutive_failures: int
    created_at: datetime


class SourceIn(Schema):
    url: Text = Field(description="The feed's own address (RSS, Atom or JSON Feed)")
    name: Text = Field(max_length=200)
    # Feeds only: social sources need their platform's settings, set on the Add source page.
    kind: Literal["rss", "atom", "json"] = "rss"
    outlet: OptionalId = None
    language: Text = Field("", max_length=8)
    country: Text = Field("", max_length=2)
    interval_minutes: int = Field(30, ge=5, le=7 * 24 * 60)
    active: bool = True


@router.get("/sources", response=list[SourceOut])
@paginate(Pages)
def list_sources(request: HttpRequest, status: Text | None = None):
    rows = Source.objects.order_by("name", "id")
    if status == "failing":
        rows = rows.failing()
    elif status == "paused":
        rows = rows.filter(active=False)
    return rows


@router.get("/sources/{pk}", response=SourceOut)
def get_source(request: HttpRequest, pk: Id):
    return get_object_or_404(Source, pk=pk)


@router.post("/sources", response={201: SourceOut})
def create_source(request: HttpRequest, body: SourceIn):
    """Add a feed by its own address; the scheduler fetches it within a minute or two."""
    require_write_anywhere(request)
    form = SourceEditForm(form_data(body.dict()))
    if not form.is_valid():
        raise FormRejected(form)
    source = form.save(commit=False)
    source.kind, source.next_fetch_at = body.kind, timezone.now()
    source.save()
    return Status(201, source)


@router.get("/outlets", response=list[OutletOut])
@paginate(Pages)
def list_outlets(request: HttpRequest, q: Text | None = None, country: Text | None = None):
    rows = Outlet.objects.order_by("name", "id")
    if q:
        rows = rows.filter(Q(name__icontains=q) | Q(domain__icontains=q))
    if country:
        rows = rows.filter(country__iexact=country)
    return rows


@router.get("/outlets/{pk}", response=OutletOut)
def get_outlet(request: HttpRequest, pk: Id):
    return get_object_or_404(Outlet, pk=pk)


# --- articles -------------------------------------------------------------------------------


class ArticleOut(Schema):
    id: int
    url: str
    canonical_url: str
    title: str
    language: str
    country: str
    authors: list[str]
    published_at: datetime | None
    fetched_at: datetime
    sort_at: datetime
    source_id: int | None
    outlet_id: int | None
    outlet_name: str | None = Field(None, alias="outlet.name")
    story_id: int | None
    sentiment: str | None
    sentiment_score: float | None


class ArticleFull(ArticleOut):
    text: str


class ArticlePage(Schema):
    items: list[ArticleOut]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next (older) page")


class ArticleFilters(Schema):
    q: Text = Field("", description="The query language of saved searches", max_length=2000)
    source: OptionalId = None
    outlet: OptionalId = None
    language: Text = Field("", max_length=8)
    country: Text = Field("", max_length=2)
    since: date | None = None
    until: date | None = None
    cursor: Text | None = Field(None, max_length=200)
    limit: int = Field(50, ge=1, le=200)


def _cursor(article: Article) -> str:
    raw = f"{article.sort_at.isoformat()}|{article.pk}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _after(cursor: str) -> Q:
    """Articles older than the one the cursor names (newest-first order: sort_at, then id)."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        stamp, pk = raw.split("|")
        moment, pk = datetime.fromisoformat(stamp), int(pk)
        if moment.tzinfo is None:
            raise ValueError
    except ValueError:
        raise HttpError(400, "This cursor is not one the API gave out.") from None
    return Q(sort_at__lt=moment) | Q(sort_at=moment, pk__lt=pk)


@router.get("/articles", response=ArticlePage)
def list_articles(request: HttpRequest, filters: Query[ArticleFilters]):
    """The archive newest first, searched and filtered exactly as on the Articles page."""
    params = filters.dict(exclude={"cursor", "limit"})
    form = ArticleFilterForm(form_data(params))
    if not form.is_valid():
        raise FormRejected(form)
    rows = filtered_articles(form)
    if filters.cursor:
        rows = rows.filter(_after(filters.cursor))
    try:
        found = archive.newest_first(
            rows, form.cleaned_data["q"], offset=0, limit=filters.limit + 1
        )
    except archive.QueryError as exc:
        raise HttpError(400, f"{exc.message} (at character {exc.position + 1})") from None
    page = found[: filters.limit]
    more = len(found) > filters.limit
    return {"items": page, "next_cursor": _cursor(page[-1]) if more else None}


@router.get("/articles/{pk}", response=ArticleFull)
def get_article(request: HttpRequest, pk: Id):
    return get_object_or_404(Article.objects.select_related("outlet"), pk=pk)


# --- stories --------------------------------------------------------------------------------


class StoryOut(Schema):
    id: int
    first_seen: datetime
    last_seen: datetime
    size: int = Field(description="Placements (articles)")
    outlet_count: int
    representative_id: int | None
    title: str | None = Field(None, alias="representative.title")


class StoryFull(StoryOut):
    articles: list[ArticleOut]

    @staticmethod
    def resolve_articles(obj: Story) -> list[Article]:
        return list(obj.articles.select_related("outlet").order_by("-sort_at", "-id")[:500])


@router.get("/stories", response=list[StoryOut])
@paginate(Pages)
def list_stories(request: HttpRequest, min_size: int = Query(1, ge=1, le=1_000_000)):
    """Stories with the newest placement first."""
    rows = Story.objects.select_related("representative").filter(size__gte=min_size)
    return rows.order_by("-last_seen", "-id")


@router.get("/stories/{pk}", response=StoryFull)
def get_story(request: HttpRequest, pk: Id):
    return get_object_or_404(Story.objects.select_related("representative"), pk=pk)


# --- saved searches and mentions ------------------------------------------------------------


class SavedSearchOut(Schema):
    id: int
    team_id: int
    owner_id: int | None
    name: str
    query: str
    languages: list[str]
    countries: list[str]
    tiers: list[int]
    sources: list[int]
    outlets: list[int]
    name_languages: list[str]
    muted: bool
    created_at: datetime
    updated_at: datetime
    last_matched_at: datetime | None

    @staticmethod
    def resolve_sources(obj: SavedSearch) -> list[int]:
        return [s.pk for s in obj.sources.all()]

    @staticmethod
    def resolve_outlets(obj: SavedSearch) -> list[int]:
        return [o.pk for o in obj.outlets.all()]


class SavedSearchIn(Schema):
    team: OptionalId = Field(None, description="One of your teams; default: your first")
    name: Text = Field(max_length=200)
    query: Text = Field(max_length=5000)
    languages: list[Text] = []
    countries: list[Text] = []
    tiers: list[int] = Field([], description="Outlet tiers 1-3")
    sources: list[IdItem] = []
    outlets: list[IdItem] = []
    name_languages: list[Text] = []
    muted: bool = False


class SavedSearchPatch(Schema):
    name: Text | None = Field(None, max_length=200)
    query: Text | None = Field(None, max_length=5000)
    languages: list[Text] | None = None
    countries: list[Text] | None = None
    tiers: list[int] | None = None
    sources: list[IdItem] | None = None
    outlets: list[IdItem] | None = None
    name_languages: list[Text] | None = None
    muted: bool | None = None


_CODE_LISTS = ("languages", "countries", "name_languages")


def _searches(request: HttpRequest):
    return SavedSearch.objects.for_team(request.user).prefetch_related("sources", "outlets")


def _save_search(form: SavedSearchForm, team: Team | None, request: HttpRequest) -> SavedSearch:
    if not form.is_valid():
        raise FormRejected(form)
    saved = form.save(commit=False)
    if team is not None:
        saved.team, saved.owner = team, request.user
    saved.save()
    form.save_m2m()
    saved.save()  # after the filters: updated_at tells workers to recompile
    backfill_mentions.enqueue(saved.pk)
    return _searches(request).get(pk=saved.pk)


@router.get("/searches", response=list[SavedSearchOut])
@paginate(Pages)
def list_searches(request: HttpRequest):
    return _searches(request).order_by("name", "id")


@router.get("/searches/{pk}", response=SavedSearchOut)
def get_search(request: HttpRequest, pk: Id):
    return get_object_or_404(_searches(request), pk=pk)


@router.post("/searches", response={201: SavedSearchOut})
def create_search(request: HttpRequest, body: SavedSearchIn):
    """Save a search; matches of the last 30 days are collected as mentions in the background."""
    team = team_for_new(request, body.team)
    data = form_data(body.dict(exclude={"team"}), joined=_CODE_LISTS)
    return Status(201, _save_search(SavedSearchForm(data, team_id=team.pk), team, request))


@router.patch("/searches/{pk}", response=SavedSearchOut)
def update_search(request: HttpRequest, pk: Id, body: SavedSearchPatch):
    """Change some fields; the others keep their values."""
    saved = get_object_or_404(_searches(request), pk=pk)
    require_write(request, saved.team_id)
    current = SavedSearchIn(
        name=saved.name,
        query=saved.query,
        languages=saved.languages,
        countries=saved.countries,
        tiers=saved.tiers,
        sources=[s.pk for s in saved.sources.all()],
        outlets=[o.pk for o in saved.outlets.all()],
        name_languages=saved.name_languages,
        muted=saved.muted,
    ).dict(exclude={"team"})
    current.update(body.dict(exclude_unset=True, exclude_none=True))
    form = SavedSearchForm(
        form_data(current, joined=_CODE_LISTS), instance=saved, team_id=saved.team_id
    )
    return _save_search(form, None, request)


class MentionOut(Schema):
    id: int
    saved_search_id: int
    article: ArticleOut
    matched_at: datetime
    hits: list[dict[str, str]] = Field(description="Which terms hit, in which field")
    state: str
    tags: list[str]
    note: str
    sentiment_override: str
    stance: str | None
    curated_by_id: int | None
    curated_at: datetime | None


class MentionPatch(Schema):
    state: Mention.State | None = None
    tags: list[Text] | None = Field(None, description="Replaces the tags")
    note: Text | None = Field(None, max_length=10_000)
    sentiment_override: Literal["positive", "neutral", "negative", ""] | None = Field(
        None, description='positive, neutral, negative, or "" to clear'
    )


def _mentions(request: HttpRequest):
    teams = Team.objects.of(request.user)
    return Mention.objects.filter(saved_search__team__in=teams).select_related(
        "article", "article__outlet"
    )


@router.get("/searches/{pk}/mentions", response=list[MentionOut])
@paginate(Pages)
def list_mentions(request: HttpRequest, pk: Id, state: Mention.State | None = None):
    """A search's mentions, newest first; without `state`, new and kept ones (not hidden)."""
    saved = get_object_or_404(SavedSearch.objects.for_team(request.user), pk=pk)
    rows = _mentions(request).filter(saved_search=saved)
    rows = rows.filter(state=state) if state else rows.exclude(state=Mention.State.HIDDEN)
    return rows.order_by("-sort_at", "-id")


@router.get("/mentions/{pk}", response=MentionOut)
def get_mention(request: HttpRequest, pk: Id):
    return get_object_or_404(_mentions(request), pk=pk)


@router.patch("/mentions/{pk}", response=MentionOut)
def curate_mention(request: HttpRequest, pk: Id, body: MentionPatch):
    """Keep or hide a mention, set its tags, note or sentiment."""
    mention = get_object_or_404(_mentions(request).select_related("saved_search"), pk=pk)
    require_write(request, mention.saved_search.team_id)
    current = {
        "state": mention.state,
        "tags": mention.tags,
        "note": mention.note,
        "sentiment_override": mention.sentiment_override,
    }
    current.update(body.dict(exclude_unset=True, exclude_none=True))
    form = MentionForm(form_data(current, joined=("tags",)), instance=mention)
    if not form.is_valid():
        raise FormRejected(form)
    curated = form.save(commit=False)
    curated.curated_by, curated.curated_at = request.user, timezone.now()
    curated.save()
    return _mentions(request).get(pk=pk)
