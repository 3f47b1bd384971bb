"""What each team role may do, in one place: views, exports and (later) the API ask here.

admin and editor (staff) do everything in their team; a volunteer works on what they are given
but sees no contact details and approves nothing; a viewer reads. Superusers are admins.
"""

from __future__ import annotations

from django.conf import settings

from commsdesk.accounts.models import Membership

STAFF = (Membership.Role.ADMIN, Membership.Role.EDITOR)


def role(user, team_id: int | None) -> str | None:
    """The person's role in the team, or None when they are not a member."""
    if not getattr(user, "is_authenticated", False) or team_id is None:
        return None
    if user.is_superuser:
        return Membership.Role.ADMIN
    return (
        Membership.objects.filter(user=user, team_id=team_id).values_list("role", flat=True).first()
    )


def can_edit(user, team_id: int | None) -> bool:
    """Create and change the team's records (volunteers may, within what they can see)."""
    return role(user, team_id) in (*STAFF, Membership.Role.VOLUNTEER)


def can_manage(user, team_id: int | None) -> bool:
    """Delete, approve, send to the press, erase personal data: staff only."""
    return role(user, team_id) in STAFF


def can_approve(user, team_id: int | None) -> bool:
    """Approve or retire materials, statistics, drafts and press kits; publish to the press room."""
    return can_manage(user, team_id)


def can_see_contacts(user, team_id: int | None) -> bool:
    """Email addresses, phone numbers and handles of journalists and spokespeople."""
    return role(user, team_id) in (*STAFF, Membership.Role.VIEWER)


def can_audit(user, team_id: int | None) -> bool:
    """Read the team's audit log (who changed what, who downloaded personal data): admins."""
    return role(user, team_id) == Membership.Role.ADMIN


def can_see_sensitive(user, team_id: int | None) -> bool:
    """Records marked sensitive: the roles in COMMSDESK_SENSITIVE_ROLES (admin, editor)."""
    return role(user, team_id) in settings.COMMSDESK_SENSITIVE_ROLES


def can_manage_shared(user) -> bool:
    """Installation-wide records every team reads (sources): staff of any team. Someone in no
    team yet becomes the admin of their own on their first record (Team.objects.default_for)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    held = set(Membership.objects.filter(user=user).values_list("role", flat=True))
    return not held or bool(held & set(STAFF))
