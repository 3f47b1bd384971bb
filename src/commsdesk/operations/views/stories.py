"""Story bank pages under /operations/stories/: the board with its filters, an idea's page, the
form any staff member or volunteer uses, suggestions from community feeds, the community
sources, and the quarter's spread by country and language. Rules live in `stories`.

Every lookup is scoped to the reader's teams first; volunteers add and edit, staff delete.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from commsdesk import charts
from commsdesk.accounts import roles
from commsdesk.accounts.models import Team
from commsdesk.monitoring.models import Article, Source
from commsdesk.operations import embargo, stories, story_photos
from commsdesk.operations.models import CommunitySource, StoryIdea, StoryPhoto
from commsdesk.operations.story_forms import LinkForm, MoveForm, PhotoForm, StoryIdeaForm
from commsdesk.relations.inquiries.workflow import find_article


def _ideas(request: HttpRequest):
    return StoryIdea.objects.for_team(request.user)


def _idea(request: HttpRequest, pk: int) -> StoryIdea:
    return get_object_or_404(_ideas(request), pk=pk)


def _editable(request: HttpRequest, pk: int) -> StoryIdea:
    idea = _idea(request, pk)
    if not roles.can_edit(request.user, idea.team_id):
        raise PermissionDenied("Viewers cannot change story ideas.")
    return idea


def _team(request: HttpRequest) -> Team:
    """The team whose bank the person works in (their first team)."""
    team = Team.objects.of(request.user).order_by("memberships__id").first()
    if team is None:
        raise Http404("You are not in a team yet.")
    return team


def _filters(request: HttpRequest) -> stories.Filters:
    get = request.GET
    return stories.Filters(
        stage=get.get("stage", "") if get.get("stage") in StoryIdea.Stage.values else "",
        theme=get.get("theme", "").strip(),
        language=get.get("language", "").strip(),
        country=get.get("country", "").strip(),
        consent=get.get("consent", "") if get.get("consent") in StoryIdea.Consent.values else "",
        text=get.get("q", "").strip(),
    )


@login_required
def board(request: HttpRequest) -> HttpResponse:
    team = _team(request)
    found = stories.find(_ideas(request), _filters(request)).prefetch_related("photos")
    columns = {stage: [] for stage in StoryIdea.Stage.values}
    for idea in found:
        columns[idea.stage].append(idea)
    context = {
        "columns": [(value, label, columns[value]) for value, label in StoryIdea.Stage.choices],
        "stages": StoryIdea.Stage.choices,
        "consents": StoryIdea.Consent.choices,
        "filters": request.GET,
        "filtered": any(
            request.GET.get(k) for k in ("stage", "theme", "language", "country", "consent", "q")
        ),
        "can_edit": roles.can_edit(request.user, team.pk),
        "can_manage": roles.can_manage(request.user, team.pk),
        "suggested": stories.suggestions(team.pk).count(),
    }
    return render(request, "operations/stories/board.html", context)


@login_required
def new(request: HttpRequest) -> HttpResponse:
    team = _team(request)
    if not roles.can_edit(request.user, team.pk):
        raise PermissionDenied("Viewers cannot add story ideas.")
    article = None
    if request.GET.get("article", "").isdigit():
        article = get_object_or_404(
            Article.objects.select_related("outlet"), pk=request.GET["article"]
        )
    idea = StoryIdea(team=team, created_by=request.user)
    if article is not None:
        idea.article, idea.origin = article, StoryIdea.Origin.ARTICLE
    form = StoryIdeaForm(
        request.POST or None,
        request.FILES or None,
        instance=idea,
        with_contacts=roles.can_see_contacts(request.user, team.pk),
        initial=stories.prefill_from_article(article) if article else None,
    )
    if request.method == "POST" and form.is_valid():
        idea = _save(form)
        messages.success(request, f"Added “{idea.title}” to the story bank.")
        return redirect("operations:story", idea.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "operations/stories/form.html", {"form": form, "article": article}, status=status
    )


def _save(form: StoryIdeaForm) -> StoryIdea:
    data = form.cleaned_data
    with transaction.atomic():
        idea = form.save()
        if data.get("photo"):
            story_photos.store(
                idea, data["photo"], caption=data["photo_caption"], credit=data["photo_credit"]
            )
    return idea


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    idea = _editable(request, pk)
    form = StoryIdeaForm(
        request.POST or None,
        request.FILES or None,
        instance=idea,
        with_contacts=roles.can_see_contacts(request.user, idea.team_id),
    )
    if request.method == "POST" and form.is_valid():
        _save(form)
        messages.success(request, f"Saved “{idea.title}”.")
        if stories.consent_withdrawn(idea):
            messages.warning(request, _withdrawn(idea))
        return redirect("operations:story", idea.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "operations/stories/form.html", {"form": form, "idea": idea}, status=status
    )


def _withdrawn(idea: StoryIdea) -> str:
    return (
        f"“{idea.title}” is {idea.get_stage_display().lower()} but consent is now "
        f"“{idea.get_consent_display().lower()}”: check with the people in it."
    )


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    idea = get_object_or_404(_ideas(request).select_related("article__outlet", "created_by"), pk=pk)
    can_edit = roles.can_edit(request.user, idea.team_id)
    context = {
        "idea": idea,
        "photos": idea.photos.order_by("uploaded_at", "id"),
        "pitches": idea.pitches.all(),
        # Linked drafts as the drafts pages show them: not embargoed or sensitive ones hidden
        # from this person.
        "drafts": embargo.visible(idea.drafts.visible_to(request.user), request.user),
        "coverage": idea.coverage.select_related("outlet").defer("text", "raw_html", "minhash"),
        "see_contacts": roles.can_see_contacts(request.user, idea.team_id),
        "can_edit": can_edit,
        "can_manage": roles.can_manage(request.user, idea.team_id),
        "move_form": MoveForm(initial={"stage": idea.stage}),
        "photo_form": PhotoForm(),
        "link_form": LinkForm(team_id=idea.team_id, user=request.user) if can_edit else None,
        "consent_problem": stories.consent_problem(idea, StoryIdea.Stage.PITCHED),
        "withdrawn": stories.consent_withdrawn(idea),
    }
    return render(request, "operations/stories/detail.html", context)


def _back(request: HttpRequest, idea: StoryIdea) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return redirect(target)
    return redirect("operations:story", idea.pk)


@login_required
@require_POST
def move(request: HttpRequest, pk: int) -> HttpResponse:
    idea = _editable(request, pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose one of the stages.")
        return _back(request, idea)
    try:
        stories.move(idea, form.cleaned_data["stage"])
    except stories.ConsentMissing as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, f"“{idea.title}” is now {idea.get_stage_display().lower()}.")
    return _back(request, idea)


@login_required
@require_POST
def photo_add(request: HttpRequest, pk: int) -> HttpResponse:
    idea = _editable(request, pk)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        story_photos.store(idea, data["photo"], caption=data["caption"], credit=data["credit"])
        messages.success(request, "Photo added.")
    else:
        for error in form.errors.get("photo", ["Choose a photo to upload."]):
            messages.error(request, error)
    return redirect("operations:story", idea.pk)


@login_required
def photo(request: HttpRequest, pk: int, photo_pk: int) -> FileResponse:
    idea = _idea(request, pk)
    stored = get_object_or_404(StoryPhoto, idea=idea, pk=photo_pk)
    inline = story_photos.previewable(stored)
    name = stored.file.name.rsplit("/", 1)[-1]
    response = FileResponse(stored.file.open("rb"), as_attachment=not inline, filename=name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


@login_required
@require_POST
def photo_delete(request: HttpRequest, pk: int, photo_pk: int) -> HttpResponse:
    idea = _editable(request, pk)
    stored = get_object_or_404(StoryPhoto, idea=idea, pk=photo_pk)
    stored.file.delete(save=False)
    stored.delete()
    messages.success(request, "Photo removed.")
    return redirect("operations:story", idea.pk)


@login_required
@require_POST
def link(request: HttpRequest, pk: int) -> HttpResponse:
    """Link or unlink (`remove=kind:pk`) a pitch, a draft or a piece of coverage."""
    idea = _editable(request, pk)
    kind, _, target = request.POST.get("remove", "").partition(":")
    relations = {"pitch": idea.pitches, "draft": idea.drafts, "article": idea.coverage}
    if kind in relations and target.isdigit():
        relations[kind].remove(*relations[kind].filter(pk=target))
        messages.success(request, "Link removed.")
        return redirect("operations:story", idea.pk)
    form = LinkForm(request.POST, team_id=idea.team_id, user=request.user)
    if not form.is_valid():
        for field, errors in form.errors.items():
            messages.error(request, f"{form.fields[field].label or field}: {' '.join(errors)}")
        return redirect("operations:story", idea.pk)
    data = form.cleaned_data
    if data["pitch"]:
        idea.pitches.add(data["pitch"])
        messages.success(request, f"Linked the pitch “{data['pitch'].subject}”.")
    if data["draft"]:
        idea.drafts.add(data["draft"])
        messages.success(request, f"Linked the draft “{data['draft'].title}”.")
    if data["address"]:
        article = find_article(data["address"])
        if article is None:
            messages.error(
                request,
                "No article with that address is in the archive. Add it first (Articles → "
                "“Add an article by URL”), then link it here.",
            )
        else:
            idea.coverage.add(article)
            messages.success(request, f"Linked the coverage “{article.title}”.")
    if not any(data.values()):
        messages.error(request, "Choose a pitch or a draft, or give an article's address.")
    return redirect("operations:story", idea.pk)


@login_required
@require_POST
def blog_post(request: HttpRequest, pk: int) -> HttpResponse:
    idea = _editable(request, pk)
    draft = stories.start_blog_post(idea, user=request.user)
    messages.success(request, "Blog post started from the idea: write it here.")
    return redirect("materials:draft_edit", draft.pk)


@login_required
@require_POST
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    idea = _idea(request, pk)
    if not roles.can_manage(request.user, idea.team_id):
        raise PermissionDenied("Only staff can delete story ideas.")
    for stored in idea.photos.all():
        stored.file.delete(save=False)
    idea.delete()
    messages.success(request, f"Deleted “{idea.title}”.")
    return redirect("operations:stories")


@login_required
def suggestions(request: HttpRequest) -> HttpResponse:
    team = _team(request)
    can_edit = roles.can_edit(request.user, team.pk)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied("Viewers cannot take up suggestions.")
        return _decide(request, team)
    context = {
        "articles": stories.suggestions(team.pk)[: stories.SUGGESTIONS],
        "community": CommunitySource.objects.filter(team=team).select_related("source"),
        "can_edit": can_edit,
        "can_manage": roles.can_manage(request.user, team.pk),
        "days": stories.SUGGESTION_DAYS,
    }
    return render(request, "operations/stories/suggestions.html", context)


def _decide(request: HttpRequest, team: Team) -> HttpResponse:
    # Only articles still suggested to this team may be decided on.
    chosen = request.POST.get("article", "")
    article = get_object_or_404(
        stories.suggestions(team.pk), pk=int(chosen) if chosen.isdigit() else 0
    )
    if request.POST.get("decision") == "accept":
        idea = stories.accept(team.pk, article, user=request.user)
        messages.success(request, f"“{idea.title}” is now an idea to vet.")
    else:
        stories.dismiss(team.pk, article, user=request.user)
        messages.success(request, f"Dismissed “{article.title}”.")
    return redirect("operations:story_suggestions")


@login_required
def community_sources(request: HttpRequest) -> HttpResponse:
    """Which monitored sources are the team's community blogs and feeds (staff choose)."""
    team = _team(request)
    if not roles.can_manage(request.user, team.pk):
        raise PermissionDenied("Only staff choose the community sources.")
    if request.method == "POST":
        chosen = {int(v) for v in request.POST.getlist("source") if v.isdigit()}
        known = set(Source.objects.filter(pk__in=chosen).values_list("pk", flat=True))
        with transaction.atomic():
            CommunitySource.objects.filter(team=team).exclude(source_id__in=known).delete()
            have = set(
                CommunitySource.objects.filter(team=team).values_list("source_id", flat=True)
            )
            CommunitySource.objects.bulk_create(
                CommunitySource(team=team, source_id=pk, added_by=request.user)
                for pk in known - have
            )
        messages.success(
            request, f"{len(known)} community source{'s' if len(known) != 1 else ''} chosen."
        )
        return redirect("operations:story_suggestions")
    chosen = set(CommunitySource.objects.filter(team=team).values_list("source_id", flat=True))
    sources = Source.objects.order_by("name").only("pk", "name", "url", "language", "country")
    return render(
        request, "operations/stories/community_sources.html", {"sources": sources, "chosen": chosen}
    )


@login_required
def spread(request: HttpRequest) -> HttpResponse:
    _team(request)
    start, end = stories.parse_quarter(request.GET.get("quarter", ""), today=timezone.localdate())
    shown = stories.spread(_ideas(request), start, end)
    context = {
        "spread": shown,
        "charts": [
            _chart(title, rows)
            for title, rows in (("Country", shown.countries), ("Language", shown.languages))
            if rows
        ],
        "previous": _quarter_name(start.replace(day=1) - timedelta(days=1)),
        "next": _quarter_name(end + timedelta(days=1)),
    }
    return render(request, "operations/stories/spread.html", context)


def _quarter_name(day: date) -> str:
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def _chart(title: str, rows) -> str:
    """Stories published per place; ideas collected when nothing was published yet."""
    published = any(row.published for row in rows)
    bars = tuple((row.label, row.published if published else row.ideas) for row in rows[:20])
    what = "Stories published" if published else "Ideas collected (none published yet)"
    return charts.svg(
        charts.Bars(
            title=f"{what} by {title.lower()}",
            bars=bars,
            x_label="Stories" if published else "Ideas",
        )
    )
