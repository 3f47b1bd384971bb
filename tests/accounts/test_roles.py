"""What each role may do: one table the views ask."""

from __future__ import annotations

import pytest

from commsdesk.accounts import roles
from commsdesk.accounts.models import Membership

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "role,edit,manage,contacts",
    [
        ("admin", True, True, True),
        ("editor", True, True, True),
        ("volunteer", True, False, False),
        ("viewer", False, False, True),
    ],
)
def test_each_role_gets_its_powers(team, django_user_model, role, edit, manage, contacts):
    user = django_user_model.objects.create_user(f"u-{role}", password="pw-1234567890")
    Membership.objects.create(user=user, team=team, role=role)

    assert roles.can_edit(user, team.pk) is edit
    assert roles.can_manage(user, team.pk) is manage
    assert roles.can_see_contacts(user, team.pk) is contacts


def test_someone_outside_the_team_can_do_nothing_there(team, outsider):
    assert roles.role(outsider, team.pk) is None
    assert not roles.can_edit(outsider, team.pk)
    assert not roles.can_see_contacts(outsider, team.pk)
