"""The shell's own pages: the home dashboard and the areas later releases fill."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone

from commsdesk.monitoring import trends
from commsdesk.monitoring.metrics import coverage_counts
from commsdesk.monitoring.models import Article, FetchLog, Item, Mention, SavedSearch, Source

AREAS = {
    "materials": (
        "Materials",
        "FAQs, briefings, press kits, talking points and key statistics "
        "with owners, versions and translations.",
    ),
}


@login_required
def home(request: HttpRequest) -> HttpResponse:
    today = timezone.now() - timedelta(hours=24)
    recent = Article.objects.filter(fetched_at__gte=today)
    context = {
        "today": coverage_counts(recent),
        "total_count": Article.objects.count(),
        "by_language": recent.values("language").annotate(n=Count("id")).order_by("-n")[:12],
        "latest": Article.objects.select_related("outlet", "source")[:12],
        "failing": Source.objects.failing()[:10],
        "source_count": Source.objects.count(),
        "pending": Item.objects.filter(state__in=[Item.State.PENDING, Item.State.RETRY]).count(),
        "recent_fetches": FetchLog.objects.select_related("source")[:8],
        "breaking": trends.breaking(timezone.now(), rules=trends.BreakingRules(limit=5)),
        "my_searches": _searches_today(request, since=today),
    }
    return render(request, "web/home.html", context)


def _searches_today(request: HttpRequest, *, since) -> list:
    """The person's team searches with what they found in the last 24 hours, busiest first."""
    return list(
        SavedSearch.objects.for_team(request.user)
        .annotate(
            today=Count("mentions", filter=Q(mentions__matched_at__gte=since)),
            unread=Count("mentions", filter=Q(mentions__state=Mention.State.NEW)),
        )
        .order_by("-today", "name")[:8]
    )


@login_required
def area(request: HttpRequest, key: str) -> HttpResponse:
    if key not in AREAS:
        raise Http404
    title, blurb = AREAS[key]
    return render(request, "web/area.html", {"area": key, "title": title, "blurb": blurb})


def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and `make run` checks: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"ok": True})
