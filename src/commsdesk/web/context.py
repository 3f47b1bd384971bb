"""Template context for every page: the navigation and the "sources failing" banner."""

from __future__ import annotations

from django.http import HttpRequest

NAVIGATION = (
    ("home", "Home", "home"),
    ("monitoring", "Articles", "monitoring:articles"),
    ("sources", "Sources", "monitoring:sources"),
    ("searches", "Searches", "area:searches"),
    ("stories", "Stories", "monitoring:stories"),
    ("relations", "Relations", "area:relations"),
    ("campaigns", "Campaigns", "area:campaigns"),
    ("materials", "Materials", "area:materials"),
)


def navigation(request: HttpRequest) -> dict:
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {"navigation": ()}
    from commsdesk.monitoring.models import Source

    return {
        "navigation": NAVIGATION,
        "nav_active": _active(request.path),
        "failing_sources": Source.objects.failing().count(),
    }


def _active(path: str) -> str:
    if path.startswith("/monitoring/sources"):
        return "sources"
    if path.startswith("/monitoring/stories"):
        return "stories"
    first = path.strip("/").split("/")[0]
    return first or "home"
