"""CSRF on every form and htmx request: every page of the project is rendered for a staff member
with the seeded records, and every POST form on it must carry Django's token; pages that send
htmx POSTs carry the token header on <body>. A POST without the token is refused."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from tests.web.test_authorization_matrix import EXPECTATIONS, PUBLIC, address

pytestmark = pytest.mark.django_db


class Forms(HTMLParser):
    """POST forms (with whether each holds a csrfmiddlewaretoken) and htmx POST senders."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self.open: dict | None = None
        self.htmx_posts = 0
        self.body_headers = ""

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "body":
            self.body_headers = attributes.get("hx-headers") or ""
        if any(name in attributes for name in ("hx-post", "hx-put", "hx-patch", "hx-delete")):
            self.htmx_posts += 1
        if tag == "form" and (attributes.get("method") or "").lower() == "post":
            self.open = {"action": attributes.get("action", ""), "token": False}
            self.forms.append(self.open)
        token = attributes.get("name") == "csrfmiddlewaretoken" and attributes.get("value")
        if tag == "input" and self.open is not None and token:
            self.open["token"] = True

    def handle_endtag(self, tag):
        if tag == "form":
            self.open = None


def _pages(world) -> list[tuple[str, str]]:
    return [
        (name, address(name, world["records"]))
        for name, (_, anonymous, _, _, method) in sorted(EXPECTATIONS.items())
        if method == "get" and anonymous != PUBLIC or name in ("login", "password_reset")
    ]


def test_every_post_form_on_every_page_carries_the_csrf_token(world):
    editor: Client = world["editor"]
    missing, pages_with_forms = [], 0
    for name, url in _pages(world):
        response = editor.get(url)
        if "text/html" not in response.get("Content-Type", "") or response.streaming:
            continue
        parsed = Forms()
        parsed.feed(response.content.decode())
        pages_with_forms += bool(parsed.forms)
        missing += [f"{name}: form to {f['action'] or url}" for f in parsed.forms if not f["token"]]
        if parsed.htmx_posts and "X-CSRFToken" not in parsed.body_headers:
            missing.append(f"{name}: htmx POSTs without the X-CSRFToken header on <body>")
    assert pages_with_forms > 40  # the crawl did reach the pages
    assert not missing, "\n".join(missing)


def test_a_post_without_the_token_is_refused_and_with_the_htmx_header_accepted(world, member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    url = reverse("materials:draft_count")
    assert client.post(url, {"body": "Hello", "networks": ["x"]}).status_code == 403
    page = client.get(reverse("materials:draft_new") + "?kind=social_post")
    token = page.context["csrf_token"]
    answer = client.post(
        url, {"body": "Hello", "networks": ["x"]}, headers={"X-CSRFToken": str(token)}
    )
    assert answer.status_code == 200
