"""Template context for every page: the navigation and the "sources failing" banner."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

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
    ("operations", "Operations", "operations:calendar"),
)


# Tabs under an area's menu entry: (first path segment after the area, label, URL name).
AREA_TABS = {
    "materials": (
        ("", "Library", "materials:library"),
        ("drafts", "Drafts", "materials:drafts"),
        ("statistics", "Key statistics", "materials:statistics"),
        ("press-kits", "Press kits and press room", "materials:kits"),
    ),
    "operations": (
        ("calendar", "Calendar", "operations:calendar"),
        ("incidents", "Crisis room", "operations:incidents"),
        ("briefings", "Briefings", "operations:briefings"),
        ("stories", "Story bank", "operations:stories"),
    ),
}


def navigation(request: HttpRequest) -> dict:
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {"navigation": ()}
    from commsdesk.accounts.models import Membership
    from commsdesk.monitoring.models import Source

    active = _active(request.path)
    return {
        "navigation": NAVIGATION,
        "nav_active": active,
        "area_tabs": _tabs(active, request.path),
        "failing_sources": Source.objects.failing().count(),
        # Team admins and superusers read the audit log (accounts.roles.can_audit).
        "audit_link": request.user.is_superuser
        or Membership.objects.filter(user=request.user, role=Membership.Role.ADMIN).exists(),
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


def _tabs(area: str, path: str) -> list[tuple[str, str, bool]]:
    """(label, URL name, current) for the area's tabs; the library owns every other path."""
    tabs = AREA_TABS.get(area, ())
    parts = path.strip("/").split("/")
    segment = parts[1] if len(parts) > 1 else ""
    named = {key for key, _, _ in tabs}
    current = segment if segment in named else ""
    return [(label, urlname, key == current) for key, label, urlname in tabs if _resolves(urlname)]


def _resolves(urlname: str) -> bool:
    # A tab whose part is not installed yet is left out rather than breaking every page.
    try:
        reverse(urlname)
    except NoReverseMatch:
        return False
    return True
