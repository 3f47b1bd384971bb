"""Journalist and outlet pages: the contacts list, a journalist's page, add/edit/delete with
duplicate detection, merge, byline suggestions, CSV/vCard import and export, and a person's
data rights (export everything, erase). Logic lives in `contacts`, `contact_files` and
`data_rights`; every lookup is scoped to the person's teams first.
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from commsdesk.accounts import roles
from commsdesk.accounts.models import Team
from commsdesk.audit.downloads import record_export
from commsdesk.monitoring.models import Article, Outlet
from commsdesk.relations import contact_files, contacts, data_rights
from commsdesk.relations.contact_forms import (
    ContactFileForm,
    JournalistForm,
    OutletForm,
    chosen_team,
    offer_teams,
)
from commsdesk.relations.models import Affiliation, Journalist

PER_PAGE = 50


def _journalists(request: HttpRequest):
    return Journalist.objects.visible_to(request.user)


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _powers(user, team_id: int | None) -> dict[str, bool]:
    return {
        "can_edit": roles.can_edit(user, team_id),
        "can_manage": roles.can_manage(user, team_id),
        "can_see_contacts": roles.can_see_contacts(user, team_id),
    }


@login_required
def journalist_list(request: HttpRequest) -> HttpResponse:
    get = request.GET
    found = contacts.find(
        _journalists(request).prefetch_related("affiliations__outlet"),
        text=get.get("q", "").strip(),
        language=get.get("language", "").strip(),
        country=get.get("country", "").strip(),
        do_not_contact=get.get("dnc", ""),
    )
    page = Paginator(found, PER_PAGE).get_page(get.get("page"))
    team = Team.objects.of(request.user).first()
    context = {
        "page": page,
        "filters": get,
        "shows_contacts": contacts.contact_teams(request.user),
        **_powers(request.user, team.pk if team else None),
    }
    return render(request, "relations/journalists.html", context)


def _save_journalist(form: JournalistForm, journalist: Journalist) -> Journalist:
    """Save the form; a new outlet closes the current job (the history keeps it)."""
    with transaction.atomic():
        journalist = form.save()
        outlet, title = form.cleaned_data.get("outlet"), form.cleaned_data.get("title", "")
        current = journalist.affiliations.filter(until__isnull=True).first()
        if current and outlet and current.outlet_id == outlet.pk:
            if current.title != title:
                current.title = title
                current.save(update_fields=["title"])
        elif outlet:
            if current:
                current.until = timezone.localdate()
                current.save(update_fields=["until"])
            Affiliation.objects.create(
                journalist=journalist, outlet=outlet, title=title, since=timezone.localdate()
            )
    return journalist


@login_required
def journalist_new(request: HttpRequest) -> HttpResponse:
    team = Team.objects.default_for(request.user)
    _require(roles.can_edit(request.user, team.pk))
    with_contacts = roles.can_see_contacts(request.user, team.pk)
    form = JournalistForm(
        request.POST or None,
        with_contacts=with_contacts,
        may_mark_sensitive=roles.can_manage(request.user, team.pk),
    )
    offer_teams(form, request.user, team)
    duplicates: list[Journalist] = []
    if request.method == "POST" and form.is_valid():
        team = chosen_team(form, team)
        data = form.cleaned_data
        outlet = data.get("outlet")
        duplicates = contacts.duplicates_of(
            Journalist.objects.visible_to(request.user).filter(team=team),
            name=data["name"],
            email=data.get("email", ""),
            outlet_ids=[outlet.pk] if outlet else [],
        )
        into = request.POST.get("merge_into")
        if into:
            kept = get_object_or_404(
                Journalist.objects.visible_to(request.user).filter(team=team), pk=into
            )
            contacts.absorb(kept, data)
            kept.save()
            messages.success(request, f"Added these details to {kept.name}.")
            return redirect("relations:journalist", kept.pk)
        if not duplicates or request.POST.get("not_duplicate"):
            journalist = form.save(commit=False)
            journalist.team = team
            journalist = _save_journalist(form, journalist)
            messages.success(request, f"Added {journalist.name}.")
            return redirect("relations:journalist", journalist.pk)
    context = {"form": form, "journalist": None, "duplicates": duplicates}
    return render(request, "relations/journalist_form.html", context)


@login_required
def journalist_detail(request: HttpRequest, pk: int) -> HttpResponse:
    journalist = get_object_or_404(_journalists(request), pk=pk)
    context = {
        "journalist": journalist,
        "jobs": journalist.affiliations.select_related("outlet").order_by("until", "-since"),
        "lists": journalist.media_lists.all(),
        "articles": contacts.recent_articles(journalist),
        "duplicates": contacts.possible_duplicates(journalist),
        **_powers(request.user, journalist.team_id),
    }
    return render(request, "relations/journalist.html", context)


@login_required
def journalist_edit(request: HttpRequest, pk: int) -> HttpResponse:
    journalist = get_object_or_404(_journalists(request), pk=pk)
    _require(roles.can_edit(request.user, journalist.team_id))
    current = journalist.affiliations.filter(until__isnull=True).first()
    form = JournalistForm(
        request.POST or None,
        instance=journalist,
        with_contacts=roles.can_see_contacts(request.user, journalist.team_id),
        may_mark_sensitive=roles.can_manage(request.user, journalist.team_id),
        initial={
            "outlet": current.outlet_id if current else None,
            "title": current.title if current else "",
        },
    )
    if request.method == "POST" and form.is_valid():
        _save_journalist(form, journalist)
        messages.success(request, f"Saved {journalist.name}.")
        return redirect("relations:journalist", journalist.pk)
    return render(
        request, "relations/journalist_form.html", {"form": form, "journalist": journalist}
    )


@login_required
@require_POST
def journalist_delete(request: HttpRequest, pk: int) -> HttpResponse:
    journalist = get_object_or_404(_journalists(request), pk=pk)
    _require(roles.can_manage(request.user, journalist.team_id))
    journalist.delete()
    messages.success(request, f"Deleted {journalist.name}.")
    return redirect("relations:journalists")


@login_required
def journalist_merge(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff: fold another journalist of the same team into this one."""
    kept = get_object_or_404(_journalists(request), pk=pk)
    _require(roles.can_manage(request.user, kept.team_id))
    same_team = Journalist.objects.filter(team_id=kept.team_id).exclude(pk=kept.pk)
    other_id = request.POST.get("other") or request.GET.get("other")
    other = get_object_or_404(same_team, pk=other_id) if other_id else None
    if request.method == "POST" and other is not None:
        name = other.name
        result = contacts.merge(kept, other)
        messages.success(
            request,
            f"Merged {name} into {kept.name}: {result.affiliations} job(s), {result.lists} "
            f"list(s), {result.pitches} pitch(es), {result.inquiries} inquir(y/ies) moved.",
        )
        return redirect("relations:journalist", kept.pk)
    context = {
        "journalist": kept,
        "other": other,
        "suggested": contacts.possible_duplicates(kept),
        "choices": same_team.only("pk", "name"),
    }
    return render(request, "relations/journalist_merge.html", context)


