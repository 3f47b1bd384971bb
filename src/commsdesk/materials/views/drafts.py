"""Draft pages: the list with filters, writing from a template per kind, inserting approved
materials and statistics by reference, the stale-number fixes, review and approval, publishing a
release to the press room, live post-length counters and exports.

Thin: kinds and assembly live in `drafting`, citations and staleness in `citations`, lengths in
`social`, files in `exports`, the workflow in `workflow`.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from commsdesk.accounts import roles
from commsdesk.accounts.models import Profile, Team
from commsdesk.audit.downloads import record_export
from commsdesk.materials import citations, drafting, exports, facts, markdown, social, workflow
from commsdesk.materials.draft_forms import DraftForm
from commsdesk.materials.models import Draft, KeyStatistic, Material, Status
from commsdesk.operations import embargo
from commsdesk.relations.models import Inquiry

# What a reader of the draft sees: changing any of it needs approval again.
CONTENT = (
    "title", "subtitle", "language", "dateline", "lead", "body", "quotes", "boilerplate",
    "media_contact", "networks",
)  # fmt: skip


def _draft(request: HttpRequest, pk: int) -> Draft:
    drafts = Draft.objects.visible_to(request.user).select_related(
        "owner", "approved_by", "inquiry"
    )
    return get_object_or_404(embargo.visible(drafts, request.user), pk=pk)


def _editable(request: HttpRequest, pk: int) -> Draft:
    draft = _draft(request, pk)
    if not roles.can_edit(request.user, draft.team_id):
        raise PermissionDenied("Viewers cannot change drafts.")
    return draft


@login_required
def drafts(request: HttpRequest) -> HttpResponse:
    user = request.user
    filters = {key: request.GET.get(key, "").strip() for key in ("q", "kind", "status", "language")}
    filters["mine"] = request.GET.get("mine", "")
    rows = embargo.visible(Draft.objects.visible_to(user), user).select_related("owner", "inquiry")
    if filters["q"]:
        rows = rows.filter(Q(title__icontains=filters["q"]) | Q(body__icontains=filters["q"]))
    for key in ("kind", "status", "language"):
        if filters[key]:
            rows = rows.filter(**{key: filters[key]})
    if filters["mine"]:
        rows = rows.filter(owner=user)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    context = {
        "drafts": page.object_list,
        "page": page,
        "filters": filters,
        "kinds": Draft.Kind.choices,
        "statuses": Status.choices,
        "can_edit": any(roles.can_edit(user, t.pk) for t in Team.objects.of(user)),
    }
    return render(request, "materials/drafts.html", context)


@login_required
def new(request: HttpRequest) -> HttpResponse:
    user = request.user
    inquiry = None
    if "inquiry" in request.GET:
        inquiry = get_object_or_404(
            Inquiry.objects.for_team(user), pk=_number(request.GET["inquiry"])
        )
    team = inquiry.team if inquiry else Team.objects.default_for(user)
    if not roles.can_edit(user, team.pk):
        raise PermissionDenied("Viewers cannot write drafts.")
    kind = Draft.Kind.MEDIA_RESPONSE if inquiry else request.GET.get("kind", "")
    if kind not in Draft.Kind.values:
        return render(request, "materials/draft_kinds.html", {"kinds": Draft.Kind.choices})
    language = request.GET.get("language", "").strip()[:12] or "en"
    draft = Draft(team=team, owner=user, kind=kind, inquiry=inquiry)
    start = drafting.initial(kind, team.pk, language=language, inquiry=inquiry)
    form = DraftForm(
        request.POST or None,
        instance=draft,
        kind=kind,
        initial=start,
        may_mark_sensitive=roles.can_manage(user, team.pk),
    )
    if request.method == "POST" and form.is_valid():
        draft = form.save()
        drafting.cite_boilerplate(draft)
        messages.success(request, "Draft saved.")
        return _after_save(request, draft)
    return _form_page(request, form, draft, status=400 if request.method == "POST" else 200)


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _editable(request, pk)
    before = {field: getattr(draft, field) for field in CONTENT}
    form = DraftForm(
        request.POST or None,
        instance=draft,
        kind=draft.kind,
        may_mark_sensitive=roles.can_manage(request.user, draft.team_id),
    )
    if request.method == "POST" and form.is_valid():
        draft = form.save(commit=False)
        if any(getattr(draft, field) != before[field] for field in CONTENT):
            _edited(draft)
        if draft.generated and draft.body != before["body"]:
            # A person rewrote the generated text: it is theirs now.
            draft.generated = False
        draft.save()
        citations.forget_removed(draft)
        messages.success(request, "Draft saved.")
        return _after_save(request, draft)
    return _form_page(request, form, draft, status=400 if request.method == "POST" else 200)


def _edited(draft: Draft) -> None:
    """An approved draft whose words change goes back to draft and out of the press room."""
    if workflow.after_edit(draft):
        draft.published_at = None


def _after_save(request: HttpRequest, draft: Draft) -> HttpResponse:
    """An "Insert" button saved the form too: put the source in and keep editing."""
    choice = request.POST.get("insert", "")
    if not choice:
        return redirect("materials:draft", draft.pk)
    kind, _, pk = choice.partition(":")
    cursor = request.POST.get("cursor", "")
    position = int(cursor) if cursor.isdigit() else None
    field = request.POST.get("cursor_field", "body")
    if kind == "statistic":
        source = _approved(KeyStatistic, draft, pk, request.user)
        citation = citations.cite_statistic(draft, source, position, field)
    else:
        source = _approved(Material, draft, pk, request.user)
        citation = citations.cite_material(draft, source, position, field)
    _edited(draft)
    draft.save()
    messages.success(request, f"Inserted “{citation.text[:80]}” from {source}.")
    return redirect("materials:draft_edit", draft.pk)


def _approved(model, draft: Draft, pk: str, user):
    approved = model.objects.for_team(user).filter(team_id=draft.team_id, status=Status.APPROVED)
    return get_object_or_404(approved, pk=_number(pk))


def _number(text: str) -> int:
    """An id from a form or address; anything else is a 404, not a server error."""
    if not text.isdigit():
        raise Http404("No such record.")
    return int(text)


def _form_page(request: HttpRequest, form: DraftForm, draft: Draft, *, status: int):
    context = {
        "form": form,
        "draft": draft,
        "kind_label": Draft.Kind(form.kind).label,
        "is_social": form.kind == Draft.Kind.SOCIAL_POST,
        # As typed (or as it starts): the counters are right before the first keystroke.
        "counts": social.counts(form["body"].value() or "", form["networks"].value() or [])
        if form.kind == Draft.Kind.SOCIAL_POST
        else [],
        "sources": _sources(request.user, draft.team_id, ""),
        "zone": Profile.of(request.user).timezone,
    }
    return render(request, "materials/draft_form.html", context, status=status)


def _sources(user, team_id: int, query: str, limit: int = 40) -> dict:
    materials = Material.objects.visible_to(user).filter(team_id=team_id, status=Status.APPROVED)
    statistics = KeyStatistic.objects.filter(team_id=team_id, status=Status.APPROVED)
    if query:
        materials = materials.filter(Q(title__icontains=query) | Q(body__icontains=query))
        statistics = statistics.filter(Q(name__icontains=query) | Q(slug__icontains=query))
    return {
        "materials": materials[:limit],
        "statistics": [(s, facts.display(s)) for s in statistics[:limit]],
        "query": query,
    }


@login_required
def sources(request: HttpRequest) -> HttpResponse:
    """The insert panel's list, searched as people type (htmx)."""
    team = Team.objects.default_for(request.user)
    if request.GET.get("draft", "").isdigit():
        team = _draft(request, int(request.GET["draft"])).team
    found = _sources(request.user, team.pk, request.GET.get("q", "").strip())
    return render(request, "materials/_draft_sources.html", {"sources": found})


