"""Materials library pages: the filtered, searchable list with its counts, writing and editing
(with a live Markdown preview), a material's page with its workflow, history, diff, restore and
translations.

Thin: versions and diffs live in `versions`, translations in `translations`, search in `search`,
the workflow in `workflow`; every record is looked up through the person's teams first.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from commsdesk.accounts import roles
from commsdesk.accounts.models import Team
from commsdesk.materials import faq, reviews, search, translations, versions, workflow
from commsdesk.materials.library_forms import (
    LibraryFilterForm,
    MaterialForm,
    TranslateForm,
    team_people,
)
from commsdesk.materials.markdown import render as render_markdown
from commsdesk.materials.models import Material, Status


def _material(request: HttpRequest, pk: int) -> Material:
    materials = Material.objects.visible_to(request.user).select_related(
        "owner", "approved_by", "translation_of"
    )
    return get_object_or_404(materials, pk=pk)


def _editable(request: HttpRequest, pk: int) -> Material:
    material = _material(request, pk)
    if not roles.can_edit(request.user, material.team_id):
        raise PermissionDenied("Viewers cannot change materials.")
    return material


def _needs_review(today) -> Q:
    return Q(review_by__lte=today) & ~Q(status=Status.RETIRED)


@login_required
def library(request: HttpRequest) -> HttpResponse:
    user, today = request.user, timezone.localdate()
    mine = Material.objects.visible_to(user)
    teams = Team.objects.of(user)
    people = [p for team in teams for p in team_people(team.pk)]
    form = LibraryFilterForm(request.GET or None, people=list({p.pk: p for p in people}.values()))
    materials, error = _filtered(mine, form, today)
    counts = {
        "needs_review": mine.filter(_needs_review(today)).count(),
        "in_review": mine.filter(status=Status.IN_REVIEW).count(),
        "stale": translations.stale(mine).count(),
    }
    context = {
        "form": form,
        "materials": materials,
        "query_error": error,
        "counts": counts,
        "today": today,
        "languages": sorted(set(mine.values_list("language", flat=True))),
        "can_edit": any(roles.can_edit(user, t.pk) for t in teams),
    }
    template = "materials/_library_results.html" if request.htmx else "materials/library.html"
    return render(request, template, context)


def _filtered(mine, form: LibraryFilterForm, today) -> tuple[list[Material], object]:
    """The materials the filters and the search keep, or none and the search's error."""
    materials = mine.select_related("owner", "translation_of").prefetch_related("translations")
    if not form.is_valid():
        return list(materials), None
    data = form.cleaned_data
    for field in ("kind", "status"):
        if data[field]:
            materials = materials.filter(**{field: data[field]})
    if data["language"]:
        materials = materials.filter(language=data["language"].strip().lower())
    if data["owner"] == "none":
        materials = materials.filter(owner__isnull=True)
    elif data["owner"]:
        materials = materials.filter(owner_id=data["owner"])
    if data["needs_review"]:
        materials = materials.filter(_needs_review(today))
    if data["stale"]:
        materials = translations.stale(materials)
    found = list(materials)
    label = data["label"].strip().casefold()
    if label:
        # JSON list membership is not portable across SQLite and PostgreSQL; the team's few
        # hundred materials are checked here instead.
        found = [m for m in found if label in _labels(m)]
    try:
        return search.matching(found, data["q"]), None
    except search.QueryError as exc:
        return [], exc


def _labels(material: Material) -> set[str]:
    return {x.casefold() for x in (*material.tags, *material.topics, *material.audiences)}


@login_required
def new(request: HttpRequest) -> HttpResponse:
    team = Team.objects.default_for(request.user)
    if not roles.can_edit(request.user, team.pk):
        raise PermissionDenied("Viewers cannot write materials.")
    initial = {"owner": request.user.pk, "kind": request.GET.get("kind", "")}
    form = MaterialForm(
        request.POST or None,
        initial=initial,
        team_id=team.pk,
        may_mark_sensitive=roles.can_manage(request.user, team.pk),
    )
    if request.method == "POST" and form.is_valid():
        material = form.save(commit=False)
        material.team = team
        versions.save(material, author=request.user, note=form.cleaned_data["note"] or "Written")
        messages.success(request, f"“{material.title}” saved as a draft (version 1).")
        return redirect("materials:material", material.pk)
    return render(request, "materials/material_form.html", {"form": form, "material": None})


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    material = _editable(request, pk)
    was_approved = material.is_approved
    form = MaterialForm(
        request.POST or None,
        instance=material,
        team_id=material.team_id,
        may_mark_sensitive=roles.can_manage(request.user, material.team_id),
    )
    if request.method == "POST" and form.is_valid():
        edited = form.save(commit=False)
        try:
            version = versions.save(
                edited,
                author=request.user,
                note=form.cleaned_data["note"],
                based_on=form.cleaned_data["based_on"],
            )
        except versions.VersionConflict as exc:
            form.add_error(
                None,
                f"Someone saved version {exc.current} while you were editing. Your text is "
                "still below: copy what you need, then open the material again to see theirs.",
            )
            return render(
                request,
                "materials/material_form.html",
                {"form": form, "material": _material(request, pk)},
                status=409,
            )
        _say_saved(request, edited, version, was_approved)
        return redirect("materials:material", material.pk)
    status = 400 if request.method == "POST" else 200
    context = {
        "form": form,
        "material": material,
        "source_changes": translations.changes_since(material),
    }
    return render(request, "materials/material_form.html", context, status=status)


