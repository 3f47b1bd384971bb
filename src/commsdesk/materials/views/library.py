"""The materials library: list and search (more to come)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from commsdesk.materials.models import Material


@login_required
def library(request: HttpRequest) -> HttpResponse:
    materials = Material.objects.for_team(request.user).select_related("owner")
    return render(request, "materials/library.html", {"materials": materials})
