"""Template context for every page: the navigation and the "sources failing" banner."""

from __future__ import annotations

from django.http import HttpRequest

NAVIGATION = (
    ("home", "Home", "home"),
    ("monitoring", "Articles", "monitoring:articles"),
    ("sources", "Sources", "monitoring:sources"),
    ("searches", "Searches", "monitoring:searches"),
    ("stories", "Stories", "monitoring:stories"),
    ("trends", "Trends", "monitoring:trends"),
    ("relations", "Relations", "relations:overview"),
    ("campaigns", "Campaigns", "campaigns:list"),
    ("materials", "Materials", "materials:library"),
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


# Monitoring pages that belong to another navigation entry than "Articles".
_MONITORING_AREAS = {
    "sources": "sources",
    "searches": "searches",
    "mentions": "searches",
    "names": "searches",
    "query-syntax": "searches",
    "stories": "stories",
    "trends": "trends",
    "attention": "trends",
}


def _active(path: str) -> str:
    parts = path.strip("/").split("/")
    if parts[0] == "monitoring" and len(parts) > 1:
        return _MONITORING_AREAS.get(parts[1], "monitoring")
    return parts[0] or "home"
