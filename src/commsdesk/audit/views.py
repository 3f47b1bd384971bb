"""The audit page (team admins: their teams' entries; superusers: all) and the superuser's
"export everything" download. Writing entries happens elsewhere (`registry`, `downloads`)."""

from __future__ import annotations

import tempfile

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST

from commsdesk.accounts.models import Team
from commsdesk.audit import archive, entries
from commsdesk.audit.downloads import record_export
from commsdesk.audit.forms import ACTIONS, AuditFilters


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    if not request.user.is_superuser and not entries.audited_teams(request.user):
        raise PermissionDenied("Only a team's admins can read its audit log.")
    readable = entries.visible(request.user)
    form = AuditFilters(
        request.GET or None, people=entries.people(readable), models=entries.model_choices()
    )
    shown = readable
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        shown = entries.filtered(
            readable,
            actor=data["actor"],
            model=data["model"],
            action=data["action"],
            start=data["start"],
            end=data["end"],
        )
    page = Paginator(shown.order_by("-timestamp", "-pk"), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "rows": entries.rows(list(page)),
        "actions": dict(ACTIONS),
        "query": query.urlencode(),
        "status": 400 if form.is_bound and not form.is_valid() else 200,
    }
    return render(request, "audit/log.html", context, status=context["status"])


@login_required
@require_POST
def export_everything(request: HttpRequest) -> FileResponse:
    """The same archive as `commsdesk export-all`, for a superuser: it holds every team."""
    if not request.user.is_superuser:
        raise PermissionDenied("Only a superuser can export the whole installation.")
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it when sent
    manifest = archive.write(handle)
    handle.seek(0)
    total = sum(manifest["counts"].values())
    record_export(request, "Everything (full export archive)", Team, count=total)
    stamp = timezone.localtime().strftime("%Y-%m-%d-%H%M")
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"commsdesk-export-{stamp}.zip",
        content_type="application/zip",
    )