@login_required
def journalist_export(request: HttpRequest, fmt: str) -> HttpResponse:
    journalists = contacts.find(
        _journalists(request),
        text=request.GET.get("q", "").strip(),
        language=request.GET.get("language", "").strip(),
        country=request.GET.get("country", "").strip(),
        do_not_contact=request.GET.get("dnc", ""),
    )
    shows = contacts.contact_teams(request.user)
    stamp = timezone.localdate().isoformat()
    if fmt == "vcf":
        response = HttpResponse(
            contact_files.vcards(journalists, shows_contacts=shows), content_type="text/vcard"
        )
    elif fmt == "csv":
        response = StreamingHttpResponse(
            contact_files.csv_lines(journalists, shows_contacts=shows),
            content_type="text/csv; charset=utf-8",
        )
    else:
        return HttpResponse("Export as csv or vcf.", status=404)
    record_export(request, f"Journalists as {fmt.upper()}", journalists)
    response["Content-Disposition"] = f'attachment; filename="journalists-{stamp}.{fmt}"'
    return response


@login_required
def journalist_import(request: HttpRequest) -> HttpResponse:
    team = Team.objects.default_for(request.user)
    _require(roles.can_manage(request.user, team.pk))
    form = ContactFileForm(request.POST or None, request.FILES or None)
    report, is_vcard = None, False
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        is_vcard = upload.name.lower().endswith(
            (".vcf", ".vcard")
        ) or data.lstrip().upper().startswith(b"BEGIN:VCARD")
        try:
            rows = contact_files.read_vcards(data) if is_vcard else contact_files.read_csv(data)
            report = contact_files.import_rows(team, rows)
        except ValueError as exc:
            form.add_error("file", str(exc))
        else:
            messages.success(
                request,
                f"Imported {len(report.created)} journalist(s); "
                f"{len(report.problems)} row(s) not imported.",
            )
    context = {"form": form, "report": report, "is_vcard": is_vcard}
    return render(request, "relations/journalist_import.html", context)