def _say_saved(request: HttpRequest, material: Material, version, was_approved: bool) -> None:
    if version is None:
        messages.success(request, "Saved. The text did not change, so no new version.")
    elif was_approved:
        messages.warning(
            request,
            f"Saved as version {version.number}. It is a draft again: approve it before it is "
            f"used (version {material.approved_version} stays the approved one until then).",
        )
    else:
        messages.success(request, f"Saved as version {version.number}.")


@login_required
@require_POST
def preview(request: HttpRequest) -> HttpResponse:
    """The Markdown as it will read, for the editor's live preview (nothing is saved)."""
    return HttpResponse(render_markdown(request.POST.get("body", "")))


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    material = _material(request, pk)
    user, today = request.user, timezone.localdate()
    kids = material.translations.select_related("owner").order_by("language")
    context = {
        "material": material,
        "faq": faq.split(material.body) if material.kind == Material.Kind.FAQ else None,
        "steps": workflow.allowed_steps(material, user),
        "can_edit": roles.can_edit(user, material.team_id),
        "overdue": material.review_by is not None
        and material.review_by <= today
        and material.status != Status.RETIRED,
        "translations": kids,
        "source_changes": translations.changes_since(material),
        "next_review": reviews.NEXT_REVIEW,
    }
    return render(request, "materials/material.html", context)


@login_required
@require_POST
def step(request: HttpRequest, pk: int) -> HttpResponse:
    material = _editable(request, pk)
    try:
        taken = workflow.apply(material, request.POST.get("step", ""), request.user)
    except workflow.WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        done = f"{taken.label}: done. It is now {material.get_status_display().lower()}."
        if material.is_approved:
            done = f"Approved version {material.approved_version}."
        messages.success(request, done)
    return redirect("materials:material", material.pk)


@login_required
@require_POST
def reviewed(request: HttpRequest, pk: int) -> HttpResponse:
    material = _editable(request, pk)
    try:
        days = int(request.POST.get("days", ""))
    except ValueError:
        days = 0
    if days not in reviews.NEXT_REVIEW:
        messages.error(request, "Choose when it should be reviewed next.")
    else:
        when = reviews.confirm(material, days=days)
        messages.success(request, f"Marked as checked. Next review by {when:%d %B %Y}.")
    return redirect("materials:material", material.pk)


@login_required
def history(request: HttpRequest, pk: int) -> HttpResponse:
    material = _material(request, pk)
    context = {
        "material": material,
        "versions": material.versions.select_related("author"),
        "can_edit": roles.can_edit(request.user, material.team_id),
    }
    return render(request, "materials/material_history.html", context)


@login_required
def compare(request: HttpRequest, pk: int) -> HttpResponse:
    material = _material(request, pk)
    numbers = material.versions.values_list("number", flat=True)
    newest = material.version
    try:
        a = int(request.GET.get("a", newest - 1 if newest > 1 else newest))
        b = int(request.GET.get("b", newest))
    except ValueError:
        raise Http404("Choose two versions from the history.") from None
    if a not in numbers or b not in numbers:
        raise Http404("That version does not exist.")
    old, new = material.versions.get(number=a), material.versions.get(number=b)
    context = {
        "material": material,
        "old": old,
        "new": new,
        "title_diff": versions.diff(old.title, new.title) if old.title != new.title else None,
        "body_diff": versions.diff(old.body, new.body),
        "numbers": list(numbers),
        "can_edit": roles.can_edit(request.user, material.team_id),
    }
    return render(request, "materials/material_diff.html", context)


@login_required
@require_POST
def restore(request: HttpRequest, pk: int) -> HttpResponse:
    material = _editable(request, pk)
    try:
        number = int(request.POST.get("number", ""))
        version = versions.restore(material, number, author=request.user)
    except (ValueError, material.versions.model.DoesNotExist):
        messages.error(request, "That version does not exist; nothing was restored.")
        return redirect("materials:material_history", material.pk)
    messages.success(
        request, f"Version {number} restored as version {version.number}. History is unchanged."
    )
    return redirect("materials:material", material.pk)


@login_required
def translate(request: HttpRequest, pk: int) -> HttpResponse:
    source = _editable(request, pk)
    if source.is_translation:
        messages.error(request, "Translate the original, not a translation.")
        return redirect("materials:material", source.translation_of_id)
    form = TranslateForm(request.POST or None, source=source, initial={"title": source.title})
    if request.method == "POST" and form.is_valid():
        translation = translations.start(
            source,
            language=form.cleaned_data["language"],
            title=form.cleaned_data["title"],
            author=request.user,
        )
        messages.success(
            request,
            f"Translation started from version {source.version}. The source text is in the "
            "editor: write the translation over it.",
        )
        return redirect("materials:material_edit", translation.pk)
    context = {"form": form, "source": source}
    status = 400 if request.method == "POST" else 200
    return render(request, "materials/material_translate.html", context, status=status)


@login_required
@require_POST
def caught_up(request: HttpRequest, pk: int) -> HttpResponse:
    translation = _editable(request, pk)
    if not translation.is_translation:
        raise Http404("Not a translation.")
    translations.mark_updated(translation)
    messages.success(
        request, f"Marked as up to date with version {translation.source_version} of the source."
    )
    return redirect("materials:material", translation.pk)
