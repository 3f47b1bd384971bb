"""Source pages: the list with health, one source's health page, add/edit/pause/delete, OPML.

Views stay thin: discovery, polling and OPML live in `ingest`.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from commsdesk.accounts import roles
from commsdesk.ingest import opml, social, tasks
from commsdesk.ingest.fetching import make_fetcher
from commsdesk.ingest.sources import SourceDiscoveryError, discover_feed, kind_of
from commsdesk.monitoring.forms import (
    SOCIAL_SOURCE_FORMS,
    OPMLImportForm,
    SocialSourceEditForm,
    SourceAddForm,
    SourceEditForm,
)
from commsdesk.monitoring.models import SOCIAL_KINDS, Article, Item, Source


def _require_staff(request: HttpRequest) -> None:
    """Sources feed every team's archive: only staff add, change, pause, fetch or delete them."""
    if not roles.can_manage_shared(request.user):
        raise PermissionDenied("Only staff manage sources.")


@login_required
def sources(request: HttpRequest) -> HttpResponse:
    # A correlated count per source walks that source's index range; a JOIN + GROUP BY would
    # read every article in the archive on each visit to this page.
    per_source = (
        Article.objects.filter(source=OuterRef("pk"))
        .order_by()
        .values("source")
        .annotate(n=Count("id"))
        .values("n")
    )
    rows = Source.objects.select_related("outlet").annotate(
        article_count=Coalesce(Subquery(per_source), 0)
    )
    status = request.GET.get("status")
    if status == "failing":
        rows = rows.filter(active=True, consecutive_failures__gt=0)
    elif status == "paused":
        rows = rows.filter(active=False)
    context = {
        "sources": rows,
        "status": status,
        "can_manage": roles.can_manage_shared(request.user),
    }
    return render(request, "monitoring/sources.html", context)