@login_required
def journalist_data(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff: everything held on this journalist, as a JSON download (a subject access request)."""
    journalist = get_object_or_404(_journalists(request), pk=pk)
    _require(roles.can_manage(request.user, journalist.team_id))
    body = json.dumps(data_rights.journalist_record(journalist), indent=2, ensure_ascii=False)
    record_export(request, "Everything held on a journalist (JSON)", journalist)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    name = slugify(journalist.name) or "journalist"
    response["Content-Disposition"] = f'attachment; filename="{name}-{journalist.pk}-data.json"'
    return response


@login_required
def journalist_erase(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff: erase a person after a confirmation page; only an Erasure row remains."""
    journalist = get_object_or_404(_journalists(request), pk=pk)
    _require(roles.can_manage(request.user, journalist.team_id))
    if request.method == "POST" and request.POST.get("confirm") == "erase":
        data_rights.erase_journalist(journalist, by=request.user)
        messages.success(request, "The journalist and their personal data were erased.")
        return redirect("relations:journalists")
    return render(request, "relations/journalist_erase.html", {"journalist": journalist})


# ------------------------------------------------------------------------------ suggestions


@login_required
def suggestions(request: HttpRequest) -> HttpResponse:
    team = Team.objects.default_for(request.user)
    try:
        days = min(max(int(request.GET.get("days", 30)), 1), 365)
    except ValueError:
        days = 30
    rows = contacts.suggestions(Journalist.objects.filter(team=team), days=days)
    context = {"rows": rows, "days": days, "can_edit": roles.can_edit(request.user, team.pk)}
    return render(request, "relations/suggestions.html", context)


@login_required
@require_POST
def suggestion_add(request: HttpRequest) -> HttpResponse:
    team = Team.objects.default_for(request.user)
    _require(roles.can_edit(request.user, team.pk))
    author = request.POST.get("author", "").strip()
    outlet_id = request.POST.get("outlet")
    outlet = get_object_or_404(Outlet, pk=outlet_id) if outlet_id else None
    if not author:
        messages.error(request, "No author was given.")
        return redirect("relations:suggestions")
    twins = contacts.duplicates_of(
        Journalist.objects.filter(team=team), name=author, outlet_ids=[outlet.pk] if outlet else []
    )
    if twins:
        messages.info(request, f"{author} is already in the contacts.")
        return redirect("relations:journalist", twins[0].pk)
    journalist = contacts.add_from_byline(team, author, outlet)
    messages.success(request, f"Added {journalist.name} to the contacts.")
    return redirect(request.POST.get("next") or "relations:suggestions")


# --------------------------------------------------------------------------------- outlets


def _staff_somewhere(user) -> bool:
    # Outlets are shared by every team (they come from the articles): staff of a team edit them.
    return any(
        roles.can_manage(user, pk) for pk in Team.objects.of(user).values_list("pk", flat=True)
    )


@login_required
def outlet_list(request: HttpRequest) -> HttpResponse:
    text = request.GET.get("q", "").strip()
    outlets = Outlet.objects.all()
    if text:
        outlets = outlets.filter(Q(name__icontains=text) | Q(domain__icontains=text))
    if request.GET.get("tier") in ("1", "2", "3"):
        outlets = outlets.filter(tier=int(request.GET["tier"]))
    if request.GET.get("type") in Outlet.Type.values:
        outlets = outlets.filter(type=request.GET["type"])
    teams = Team.objects.of(request.user)
    outlets = outlets.annotate(
        contacts=Count(
            "affiliations__journalist",
            filter=Q(affiliations__journalist__team__in=teams),
            distinct=True,
        )
    )
    page = Paginator(outlets.order_by("name", "pk"), PER_PAGE).get_page(request.GET.get("page"))
    context = {"page": page, "filters": request.GET, "types": Outlet.Type.choices}
    return render(request, "relations/outlets.html", context)


@login_required
def outlet_detail(request: HttpRequest, pk: int) -> HttpResponse:
    outlet = get_object_or_404(Outlet, pk=pk)
    jobs = (
        Affiliation.objects.filter(outlet=outlet, journalist__in=_journalists(request))
        .select_related("journalist")
        .order_by("journalist__name")
    )
    context = {
        "outlet": outlet,
        "current": [job for job in jobs if job.until is None],
        "past": [job for job in jobs if job.until is not None],
        "articles": Article.objects.filter(outlet=outlet)
        .defer("text", "raw_html", "minhash")
        .order_by("-sort_at", "-id")[:20],
        "can_manage": _staff_somewhere(request.user),
    }
    return render(request, "relations/outlet.html", context)


@login_required
def outlet_edit(request: HttpRequest, pk: int) -> HttpResponse:
    outlet = get_object_or_404(Outlet, pk=pk)
    _require(_staff_somewhere(request.user))
    form = OutletForm(request.POST or None, instance=outlet)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Saved {outlet.name}.")
        return redirect("relations:outlet", outlet.pk)
    return render(request, "relations/outlet_form.html", {"form": form, "outlet": outlet})
