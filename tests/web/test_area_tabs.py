"""The tabs under an area's menu entry: every materials page shows them, the right one current."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("path", "current"),
    [
        ("/materials/", "Library"),
        ("/materials/new/", "Library"),
        ("/materials/drafts/", "Drafts"),
        ("/materials/statistics/", "Key statistics"),
        ("/materials/press-kits/", "Press kits and press room"),
    ],
)
def test_materials_pages_show_their_tabs_with_the_current_one_marked(member_client, path, current):
    html = member_client.get(path).content.decode()
    assert 'aria-label="In this area"' in html
    assert f'aria-current="page">{current}</a>' in html
    for label in ("Library", "Drafts", "Key statistics", "Press kits and press room"):
        assert f">{label}</a>" in html


def test_other_areas_have_no_materials_tabs(member_client):
    assert 'aria-label="In this area"' not in member_client.get("/monitoring/").content.decode()
