"""Media lists and media research: lists of journalists (static, or built from a research
query), their members, CSV export; research ranks who wrote about a topic and turns the chosen
authors into a list. Logic lives in `research` and `contact_files`; lookups are team-scoped.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from commsdesk.accounts import roles
from commsdesk.accounts.models import Team
from commsdesk.audit.downloads import record_export
from commsdesk.monitoring import searches
from commsdesk.monitoring.models import SavedSearch
from commsdesk.pipeline import query as q
from commsdesk.relations import contact_files, contacts, research
from commsdesk.relations.contact_forms import (
    MediaListForm,
    ResearchForm,
    chosen_team,
    offer_teams,
)
from commsdesk.relations.models import Journalist, MediaList, MediaListMember


def _lists(request: HttpRequest):
    return MediaList.objects.for_team(request.user)


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


@login_required
def list_index(request: HttpRequest) -> HttpResponse:
    rows = _lists(request).annotate(size=Count("members")).select_related("created_by")
    team = Team.objects.of(request.user).first()
    context = {"lists": rows, "can_edit": roles.can_edit(request.user, team.pk if team else None)}
    return render(request, "relations/media_lists.html", context)


@login_required
def list_new(request: HttpRequest) -> HttpResponse:
    team = Team.objects.default_for(request.user)
    _require(roles.can_edit(request.user, team.pk))
    form = MediaListForm(request.POST or None)
    offer_teams(form, request.user, team)
    if request.method == "POST" and form.is_valid():
        media_list = form.save(commit=False)
        media_list.team, media_list.created_by = chosen_team(form, team), request.user
        media_list.save()
        messages.success(request, f"Created “{media_list.name}”.")
        return redirect("relations:media_list", media_list.pk)
    return render(request, "relations/media_list_form.html", {"form": form})


@login_required
def list_detail(request: HttpRequest, pk: int) -> HttpResponse:
    media_list = get_object_or_404(_lists(request), pk=pk)
    members = (
        MediaListMember.objects.filter(
            media_list=media_list, journalist__in=Journalist.objects.visible_to(request.user)
        )
        .select_related("journalist")
        .prefetch_related("journalist__affiliations__outlet")
        .order_by("journalist__name")
    )
    on_list = [m.journalist_id for m in members]
    context = {
        "media_list": media_list,
        "members": members,
        "candidates": Journalist.objects.visible_to(request.user)
        .filter(team_id=media_list.team_id)
        .exclude(pk__in=on_list)
        .only("pk", "name"),
        "can_edit": roles.can_edit(request.user, media_list.team_id),
        "can_manage": roles.can_manage(request.user, media_list.team_id),
        "can_see_contacts": roles.can_see_contacts(request.user, media_list.team_id),
    }
    return render(request, "relations/media_list.html", context)


@login_required
@require_POST
def list_add(request: HttpRequest, pk: int) -> HttpResponse:
    media_list = get_object_or_404(_lists(request), pk=pk)
    _require(roles.can_edit(request.user, media_list.team_id))
    journalist = get_object_or_404(
        Journalist.objects.visible_to(request.user).filter(team_id=media_list.team_id),
        pk=request.POST.get("journalist"),
    )
    MediaListMember.objects.get_or_create(media_list=media_list, journalist=journalist)
    messages.success(request, f"Added {journalist.name}.")
    return redirect("relations:media_list", media_list.pk)


@login_required
@require_POST
def list_remove(request: HttpRequest, pk: int, journalist_pk: int) -> HttpResponse:
    media_list = get_object_or_404(_lists(request), pk=pk)
    _require(roles.can_edit(request.user, media_list.team_id))
    MediaListMember.objects.filter(media_list=media_list, journalist_id=journalist_pk).delete()
    messages.success(request, "Removed from the list.")
    return redirect("relations:media_list", media_list.pk)


@login_required
@require_POST
def list_delete(request: HttpRequest, pk: int) -> HttpResponse:
    media_list = get_object_or_404(_lists(request), pk=pk)
    _require(roles.can_manage(request.user, media_list.team_id))
    media_list.delete()
    messages.success(request, f"Deleted “{media_list.name}” (its journalists stay).")
    return redirect("relations:media_lists")


@login_required
def list_export(request: HttpRequest, pk: int) -> HttpResponse:
    media_list = get_object_or_404(_lists(request), pk=pk)
    journalists = Journalist.objects.visible_to(request.user).filter(media_lists=media_list)
    record_export(
        request, f"Media list “{media_list}” as CSV", journalists, team_id=media_list.team_id
    )
    response = StreamingHttpResponse(
        contact_files.csv_lines(journalists, shows_contacts=contacts.contact_teams(request.user)),
        content_type="text/csv; charset=utf-8",
    )
    name = slugify(media_list.name) or "media-list"
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


# -------------------------------------------------------------------------------- research


@login_required
def research_page(request: HttpRequest) -> HttpResponse:
    """A topic's authors and outlets, ranked; POST turns chosen authors into a media list."""
    team = Team.objects.default_for(request.user)
    saved = SavedSearch.objects.for_team(request.user)
    data = request.POST if request.method == "POST" else request.GET
    languages: list[str] = []
    if data.get("search"):
        # Start from a saved search: its query, and the languages it expands names into.
        chosen = get_object_or_404(saved, pk=data["search"])
        data = {"q": chosen.query, "days": data.get("days") or 90}
        languages = chosen.name_languages or []
    form = ResearchForm(data if "q" in data else None)
    context: dict = {"form": form, "saved_searches": saved.only("pk", "name")}
    if form.is_bound and form.is_valid():
        text, days = form.cleaned_data["q"], form.cleaned_data["days"]
        try:
            query, _ = searches.expand(text, languages, team.pk)
        except q.QueryError as exc:
            context["query_error"] = exc
            return render(request, "relations/research.html", context)
        team_journalists = Journalist.objects.visible_to(request.user).filter(team=team)
        found = research.run(query, team_journalists, days=days)
        if request.method == "POST":
            return _make_list(request, team, found, text)
        context.update(found=found, days=days, can_edit=roles.can_edit(request.user, team.pk))
    return render(request, "relations/research.html", context)


def _make_list(request: HttpRequest, team, found: research.Research, text: str) -> HttpResponse:
    _require(roles.can_edit(request.user, team.pk))
    chosen = request.POST.getlist("author")
    name = request.POST.get("list_name", "").strip() or f"Research: {text[:150]}"
    if not chosen:
        messages.error(request, "Tick at least one author to make a media list.")
        query = urlencode({"q": text, "days": request.POST.get("days", 90)})
        return redirect(f"{request.path}?{query}")
    media_list = research.make_list(
        team, found, chosen, name=name[:200], query_text=text, user=request.user
    )
    messages.success(
        request, f"Created “{media_list.name}” with {media_list.members.count()} journalist(s)."
    )
    return redirect("relations:media_list", media_list.pk)
