"""The API's permission questions, asked of `accounts.roles` like every view: a write needs a
write token (or the browser session) and a role that may edit in the record's team.

Lookups are scoped to the caller's teams before any id is read, so another team's record is a
404 and never a 403 that would confirm it exists.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest
from ninja.errors import HttpError

from commsdesk.accounts import roles
from commsdesk.accounts.models import Team
from commsdesk.api.auth import can_write


def require_write(request: HttpRequest, team_id: int | None) -> None:
    """403 unless these credentials may write and the person may edit in `team_id`."""
    if not can_write(request):
        raise HttpError(
            403, "This token can only read: create a read-and-write token to change data."
        )
    if not roles.can_edit(request.user, team_id):
        raise HttpError(403, "Your role in this team is read-only.")


def require_write_anywhere(request: HttpRequest) -> None:
    """For installation-wide records (sources): staff of any team, as on the web pages
    (volunteers and viewers only read them)."""
    if not can_write(request):
        raise HttpError(
            403, "This token can only read: create a read-and-write token to change data."
        )
    if not roles.can_manage_shared(request.user):
        raise HttpError(403, "Only editors and admins of a team add sources.")


def team_for_new(request: HttpRequest, team_id: int | None) -> Team:
    """The team a new record goes to: the one named (a team of the caller's, else 404) or the
    caller's default team, checked for writing."""
    if team_id is None:
        team = Team.objects.default_for(request.user)
    else:
        team = Team.objects.of(request.user).filter(pk=team_id).first()
        if team is None:
            raise Http404("No such team among yours.")
    require_write(request, team.pk)
    return team


def sees_contacts(request: HttpRequest, team_id: int | None) -> bool:
    return roles.can_see_contacts(request.user, team_id)