@login_required
@require_POST
def count(request: HttpRequest) -> HttpResponse:
    """The live counters: lengths come from the server so they match approval's check."""
    text = request.POST.get("body", "").replace("\r\n", "\n")
    chosen = request.POST.getlist("networks")
    return render(request, "materials/_social_counts.html", {"counts": social.counts(text, chosen)})


@login_required
@require_POST
def preview(request: HttpRequest) -> HttpResponse:
    """The Markdown preview of the form as typed (htmx), assembled as the export will be."""
    kind = request.POST.get("kind", "")
    if kind not in Draft.Kind.values:
        kind = Draft.Kind.BLOG_POST
    fields = {name: request.POST.get(name, "") for name in CONTENT if name != "networks"}
    draft = Draft(kind=kind, **fields)
    html = markdown.render(drafting.document(draft))
    return HttpResponse(html or '<p class="muted">Nothing written yet.</p>')


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft(request, pk)
    user = request.user
    context = {
        "draft": draft,
        "document": drafting.document(draft),
        "counts": social.counts(draft.body, draft.networks),
        "cited": [(c, _link(c.statistic or c.material)) for c in citations.cited(draft)],
        "problems": [
            (problem, _link(problem.statistic))
            for problem in citations.check(draft, today=timezone.localdate())
        ],
        "steps": workflow.allowed_steps(draft, user),
        "can_edit": roles.can_edit(user, draft.team_id),
        "can_approve": roles.can_approve(user, draft.team_id),
        "formats": exports.FORMATS,
        "zone": Profile.of(user).timezone,
    }
    return render(request, "materials/draft.html", context)


