"""Archive pages: the newest-first article list with search and filters, one article, a clip.

Views stay thin: fetching and storing go through `ingest`, searching through `search`.
"""

from __future__ import annotations

from datetime import datetime, time

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from commsdesk.ingest import items as ingest_items
from commsdesk.ingest.fetching import make_fetcher
from commsdesk.ingest.social import PLATFORM_NAMES
from commsdesk.monitoring import search, sentiment
from commsdesk.monitoring.forms import ArticleFilterForm, ClipForm
from commsdesk.monitoring.models import Article, Item

PAGE_SIZE = 50


def _day_bound(day, end: bool) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.max if end else time.min))


def filtered_articles(form: ArticleFilterForm):
    articles = Article.objects.select_related("outlet", "source")
    if not form.is_valid():
        return articles
    data = form.cleaned_data
    for field in ("source", "outlet"):
        if data[field]:
            articles = articles.filter(**{field: data[field]})
    if data["language"]:
        articles = articles.filter(language=data["language"].lower())
    if data["country"]:
        articles = articles.filter(country=data["country"].upper())
    if data["since"]:
        articles = articles.filter(sort_at__gte=_day_bound(data["since"], end=False))
    if data["until"]:
        articles = articles.filter(sort_at__lte=_day_bound(data["until"], end=True))
    if data.get("kind") in ("post", "article"):
        articles = articles.filter(post__isnull=data["kind"] == "article")
    return articles


@login_required
def articles(request: HttpRequest) -> HttpResponse:
    form = ArticleFilterForm(request.GET or None)
    try:
        page = max(1, int(request.GET.get("page", 1)))
    except ValueError:
        page = 1
    # No COUNT(*): at a million rows it costs more than the page itself. One extra row says
    # whether there is a next page.
    offset = (page - 1) * PAGE_SIZE
    text = form.cleaned_data["q"] if form.is_valid() else ""
    try:
        rows = search.newest_first(
            filtered_articles(form), text, offset=offset, limit=PAGE_SIZE + 1
        )
        error = None
    except search.QueryError as exc:
        rows, error = [], exc
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "form": form,
        "articles": rows[:PAGE_SIZE],
        "page": page,
        "has_next": len(rows) > PAGE_SIZE,
        "query_string": params.urlencode(),
        "query_error": error,
        "languages": Article.objects.languages(),
    }
    template = "monitoring/_results.html" if request.htmx else "monitoring/articles.html"
    return render(request, template, context)


@login_required
def article(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(Article.objects.select_related("outlet", "source", "story"), pk=pk)
    also = 0
    if item.story_id:
        others = Article.objects.filter(story_id=item.story_id).exclude(pk=item.pk)
        if item.outlet_id:
            others = others.exclude(outlet_id=item.outlet_id)
        also = others.exclude(outlet=None).values("outlet_id").distinct().count()
    context = {
        "article": item,
        "also_published": also,
        "paragraphs": sentiment.marked_paragraphs(item),
        "not_analysed": sentiment.not_analysed_reason(item.language, item.sentiment_by),
        "accuracy": sentiment.accuracy_note(item.language),
        "post": _post_context(item, request.user) if item.post else None,
    }
    return render(request, "monitoring/article.html", context)


def _post_context(item: Article, user) -> dict:
    """A post's details for its page, with the journalists of the user's teams who use that
    handle on that platform (relations is looked up by name: it depends on monitoring)."""
    post = dict(item.post or {})
    read_at = post.get("engagement_read_at")
    post["read_at"] = datetime.fromisoformat(read_at) if read_at else None
    post["platform_name"] = PLATFORM_NAMES.get(post.get("platform", ""), post.get("platform", ""))
    handle = post.get("handle", "")
    journalist_model = apps.get_model("relations", "Journalist")
    variants = {handle, handle.lstrip("@"), handle.removeprefix("u/")} - {""}
    post["people"] = (
        list(
            journalist_model.objects.for_team(user).filter(
                **{f"social__{post.get('platform', 'x')}__in": sorted(variants)}
            )[:3]
        )
        if variants
        else []
    )
    return post


@login_required
def clip(request: HttpRequest) -> HttpResponse:
    form = ClipForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with make_fetcher() as fetcher:
            try:
                item, stored = ingest_items.clip(form.cleaned_data["url"], fetcher)
            except ValueError as exc:
                form.add_error("url", str(exc))
                return render(request, "monitoring/clip.html", {"form": form})
        if stored is not None:
            verb = "Added" if item.state == Item.State.STORED else "Already in the archive:"
            messages.success(request, f"{verb} “{stored.title}”.")
            return redirect("monitoring:article", stored.pk)
        form.add_error("url", f"Could not add this page ({item.state}): {item.reason}")
    return render(request, "monitoring/clip.html", {"form": form})
