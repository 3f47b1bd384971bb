"""Calendar pages: the month, week and list views with their filters, planned items (create,
edit, read, delete) and the iCal feeds with their subscription page.

Thin: what appears on which day is `operations.calendar`, who sees an embargoed item is
`operations.embargo`, the feeds are `operations.ical`.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from commsdesk.accounts import roles
from commsdesk.accounts.models import Team
from commsdesk.campaigns.models import Campaign
from commsdesk.materials.models import Draft
from commsdesk.operations import calendar, embargo, ical
from commsdesk.operations.calendar_forms import DraftEmbargoForm, PlannedItemForm
from commsdesk.operations.models import PlannedItem
from commsdesk.relations.local_time import in_their_zone

VIEWS = ("month", "week", "list")
LIST_DAYS = 42  # the list view: six weeks from the chosen day


@login_required
@in_their_zone
def calendar_page(request: HttpRequest) -> HttpResponse:
    user = request.user
    zone = timezone.get_current_timezone()
    today = timezone.localdate()
    view = request.GET.get("view", "month")
    view = view if view in VIEWS else "month"
    day = _day(request.GET.get("date", ""), today)
    filters, chosen = _filters(request)
    if view == "month":
        first = day.replace(day=1)
        start, end, days = calendar.month_range(first, zone)
        previous, following = (first - timedelta(days=1)).replace(day=1), _next_month(first)
    elif view == "week":
        start, end, days = calendar.week_range(day, zone)
        previous, following = day - timedelta(days=7), day + timedelta(days=7)
    else:
        start, end, days = calendar.week_range(day, zone)
        start = start + timedelta(days=day.weekday())
        end = start + timedelta(days=LIST_DAYS)
        previous, following = day - timedelta(days=LIST_DAYS), day + timedelta(days=LIST_DAYS)
    found = calendar.entries(user, start, end, filters=filters)
    teams = list(Team.objects.of(user))
    context = {
        "view": view,
        "day": day,
        "previous": previous,
        "following": following,
        "today": today,
        "entries": found,
        "weeks": calendar.lay_out(
            days, found, zone, month=day.month if view == "month" else None, today=today
        )
        if view != "list"
        else [],
        "by_day": _by_day(found, zone) if view == "list" else [],
        "zone": zone,
        "chosen": chosen,
        "teams": teams,
        "campaigns": Campaign.objects.for_team(user).order_by("name"),
        "kinds": calendar.KINDS,
        "query": _query(request),
        "can_add": any(roles.can_edit(user, t.pk) for t in teams),
    }
    return render(request, "operations/calendar.html", context)


def _day(text: str, default: date) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return default


def _next_month(first: date) -> date:
    return (first + timedelta(days=32)).replace(day=1)


def _filters(request: HttpRequest) -> tuple[calendar.Filters, dict]:
    """The filters as asked (ids that are not numbers are ignored, not an error)."""
    get = request.GET
    teams = frozenset(int(t) for t in get.getlist("team") if t.isdigit())
    campaign = get.get("campaign", "")
    kinds = frozenset(k for k in get.getlist("kind") if k in calendar.KIND_LABELS)
    chosen = {
        "teams": teams,
        "campaign": int(campaign) if campaign.isdigit() else None,
        "language": get.get("language", "").strip()[:12],
        "region": get.get("region", "").strip()[:100],
        "kinds": kinds,
    }
    filters = calendar.Filters(
        team_ids=teams,
        campaign_id=chosen["campaign"],
        language=chosen["language"],
        region=chosen["region"],
        kinds=kinds,
    )
    return filters, chosen


def _query(request: HttpRequest) -> str:
    """The filters as a query string, so moving between months keeps them."""
    keep = request.GET.copy()
    for key in ("date", "view"):
        keep.pop(key, None)
    return keep.urlencode()


def _by_day(found: list[calendar.Entry], zone) -> list[tuple[date, list[calendar.Entry]]]:
    out: dict[date, list[calendar.Entry]] = {}
    for entry in found:
        out.setdefault(entry.day(zone), []).append(entry)
    return sorted(out.items())


# ---------------------------------------------------------------- planned items


def _item(request: HttpRequest, pk: int) -> PlannedItem:
    """Scoped to the person's teams, then to embargoes: an embargoed item is a 404 to others."""
    items = embargo.visible(PlannedItem.objects.for_team(request.user), request.user)
    return get_object_or_404(items.select_related("owner", "campaign", "team", "draft"), pk=pk)