@login_required
def source(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(Source.objects.select_related("outlet"), pk=pk)
    counts = item.items.outcome_counts_by_day(days=14)
    states = [s for s, _ in Item.State.choices if s != Item.State.PENDING]
    days: dict = {}
    for row in counts:
        days.setdefault(row["day"], dict.fromkeys(states, 0))[row["state"]] = row["n"]
    totals = item.items.aggregate(
        **{s: Count("id", filter=Q(state=s)) for s, _ in Item.State.choices}
    )
    context = {
        "source": item,
        "states": states,
        "days": sorted(days.items(), reverse=True),
        "totals": totals,
        "fetch_logs": item.fetch_logs.all()[:20],
        "problems": item.items.filter(
            state__in=[Item.State.QUARANTINED, Item.State.RETRY, Item.State.FILTERED]
        ).order_by("-decided_at")[:30],
        "article_count": item.articles.count(),
        "follows": social.describe(item) if item.is_social else "",
        "can_manage": roles.can_manage_shared(request.user),
    }
    return render(request, "monitoring/source.html", context)


@login_required
def source_add(request: HttpRequest) -> HttpResponse:
    _require_staff(request)
    kind = request.POST.get("kind") or request.GET.get("kind") or ""
    if kind in SOCIAL_SOURCE_FORMS:
        return _social_source_add(request, kind)
    form = SourceAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with make_fetcher() as fetcher:
                feed_url, feed, others = discover_feed(data["url"], fetcher)
        except SourceDiscoveryError as exc:
            form.add_error("url", str(exc))
        else:
            existing = Source.objects.filter(url=feed_url).first()
            if existing:
                messages.info(request, f"That feed is already a source: {existing.name}.")
                return redirect("monitoring:source", existing.pk)
            created = Source.objects.create(
                url=feed_url,
                name=data["name"] or feed.title or feed_url,
                kind=kind_of(feed),
                language=data["language"].lower() or feed.language[:2].lower(),
                country=data["country"].upper(),
                next_fetch_at=timezone.now(),
            )
            tasks.fetch_now(created.pk)
            note = f" The page also offered {len(others)} other feed(s)." if others else ""
            messages.success(
                request,
                f"Added “{created.name}” with {len(feed.entries)} entries; articles will "
                f"arrive in a moment.{note}",
            )
            return redirect("monitoring:source", created.pk)
    return render(request, "monitoring/source_add.html", {"form": form, "kinds": _kinds("")})


def _kinds(current: str) -> list[tuple[str, str, bool]]:
    """The kind chooser: (kind, label, chosen) for feeds and each social platform."""
    choices = [("", "Feed or website")] + [
        (kind, Source.Kind(kind).label) for kind in SOCIAL_SOURCE_FORMS
    ]
    return [(kind, label, kind == current) for kind, label in choices]


def _social_source_add(request: HttpRequest, kind: str) -> HttpResponse:
    form = SOCIAL_SOURCE_FORMS[kind](request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        existing = Source.objects.filter(url=data["url"]).first()
        if existing:
            messages.info(request, f"That is already a source: {existing.name}.")
            return redirect("monitoring:source", existing.pk)
        created = Source.objects.create(
            url=data["url"],
            name=data["name"] or data["default_name"],
            kind=kind,
            language=data["language"].lower(),
            country=data["country"].upper(),
            access_token=data.get("access_token") or None,
            next_fetch_at=timezone.now(),
        )
        tasks.fetch_now(created.pk)
        messages.success(
            request,
            f"Added “{created.name}”; posts will arrive in a moment. If the platform refuses, "
            "this page says why.",
        )
        return redirect("monitoring:source", created.pk)
    context = {"form": form, "kinds": _kinds(kind), "kind": kind}
    return render(request, "monitoring/source_add.html", context)


@login_required
def source_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_staff(request)
    item = get_object_or_404(Source, pk=pk)
    form_class = SocialSourceEditForm if item.is_social else SourceEditForm
    form = form_class(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Source saved.")
        return redirect("monitoring:source", item.pk)
    return render(request, "monitoring/source_edit.html", {"form": form, "source": item})


@login_required
@require_POST
def source_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    _require_staff(request)
    item = get_object_or_404(Source, pk=pk)
    Source.objects.filter(pk=pk).update(active=not item.active, next_fetch_at=timezone.now())
    messages.success(request, f"{'Paused' if item.active else 'Resumed'} “{item.name}”.")
    return redirect("monitoring:source", pk)


@login_required
@require_POST
def source_fetch(request: HttpRequest, pk: int) -> HttpResponse:
    _require_staff(request)
    item = get_object_or_404(Source, pk=pk)
    if not item.active:
        messages.error(request, "This source is paused; resume it first.")
    elif tasks.fetch_now(pk):
        messages.success(request, f"“{item.name}” will be fetched in a moment.")
    return redirect("monitoring:source", pk)


@login_required
@require_POST
def source_delete(request: HttpRequest, pk: int) -> HttpResponse:
    _require_staff(request)
    item = get_object_or_404(Source, pk=pk)
    item.delete()
    messages.success(request, f"Deleted “{item.name}”. Its articles stay in the archive.")
    return redirect("monitoring:sources")


@login_required
def opml_import(request: HttpRequest) -> HttpResponse:
    _require_staff(request)
    form = OPMLImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            added, present = opml.import_sources(form.cleaned_data["file"].read())
        except opml.OPMLError as exc:
            form.add_error("file", str(exc))
        else:
            messages.success(request, f"Imported {added} new source(s); {present} already present.")
            return redirect("monitoring:sources")
    return render(request, "monitoring/opml_import.html", {"form": form})


@login_required
def opml_export(request: HttpRequest) -> HttpResponse:
    # OPML lists feeds: social sources are not feeds a reader could subscribe to.
    feeds = Source.objects.exclude(kind__in=SOCIAL_KINDS)
    response = HttpResponse(opml.render(feeds), content_type="text/x-opml")
    response["Content-Disposition"] = 'attachment; filename="commsdesk-sources.opml"'
    return response
