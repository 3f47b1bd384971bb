"""Story pages: the newest stories with their placements, one story with its audit trail, and
a person's split and merge. Stories belong to the shared archive: any signed-in person reads
them; viewers cannot split or merge. The folding itself is `monitoring.stories`.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from commsdesk.monitoring import metrics
from commsdesk.monitoring import stories as editing
from commsdesk.monitoring.forms import ArticleFilterForm, StoryMergeForm
from commsdesk.monitoring.models import Article, Story
from commsdesk.monitoring.views.articles import filtered_articles

PAGE_SIZE = 50
# The merge search box offers stories seen this recently (a merge is a same-week decision).
RECENT_DAYS = 30
FILTERS = ("language", "since", "until")


@login_required
def stories(request: HttpRequest) -> HttpResponse:
    form = ArticleFilterForm(request.GET or None)
    page = _page(request)
    narrowed = form.is_valid() and any(form.cleaned_data[name] for name in FILTERS)
    listed = Story.objects.filter(size__gt=0)
    if narrowed:
        listed = Story.objects.filter(pk__in=filtered_articles(form).values("story_id"))
    offset = (page - 1) * PAGE_SIZE
    rows = list(
        listed.select_related("representative__outlet").order_by("-last_seen", "-id")[
            offset : offset + PAGE_SIZE + 1
        ]
    )
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "form": form,
        "stories": _with_languages(rows[:PAGE_SIZE]),
        "page": page,
        "has_next": len(rows) > PAGE_SIZE,
        "query_string": params.urlencode(),
        "languages": Article.objects.languages(),
    }
    template = "monitoring/_stories.html" if request.htmx else "monitoring/stories.html"
    return render(request, template, context)


@login_required
def story(request: HttpRequest, pk: int) -> HttpResponse:
    if not Story.objects.filter(pk=pk).exists() and (target := editing.merged_into(pk)):
        return redirect("monitoring:story", target)  # an old link to a story merged away
    return _story_page(request, _get_story(pk), StoryMergeForm())


@login_required
@require_POST
def story_split(request: HttpRequest, pk: int) -> HttpResponse:
    current = _editable(request, pk)
    chosen = [int(value) for value in request.POST.getlist("placements") if value.isdigit()]
    try:
        new = editing.split(current, chosen, actor=request.user)
    except editing.StoryEditError as exc:
        return _story_page(request, current, StoryMergeForm(), split_error=str(exc), status=400)
    messages.success(request, f"Split {new.size} placement(s) off into a new story.")
    return redirect("monitoring:story", new.pk)


@login_required
@require_POST
def story_merge(request: HttpRequest, pk: int) -> HttpResponse:
    current = _editable(request, pk)
    form = StoryMergeForm(request.POST)
    if form.is_valid():
        try:
            editing.merge(current, form.cleaned_data["other"], actor=request.user)
        except editing.StoryEditError as exc:
            form.add_error("other", str(exc))
        else:
            messages.success(request, f"Story {form.cleaned_data['other']} merged into this one.")
            return redirect("monitoring:story", current.pk)
    return _story_page(request, current, form, status=400)


@login_required
def story_choices(request: HttpRequest, pk: int) -> HttpResponse:
    """htmx: recent stories whose headline contains the words typed, to merge into story pk."""
    current = _get_story(pk)
    text = request.GET.get("q", "").strip()[:200]
    since = timezone.now() - timedelta(days=RECENT_DAYS)
    found = Story.objects.filter(last_seen__gte=since, size__gt=0).exclude(pk=current.pk)
    if text.isdigit():
        found = Story.objects.filter(pk=int(text)).exclude(pk=current.pk)
    elif text:
        found = found.filter(representative__title__icontains=text)
    found = found.select_related("representative__outlet").order_by("-last_seen")[:10]
    return render(
        request, "monitoring/_story_choices.html", {"story": current, "choices": found, "q": text}
    )


@login_required
def coverage_counts(request: HttpRequest) -> HttpResponse:
    """htmx: "N stories · M placements · K outlets" for the article filters in the query string,
    loaded after the page so a count over a large archive never delays the list itself."""
    from commsdesk.monitoring import search

    form = ArticleFilterForm(request.GET or None)
    text = form.cleaned_data["q"] if form.is_valid() else ""
    counts = metrics.coverage_counts(search.search(filtered_articles(form), text))
    return render(request, "monitoring/_counts.html", {"counts": counts})


def _story_page(
    request: HttpRequest,
    current: Story,
    merge_form: StoryMergeForm,
    *,
    split_error: str = "",
    status: int = 200,
) -> HttpResponse:
    placements = current.articles.select_related("outlet").order_by("sort_at", "id")
    context = {
        "story": current,
        "placements": placements,
        "languages": sorted({a.language for a in placements}),
        "events": current.events.select_related("actor", "article")[:200],
        "merge_form": merge_form,
        "split_error": split_error,
        "may_edit": editing.may_edit(request.user),
    }
    return render(request, "monitoring/story.html", context, status=status)


def _get_story(pk: int) -> Story:
    found = Story.objects.select_related("representative__outlet").filter(pk=pk).first()
    if found is None:
        raise Http404("No such story")
    return found


def _editable(request: HttpRequest, pk: int) -> Story:
    if not editing.may_edit(request.user):
        raise PermissionDenied("Viewers cannot split or merge stories.")
    return _get_story(pk)


def _with_languages(rows: list[Story]) -> list[Story]:
    """Each story's placement languages, in one query for the whole page."""
    pairs = (
        Article.objects.filter(story__in=rows)
        .order_by()
        .values_list("story_id", "language")
        .distinct()
    )
    languages: dict[int, set[str]] = {}
    for story_id, language in pairs:
        languages.setdefault(story_id, set()).add(language)
    for row in rows:
        row.languages = sorted(languages.get(row.pk, ()))
    return rows


def _page(request: HttpRequest) -> int:
    try:
        return max(1, int(request.GET.get("page", 1)))
    except ValueError:
        return 1
