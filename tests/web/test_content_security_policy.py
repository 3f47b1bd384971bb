"""The Content-Security-Policy header: strict on the app's pages and on the public press room
(no inline code or styles, no eval, no framing). The browser side is in tests/e2e."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.materials.press_data import room

pytestmark = pytest.mark.django_db

STRICT = (
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "frame-ancestors 'none'",
    "form-action 'self'",
    "object-src 'none'",
    "base-uri 'none'",
)


def test_the_policy_is_strict_on_app_pages_the_sign_in_and_the_press_room(
    member_client, client, team
):
    room(team)
    for response in (
        member_client.get(reverse("materials:library")),
        client.get(reverse("login")),
        client.get(reverse("press:room", args=["comms"])),
    ):
        policy = response["Content-Security-Policy"]
        for directive in STRICT:
            assert directive in policy
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_no_template_carries_inline_script_or_style():
    """What the policy would block anyway: kept out of the templates so nothing breaks."""
    from pathlib import Path

    import commsdesk

    root = Path(commsdesk.__file__).parent
    offenders = []
    for template in root.rglob("templates/**/*.html"):
        if "email" in template.name or "outputs" in template.parts or "_print" in template.name:
            continue  # emails and PDF layouts (and the HTML part of emails) are not served
        text = template.read_text()
        for needle in ("<script>", "<style", " style=", " onclick=", " onsubmit=", " onchange=",
                       "hx-on"):  # fmt: skip
            if needle in text:
                offenders.append(f"{template.relative_to(root)}: {needle.strip()}")
    assert not offenders, offenders
