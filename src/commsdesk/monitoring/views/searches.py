"""Saved-search pages: list, create/edit with a live preview, the mentions feed grouped by story,
curation (keep/hide, tags, notes, sentiment), bulk actions and export.

Every lookup is scoped to the person's teams first, so another team's id is a 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from commsdesk.accounts import roles
from commsdesk.accounts.models import Team
from commsdesk.audit.downloads import record_export
from commsdesk.ingest.tasks import backfill_mentions
from commsdesk.monitoring import export, searches, sentiment
from commsdesk.monitoring.forms import MentionForm, SavedSearchForm
from commsdesk.monitoring.models import Mention, SavedSearch
from commsdesk.pipeline import query as q

STORIES_PER_PAGE = 25


def _searches(request: HttpRequest):
    return SavedSearch.objects.for_team(request.user)


def _mentions(request: HttpRequest):
    return Mention.objects.filter(saved_search__team__in=Team.objects.of(request.user))


@login_required
def search_list(request: HttpRequest) -> HttpResponse:
    since = timezone.now() - timezone.timedelta(days=1)
    rows = (
        _searches(request)
        .select_related("owner", "team")
        .annotate(
            total=Count("mentions"),
            today=Count("mentions", filter=Q(mentions__matched_at__gte=since)),
            unread=Count("mentions", filter=Q(mentions__state=Mention.State.NEW)),
        )
    )
    return render(request, "monitoring/searches.html", {"searches": rows})


@login_required
def search_new(request: HttpRequest) -> HttpResponse:
    team = Team.objects.default_for(request.user)
    form = SavedSearchForm(request.POST or None, team_id=team.pk)
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        saved.team, saved.owner = team, request.user
        saved.save()
        form.save_m2m()
        backfill_mentions.enqueue(saved.pk)
        messages.success(
            request, f"Saved “{saved.name}”. Matches from the last 30 days are being collected."
        )
        return redirect("monitoring:search", saved.pk)
    return render(request, "monitoring/search_form.html", {"form": form, "saved": None})


@login_required
def search_edit(request: HttpRequest, pk: int) -> HttpResponse:
    saved = get_object_or_404(_searches(request), pk=pk)
    form = SavedSearchForm(request.POST or None, instance=saved, team_id=saved.team_id)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        saved.save()  # after the filters: updated_at tells workers to recompile
        backfill_mentions.enqueue(saved.pk)
        messages.success(request, f"Saved “{saved.name}”.")
        return redirect("monitoring:search", saved.pk)
    return render(request, "monitoring/search_form.html", {"form": form, "saved": saved})


@login_required
def search_preview(request: HttpRequest) -> HttpResponse:
    """htmx: what the query being typed would match in the last 30 days, hits highlighted."""
    team = Team.objects.default_for(request.user)
    form = SavedSearchForm(request.GET, team_id=team.pk)
    context: dict = {"form": form}
    if not (request.GET.get("query") or "").strip():
        return render(request, "monitoring/_preview.html", {"empty": True})
    form.is_valid()
    error = getattr(form, "query_error", None)
    compiled = form.cleaned_data.get("compiled")
    if error is not None or compiled is None:
        context["query_error"] = error
        return render(request, "monitoring/_preview.html", context)
    filters = searches.Filters(
        languages=frozenset(form.cleaned_data.get("languages") or ()),
        countries=frozenset(form.cleaned_data.get("countries") or ()),
        tiers=frozenset(form.cleaned_data.get("tiers") or ()),
        sources=frozenset(s.pk for s in form.cleaned_data.get("sources") or ()),
        outlets=frozenset(o.pk for o in form.cleaned_data.get("outlets") or ()),
    )
    rows, more = searches.preview(compiled, filters)
    context.update(
        expansions=form.cleaned_data.get("expansions") or (),
        explanation=q.explain(compiled),
        hits=[searches.highlighted(compiled, article, match) for article, match in rows],
        more=more,
        days=searches.PREVIEW_DAYS,
    )
    return render(request, "monitoring/_preview.html", context)


@login_required
def search_detail(request: HttpRequest, pk: int) -> HttpResponse:
    saved = get_object_or_404(_searches(request).select_related("owner", "team"), pk=pk)
    state = request.GET.get("state", "visible")
    mentions = saved.mentions.all()
    if state in Mention.State.values:
        mentions = mentions.filter(state=state)
    elif state != "all":
        state = "visible"
        mentions = mentions.exclude(state=Mention.State.HIDDEN)
    try:
        page = max(1, int(request.GET.get("page", 1)))
    except ValueError:
        page = 1
    groups = searches.story_groups(
        mentions, offset=(page - 1) * STORIES_PER_PAGE, limit=STORIES_PER_PAGE + 1
    )
    try:
        compiled, expansions = searches.expand(saved.query, saved.name_languages, saved.team_id)
        explanation, query_error = q.explain(compiled), None
    except q.QueryError as exc:
        explanation, query_error, expansions = "", exc, ()
    context = {
        "saved": saved,
        "can_manage": roles.can_manage(request.user, saved.team_id),
        "groups": groups[:STORIES_PER_PAGE],
        "has_next": len(groups) > STORIES_PER_PAGE,
        "page": page,
        "state": state,
        "states": [("visible", "New and kept"), *Mention.State.choices, ("all", "All")],
        "counts": searches.counts(saved),
        "explanation": explanation,
        "expansions": expansions,
        "query_error": query_error,
    }
    return render(request, "monitoring/search.html", context)


@login_required
@require_POST
def search_mute(request: HttpRequest, pk: int) -> HttpResponse:
    saved = get_object_or_404(_searches(request), pk=pk)
    saved.muted = not saved.muted
    saved.save(update_fields=["muted", "updated_at"])
    messages.success(request, f"“{saved.name}” is {'muted' if saved.muted else 'alerting again'}.")
    return redirect("monitoring:search", saved.pk)


@login_required
@require_POST
def search_delete(request: HttpRequest, pk: int) -> HttpResponse:
    saved = get_object_or_404(_searches(request), pk=pk)
    if not roles.can_manage(request.user, saved.team_id):
        raise PermissionDenied("Only staff delete saved searches (and their mentions).")
    saved.delete()
    messages.success(request, f"Deleted “{saved.name}” and its mentions.")
    return redirect("monitoring:searches")


@login_required
def search_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    saved = get_object_or_404(_searches(request), pk=pk)
    mentions = saved.mentions.all()
    if request.GET.get("state") in Mention.State.values:
        mentions = mentions.filter(state=request.GET["state"])
    response = export.response(saved, mentions, fmt)  # an unknown format is a 404, not logged
    record_export(request, f"Mentions as {fmt.upper()}", mentions, team_id=saved.team_id)
    return response


@login_required
def mention_detail(request: HttpRequest, pk: int) -> HttpResponse:
    mention = get_object_or_404(
        _mentions(request).select_related("article", "article__outlet", "saved_search"), pk=pk
    )
    form = MentionForm(request.POST or None, instance=mention)
    if request.method == "POST" and form.is_valid():
        curated = form.save(commit=False)
        curated.curated_by, curated.curated_at = request.user, timezone.now()
        curated.save()
        messages.success(request, "Saved.")
        return redirect("monitoring:mention", mention.pk)
    try:
        compiled = searches.compile_query(mention.saved_search)
        shown = searches.highlighted(compiled, mention.article, None, snippet_chars=None)
    except q.QueryError:
        shown = None
    context = {
        "mention": mention,
        "form": form,
        "shown": shown,
        "not_analysed": sentiment.stance_reason(mention),
        "accuracy": sentiment.accuracy_note(mention.article.language),
    }
    return render(request, "monitoring/mention.html", context)


@login_required
@require_POST
def mention_state(request: HttpRequest, pk: int) -> HttpResponse:
    """htmx: keep or hide one mention from the feed; answers with its updated row."""
    mention = get_object_or_404(_mentions(request).select_related("article"), pk=pk)
    state = request.POST.get("state")
    if state in Mention.State.values:
        Mention.objects.filter(pk=mention.pk).update(
            state=state, curated_by=request.user, curated_at=timezone.now()
        )
        mention.state = state
    if request.htmx:
        return render(request, "monitoring/_mention_row.html", {"mention": mention})
    return redirect("monitoring:search", mention.saved_search_id)


@login_required
@require_POST
def mention_bulk(request: HttpRequest, pk: int) -> HttpResponse:
    saved = get_object_or_404(_searches(request), pk=pk)
    chosen = saved.mentions.filter(pk__in=request.POST.getlist("mention"))
    action = request.POST.get("action", "")
    done = searches.curate(chosen, action, tag=request.POST.get("tag", ""), user=request.user)
    if done is None:
        messages.error(request, "Choose what to do with the selected mentions.")
    else:
        messages.success(request, f"Updated {done} mention{'s' if done != 1 else ''}.")
    return redirect("monitoring:search", saved.pk)


def query_syntax(request: HttpRequest) -> HttpResponse:
    return render(request, "monitoring/query_syntax.html")
