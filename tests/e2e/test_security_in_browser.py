"""In a real browser: the main pages of every area (and the public press room) run under the
strict Content-Security-Policy without a single violation while htmx still works, and records
carrying script payloads (stored XSS) never execute and are shown as text."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile

from commsdesk.accounts.models import Membership, Team
from commsdesk.materials.models import PressKitFile
from tests.web.team_records import seed
from tests.web.test_authorization_matrix import address

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"
MAIN_PAGES = [
    "home",
    "preferences",
    "monitoring:articles",
    "monitoring:article",
    "monitoring:stories",
    "monitoring:story",
    "monitoring:sources",
    "monitoring:source",
    "monitoring:searches",
    "monitoring:search",
    "monitoring:search_new",
    "monitoring:trends",
    "monitoring:attention",
    "relations:overview",
    "relations:journalists",
    "relations:journalist",
    "relations:outlet",
    "relations:media_list",
    "relations:inquiries",
    "relations:inquiry",
    "relations:pitches",
    "relations:pitch",
    "relations:speakers",
    "relations:speaking",
    "relations:calendar",
    "campaigns:list",
    "campaigns:campaign",
    "campaigns:report",
    "materials:library",
    "materials:material",
    "materials:material_edit",
    "materials:drafts",
    "materials:draft",
    "materials:draft_edit",
    "materials:statistics",
    "materials:kits",
    "materials:kit",
    "press:room",
    "press:release",
]


class Watch:
    """CSP violations and dialogs (alert, confirm) seen by one page."""

    def __init__(self, page) -> None:
        self.violations: list[str] = []
        self.dialogs: list[str] = []
        page.set_default_timeout(60_000)  # many pages in one test, on a shared 2-core machine
        page.on("console", self._console)
        page.on("dialog", self._dialog)
        # Reported by the browser itself as well as in the console.
        page.add_init_script(
            "document.addEventListener('securitypolicyviolation', e => (window.__csp ="
            " window.__csp || []).push(e.violatedDirective + ' ' + e.blockedURI));"
        )
        self.page = page

    def _console(self, message) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.violations.append(message.text)

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def reported(self) -> list[str]:
        return self.page.evaluate("window.__csp || []")


@pytest.fixture
def editor(db):
    user = get_user_model().objects.create_user("associate", password=PASSWORD)
    team = Team.objects.create(name="Communications", slug="comms")
    Membership.objects.create(user=user, team=team, role="editor")
    return user, team


def _sign_in(page, live_server) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("associate")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("navigation", name="Main").wait_for()


def test_the_main_pages_run_under_the_policy_and_htmx_still_works(
    page, live_server, editor, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    user, team = editor
    records = seed(team, user)
    watch = Watch(page)
    _sign_in(page, live_server)
    for name in MAIN_PAGES:
        response = page.goto(live_server.url + address(name, records))
        assert response.status == 200, name
        assert "default-src 'self'" in response.headers["content-security-policy"], name
        assert not watch.reported(), f"{name}: {watch.reported()}"

    # htmx under the policy: the saved-search live preview, the draft's social counters and
    # the material preview still answer as people type.
    page.goto(live_server.url + "/monitoring/searches/new/")
    page.get_by_label("Name", exact=True).fill("Our encyclopedia")
    page.get_by_label("Query", exact=True).fill("wikipedia AND (")
    page.get_by_text("This '(' is never closed.").wait_for()
    page.goto(live_server.url + "/materials/drafts/new/?kind=social_post")
    page.get_by_label("Post", exact=True).fill("中" * 141)
    page.locator("#social-counts").get_by_text("282 / 280 — 2 over").wait_for()
    page.goto(live_server.url + "/materials/new/")
    page.get_by_label("Text (Markdown)").fill("Knowledge is **free**.")
    page.locator("#preview strong").get_by_text("free").wait_for()
    # A delete button asks first (static JS instead of an inline onsubmit): dismissed, kept.
    page.goto(live_server.url + address("relations:inquiry", records))
    page.get_by_role("button", name="Delete").click()
    page.get_by_role("heading", name="Budget question").wait_for()
    assert watch.dialogs == ["Delete this inquiry for good?"]

    assert not watch.violations, watch.violations
    assert not watch.reported(), watch.reported()


SCRIPT = "<script>alert('script')</script>"
IMG = "<img src=x onerror=alert('img')>"
SVG = '"><svg onload=alert("svg")>'
PAYLOAD = f"X {SCRIPT} {IMG} {SVG}"
MARKDOWN = f"{PAYLOAD}\n\n[a link](javascript:alert('link')) <a href=\"javascript:alert(2)\">b</a>"


def _plant(records: dict) -> None:
    """Script payloads in every field people see: names, titles, bodies, file names."""
    plain = {
        "source": "name",
        "article": "title",
        "outlet": "name",
        "journalist": "name",
        "search": "name",
        "inquiry": "topic",
        "media_list": "name",
        "campaign": "name",
        "pitch": "subject",
        "speaker": "name",
    }
    for key, field in plain.items():
        setattr(records[key], field, f"{getattr(records[key], field)} {PAYLOAD}")
        records[key].save()
    records["article"].text = MARKDOWN
    records["article"].save()
    material = records["material"]
    material.body = MARKDOWN
    material.public = True
    material.kind = "boilerplate"
    material.save()
    material.versions.update(body=MARKDOWN)
    draft = records["draft"]
    draft.title, draft.body, draft.lead = f"Release {PAYLOAD}", MARKDOWN, MARKDOWN
    draft.save()
    PressKitFile.objects.create(
        kit=records["kit"], name=f"logo{IMG}.txt", file=ContentFile(b"x", name="logo.txt")
    )


XSS_PAGES = [
    "monitoring:sources",
    "monitoring:source",
    "monitoring:articles",
    "monitoring:article",
    "monitoring:searches",
    "monitoring:search",
    "relations:journalists",
    "relations:journalist",
    "relations:outlet",
    "relations:inquiries",
    "relations:inquiry",
    "relations:media_list",
    "relations:pitch",
    "relations:speakers",
    "campaigns:list",
    "campaigns:campaign",
    "materials:library",
    "materials:material",
    "materials:material_edit",
    "materials:drafts",
    "materials:draft",
    "materials:draft_edit",
    "materials:kit",
    "press:room",
    "press:release",
]
# Elements a payload would have become had it not been escaped or cleaned.
INJECTED = (
    "script:not([src]), [onerror], [onload], svg[onload], img[src='x'], a[href^='javascript:' i]"
)


def test_stored_script_payloads_never_run_and_show_as_text(
    page, live_server, editor, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    user, team = editor
    records = seed(team, user)
    _plant(records)
    watch = Watch(page)
    _sign_in(page, live_server)
    shown_as_text = 0
    for name in XSS_PAGES:
        response = page.goto(live_server.url + address(name, records))
        assert response.status == 200, name
        page.wait_for_load_state("load")
        assert page.locator(INJECTED).count() == 0, name
        shown_as_text += SCRIPT in page.locator("body").inner_text()
    assert shown_as_text >= 15  # names and titles appear literally, escaped
    assert not watch.dialogs, watch.dialogs
    assert not watch.violations, watch.violations  # nothing even tried to run
