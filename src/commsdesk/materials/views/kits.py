"""Press kit pages for the team: the list, one kit with its materials, releases and files, the
workflow buttons, file uploads and downloads, the team's ZIP; and the press room's settings.

Thin: what goes in a ZIP is `materials.kit_archive`, which files are accepted `kit_files`, the
workflow `materials.workflow`. The public press room is `views.pressroom`.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from commsdesk.accounts import roles
from commsdesk.accounts.models import Team
from commsdesk.audit.downloads import record_export
from commsdesk.materials import assistant, kit_archive, kit_files, workflow
from commsdesk.materials.kit_forms import KitFileForm, PressKitForm, PressRoomForm
from commsdesk.materials.models import Draft, Material, PressKit, PressKitFile, PressRoom
from commsdesk.operations import embargo


def _kit(request: HttpRequest, pk: int) -> PressKit:
    return get_object_or_404(PressKit.objects.for_team(request.user).select_related("team"), pk=pk)


def _editable(request: HttpRequest, pk: int) -> PressKit:
    kit = _kit(request, pk)
    if not roles.can_edit(request.user, kit.team_id):
        raise PermissionDenied("Viewers cannot change press kits.")
    return kit


@login_required
def kits(request: HttpRequest) -> HttpResponse:
    user = request.user
    listed = PressKit.objects.for_team(user).select_related("owner", "approved_by")
    teams = list(Team.objects.of(user))
    context = {
        "kits": listed,
        "can_edit": any(roles.can_edit(user, team.pk) for team in teams),
        "can_manage": any(roles.can_manage(user, team.pk) for team in teams),
        "rooms": PressRoom.objects.filter(team__in=teams, enabled=True),
    }
    return render(request, "materials/kits.html", context)


@login_required
def kit_new(request: HttpRequest) -> HttpResponse:
    team = Team.objects.default_for(request.user)
    if not roles.can_edit(request.user, team.pk):
        raise PermissionDenied("Viewers cannot make press kits.")
    form = PressKitForm(request.POST or None, team_id=team.pk)
    if request.method == "POST" and form.is_valid():
        kit = form.save(commit=False)
        kit.team, kit.owner = team, request.user
        kit.save()
        form.save_m2m()
        messages.success(request, f"Press kit “{kit.title}” created. Add its files below.")
        return redirect("materials:kit", kit.pk)
    status = 400 if form.errors else 200
    return render(request, "materials/kit_form.html", {"form": form, "kit": None}, status=status)


@login_required
def kit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    kit = _editable(request, pk)
    form = PressKitForm(request.POST or None, instance=kit, team_id=kit.team_id)
    if request.method == "POST" and form.is_valid():
        kit = form.save(commit=False)
        went_back = bool(form.has_changed() and workflow.after_edit(kit))
        kit.save()
        form.save_m2m()
        _saved(request, went_back)
        return redirect("materials:kit", kit.pk)
    status = 400 if form.errors else 200
    return render(request, "materials/kit_form.html", {"form": form, "kit": kit}, status=status)


def _saved(request: HttpRequest, went_back: bool) -> None:
    if went_back:
        messages.warning(
            request, "Saved. The kit changed, so it is a draft again until it is re-approved."
        )
    else:
        messages.success(request, "Saved.")


@login_required
def kit(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, _kit(request, pk), KitFileForm())


def _page(request: HttpRequest, kit: PressKit, file_form: KitFileForm, status: int = 200):
    user = request.user
    room = PressRoom.objects.filter(team_id=kit.team_id, enabled=True).first()
    context = {
        "kit": kit,
        "materials": (kit.materials.all() & Material.objects.visible_to(user)).order_by(
            "kind", "title"
        ),
        "releases": embargo.visible(
            kit.releases.all() & Draft.objects.visible_to(user), user
        ).order_by("-published_at", "title"),
        "files": kit.files.all(),
        "public_materials": set(
            kit_archive.materials_in(kit, public=True).values_list("pk", flat=True)
        ),
        "public_releases": set(
            kit_archive.releases_in(kit, public=True).values_list("pk", flat=True)
        ),
        "steps": workflow.allowed_steps(kit, user),
        "can_edit": roles.can_edit(user, kit.team_id),
        "file_form": file_form,
        "room": room,
        "max_mb": kit_files.max_bytes() // 1024 // 1024,
        "assistant_on": assistant.configured(),
    }
    return render(request, "materials/kit.html", context, status=status)


@login_required
@require_POST
def kit_step(request: HttpRequest, pk: int) -> HttpResponse:
    kit = _editable(request, pk)
    try:
        step = workflow.apply(kit, request.POST.get("step", ""), request.user)
    except workflow.WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, f"{step.label}: done. The kit is now {kit.get_status_display().lower()}."
        )
    return redirect("materials:kit", kit.pk)


@login_required
@require_POST
def kit_file_add(request: HttpRequest, pk: int) -> HttpResponse:
    kit = _editable(request, pk)
    form = KitFileForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, kit, form, status=400)
    data = form.cleaned_data
    stored = kit_files.store(
        kit, data["file"], kind=data["kind"], caption=data["caption"], credit=data["credit"]
    )
    messages.success(request, f"Added “{stored.name}”.")
    if workflow.after_edit(kit):
        kit.save(update_fields=["status", "updated_at"])
        _saved(request, went_back=True)
    return redirect("materials:kit", kit.pk)


@login_required
def kit_file(request: HttpRequest, pk: int, file_pk: int) -> FileResponse:
    kit = _kit(request, pk)
    stored = get_object_or_404(PressKitFile, kit=kit, pk=file_pk)
    if "preview" not in request.GET:  # a thumbnail in the kit's own page is not a download
        record_export(request, "Press-kit file", stored)
    return attachment(stored, preview="preview" in request.GET)


def attachment(stored: PressKitFile, *, preview: bool = False) -> FileResponse:
    """A kit file as a download. Only checked raster images may be shown inline (`preview`, for
    an <img>); an uploaded SVG, PDF or document never runs in our pages' origin."""
    inline = preview and kit_files.previewable(stored)
    response = FileResponse(stored.file.open("rb"), as_attachment=not inline, filename=stored.name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


@login_required
@require_POST
def kit_file_delete(request: HttpRequest, pk: int, file_pk: int) -> HttpResponse:
    kit = _editable(request, pk)
    stored = get_object_or_404(PressKitFile, kit=kit, pk=file_pk)
    stored.file.delete(save=False)
    stored.delete()
    if workflow.after_edit(kit):
        kit.save(update_fields=["status", "updated_at"])
    messages.success(request, f"Removed “{stored.name}”.")
    return redirect("materials:kit", kit.pk)


@login_required
def kit_zip(request: HttpRequest, pk: int) -> FileResponse:
    kit = _kit(request, pk)
    record_export(request, "Press kit as ZIP (with unpublished files)", kit)
    return FileResponse(
        kit_archive.build(kit, public=False, viewer=request.user),
        as_attachment=True,
        filename=kit_archive.zip_name(kit),
        content_type="application/zip",
    )


@login_required
def press_room_settings(request: HttpRequest) -> HttpResponse:
    team = Team.objects.default_for(request.user)
    if not roles.can_manage(request.user, team.pk):
        raise PermissionDenied("Only staff (editors and admins) can change the press room.")
    room = PressRoom.objects.filter(team=team).first() or PressRoom(
        team=team, slug=team.slug, title=f"{team.name} press room"
    )
    form = PressRoomForm(request.POST or None, instance=room)
    if request.method == "POST" and form.is_valid():
        room = form.save()
        state = "on" if room.enabled else "off"
        messages.success(request, f"Press room settings saved. The public press room is {state}.")
        return redirect("materials:press_room_settings")
    context = {"form": form, "room": room, "team": team}
    return render(
        request, "materials/press_room_settings.html", context, status=400 if form.errors else 200
    )