@login_required
@in_their_zone
def planned(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    context = {
        "item": item,
        "own_zone": calendar._zone(item.timezone),
        "embargoed": embargo.is_embargoed(item),
        "embargo_people": item.embargo_people.order_by("username"),
        "can_edit": roles.can_edit(request.user, item.team_id),
        "can_delete": _can_delete(request.user, item),
    }
    return render(request, "operations/planned_item.html", context)


@login_required
@in_their_zone
def planned_new(request: HttpRequest) -> HttpResponse:
    user = request.user
    team = Team.objects.default_for(user)
    if not any(roles.can_edit(user, t.pk) for t in Team.objects.of(user)):
        raise PermissionDenied("Viewers cannot add to the calendar.")
    initial = {"team": team, "owner": user, "timezone": _their_zone_name(request)}
    if request.GET.get("date"):
        day = _day(request.GET["date"], timezone.localdate())
        initial["starts_at"] = f"{day.isoformat()}T09:00"
    form = PlannedItemForm(
        request.POST or None, instance=PlannedItem(created_by=user), user=user, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        item = form.save()
        messages.success(request, "Added to the calendar.")
        return redirect("operations:planned", item.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "operations/planned_form.html", {"form": form}, status=status)


@login_required
@in_their_zone
def planned_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    if not roles.can_edit(request.user, item.team_id):
        raise PermissionDenied("Viewers cannot change the calendar.")
    form = PlannedItemForm(request.POST or None, instance=item, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        if not embargo.can_see(item, request.user):
            item.embargo_people.add(request.user)  # do not lock the editor out
        messages.success(request, "Saved.")
        return redirect("operations:planned", item.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "item": item}
    return render(request, "operations/planned_form.html", context, status=status)


@login_required
@require_POST
def planned_delete(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    if not _can_delete(request.user, item):
        raise PermissionDenied("Only staff or the item's owner can delete it.")
    item.delete()
    messages.success(request, f"“{item.title}” deleted from the calendar.")
    return redirect("operations:calendar")


def _can_delete(user, item: PlannedItem) -> bool:
    mine = user.pk in (item.owner_id, item.created_by_id)
    return roles.can_manage(user, item.team_id) or (mine and roles.can_edit(user, item.team_id))


def _their_zone_name(request: HttpRequest) -> str:
    return str(timezone.get_current_timezone())


@login_required
@in_their_zone
def draft_embargo(request: HttpRequest, pk: int) -> HttpResponse:
    """Set or lift a press release's embargo (the draft page links here)."""
    drafts = embargo.visible(Draft.objects.for_team(request.user), request.user)
    draft = get_object_or_404(drafts, pk=pk, kind=Draft.Kind.PRESS_RELEASE)
    if not roles.can_edit(request.user, draft.team_id):
        raise PermissionDenied("Viewers cannot change an embargo.")
    form = DraftEmbargoForm(request.POST or None, instance=draft)
    if request.method == "POST" and form.is_valid():
        form.save()
        if not embargo.can_see(draft, request.user):
            # Whoever sets an embargo must not lock themselves out of the release.
            draft.embargo_people.add(request.user)
        if draft.embargo_until:
            messages.success(request, "Embargo saved: only the people named see it until then.")
        else:
            messages.success(request, "No embargo on this release.")
        return redirect("materials:draft", draft.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "draft": draft}
    return render(request, "operations/draft_embargo.html", context, status=status)


# ---------------------------------------------------------------- feeds


@login_required
def feeds(request: HttpRequest) -> HttpResponse:
    def absolute(path: str) -> dict:
        url = request.build_absolute_uri(path)
        return {"url": url, "webcal": "webcal://" + url.split("://", 1)[-1]}

    context = {
        "mine": absolute(ical.user_feed_path(request.user)),
        "teams": [(t, absolute(ical.team_feed_path(t))) for t in Team.objects.of(request.user)],
    }
    return render(request, "operations/calendar_feeds.html", context)


def user_feed(request: HttpRequest, user_pk: int, key: str) -> HttpResponse:
    user = get_user_model().objects.filter(pk=user_pk, is_active=True).first()
    # The same 404 for a wrong key and a missing person: the address reveals nothing.
    if user is None or not ical.key_matches(ical.user_key(user), key):
        raise Http404("No such calendar")
    return _ics(ical.for_user(user, base_url=_base(request)), "commsdesk-calendar.ics")


def team_feed(request: HttpRequest, team_pk: int, key: str) -> HttpResponse:
    team = Team.objects.filter(pk=team_pk).first()
    if team is None or not ical.key_matches(ical.team_key(team), key):
        raise Http404("No such calendar")
    return _ics(ical.for_team(team, base_url=_base(request)), f"commsdesk-{team.slug}.ics")


def _base(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _ics(cal, filename: str) -> HttpResponse:
    response = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