def _link(source: KeyStatistic | Material | None) -> str:
    """The library page of a cited source; empty while that page's part is not installed."""
    if source is None:
        return ""
    name = "materials:statistic" if isinstance(source, KeyStatistic) else "materials:material"
    try:
        return reverse(name, args=[source.pk])
    except NoReverseMatch:
        return ""


@login_required
@require_POST
def step(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _editable(request, pk)
    name = request.POST.get("step", "")
    if name == "approve":
        refusal = _refuse_approval(request, draft)
        if refusal:
            messages.error(request, refusal)
            return redirect("materials:draft", draft.pk)
    try:
        taken = workflow.apply(draft, name, request.user)
    except workflow.WorkflowError as exc:
        messages.error(request, str(exc))
        return redirect("materials:draft", draft.pk)
    if draft.status != Status.APPROVED and draft.published_at:
        draft.published_at = None
        draft.save(update_fields=["published_at"])
        messages.info(request, "It is no longer in the press room.")
    messages.success(request, f"{taken.label}: now {draft.get_status_display().lower()}.")
    return redirect("materials:draft", draft.pk)


def _refuse_approval(request: HttpRequest, draft: Draft) -> str:
    """Why approval is refused, or "". An over-long post cannot go out at all; out-of-date
    numbers need a person's confirmation, because the checker can be wrong (a number that only
    happens to equal an old value) and a hard refusal would block a correct draft."""
    if draft.kind == Draft.Kind.SOCIAL_POST:
        too_long = social.too_long(draft.body, draft.networks)
        if too_long:
            return "Cannot approve: the post is too long for " + "; ".join(too_long) + "."
    problems = citations.check(draft, today=timezone.localdate())
    if problems and request.POST.get("confirm_stale") != "1":
        return (
            f"Not approved: {len(problems)} number(s) or quotes may be out of date. Update them, "
            "or tick “Approve with these numbers” if they are right."
        )
    return ""


@login_required
@require_POST
def fix(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Update to the current value" for one cited source or one hand-typed old number."""
    draft = _editable(request, pk)
    citation_id = request.POST.get("citation", "")
    if citation_id.isdigit():
        citation = get_object_or_404(
            draft.citations.select_related("statistic", "material"), pk=citation_id
        )
        done = citations.update_citation(draft, citation)
    else:
        statistic = get_object_or_404(
            KeyStatistic.objects.filter(team_id=draft.team_id),
            pk=_number(request.POST.get("statistic", "")),
        )
        done = citations.update_typed(draft, statistic, request.POST.get("found", ""))
    if not done:
        messages.error(request, "Those words are no longer in the draft: nothing was changed.")
        return redirect("materials:draft", draft.pk)
    _edited(draft)
    draft.save()
    messages.success(request, "Updated to the library's current value.")
    return redirect("materials:draft", draft.pk)


@login_required
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft(request, pk)
    if not roles.can_approve(request.user, draft.team_id):
        raise PermissionDenied("Only staff can publish to the press room.")
    if request.POST.get("action") == "unpublish":
        draft.published_at = None
        draft.save(update_fields=["published_at"])
        messages.success(request, "Removed from the press room.")
        return redirect("materials:draft", draft.pk)
    if draft.kind != Draft.Kind.PRESS_RELEASE or draft.status != Status.APPROVED:
        messages.error(request, "Only an approved press release can be published.")
        return redirect("materials:draft", draft.pk)
    draft.slug = draft.slug or drafting.unique_slug(draft)
    draft.published_at = timezone.now()
    draft.save(update_fields=["slug", "published_at"])
    messages.success(request, "Published in the press room.")
    return redirect("materials:draft", draft.pk)


@login_required
def export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    draft = _draft(request, pk)
    if fmt not in exports.FORMATS:
        raise Http404("No such format.")
    made = exports.export(draft, fmt)
    record_export(request, f"Draft as {fmt.upper()}", draft)
    return HttpResponse(
        made.content,
        content_type=made.content_type,
        headers={"Content-Disposition": content_disposition_header(True, made.filename)},
    )
