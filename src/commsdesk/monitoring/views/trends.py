"""The trends page: mentions over time with spikes marked, the spikes and why, emerging terms
per language, breaking stories. Scoped to the person's teams; the work is in `monitoring.trends`.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from commsdesk.monitoring import trends
from commsdesk.monitoring.models import Article, SavedSearch, Spike

MAX_CHARTS = 12  # searches charted at once when none is chosen
SPIKES_SHOWN = 20


@login_required
def trends_page(request: HttpRequest) -> HttpResponse:
    searches = SavedSearch.objects.for_team(request.user)
    search = _chosen(searches, request.GET.get("search", ""))
    scale = "day" if request.GET.get("scale") == "day" else "hour"
    languages = Article.objects.languages()
    language = request.GET.get("language", "")
    now = timezone.now()
    shown = [search] if search else list(searches[:MAX_CHARTS])
    context = {
        "searches": searches,
        "search": search,
        "scale": scale,
        "languages": languages,
        "language": language if language in languages else "",
        "charts": _charts(shown, scale, now),
        "spikes": Spike.objects.filter(saved_search__in=shown)
        .select_related("saved_search")
        .order_by("-hour")[:SPIKES_SHOWN],
        "emerging": _emerging(now, search, language if language in languages else ""),
        "breaking": trends.breaking(now, search),
    }
    return render(request, "monitoring/trends.html", context)


def _chosen(searches, raw: str) -> SavedSearch | None:
    if not raw:
        return None
    if not raw.isdigit():
        raise Http404("No such saved search")
    return get_object_or_404(searches, pk=int(raw))


def _charts(shown: list[SavedSearch], scale: str, now) -> list[dict]:
    start, end = trends.chart_window(scale, now)
    ids = [s.pk for s in shown]
    bucket = trends.hourly_counts if scale == "hour" else trends.daily_counts
    counts = bucket(ids, start, end)
    spikes: dict[int, list[Spike]] = {pk: [] for pk in ids}
    for spike in Spike.objects.filter(saved_search_id__in=ids, hour__gte=start):
        spikes[spike.saved_search_id].append(spike)
    return [
        {
            "search": s,
            "total": sum(counts.get(s.pk, {}).values()),
            "spike_count": len(spikes[s.pk]),
            "svg": trends.mention_chart(
                s, counts.get(s.pk, {}), spikes[s.pk], scale=scale, now=now
            ),
        }
        for s in shown
    ]


def _emerging(now, search: SavedSearch | None, language: str) -> list[dict]:
    chosen = [language] if language else trends.active_languages(now, search, limit=3)
    out = []
    for code in chosen:
        terms = trends.emerging(now, code, search)
        out.append(
            {
                "language": code,
                "terms": terms,
                "svg": trends.terms_chart(code, terms) if terms else "",
            }
        )
    return out
