"""The shell's own pages: the home dashboard and the health check."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone

from commsdesk.monitoring import trends
from commsdesk.monitoring.metrics import coverage_counts
from commsdesk.monitoring.models import Article, FetchLog, Item, Mention, SavedSearch, Source


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


def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and `make run` checks: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"ok": True})
