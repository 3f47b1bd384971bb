"""Every URL pattern of the project, requested as an anonymous visitor, as an editor of another
team (an outsider) and as a volunteer of the team that owns the records, against a table of what
each may do. A new URL without a line in the table fails the test, naming it.

The Django admin (admin/) is left out by prefix: it has its own staff-only checks, tested by
Django, and no team records of ours that its pages scope.
"""

from __future__ import annotations

import hashlib
import re

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

pytestmark = pytest.mark.django_db

EXCLUDED_PREFIXES = {"admin/": "the Django admin: staff-only by Django's own checks"}

# What each kind of person gets.
LOGIN = "login"  # redirected to the sign-in page
PUBLIC = "public"  # served to anyone (sign-in, password reset, press room, health check)
SECRET = "secret"  # the address carries a secret; a wrong one is a 404
DENIED = "denied"  # 403 or 404 (or 405 for a GET of an action), and nothing changes
ALLOWED = "allowed"  # served or done: not 403, 404 or 5xx
OWN = "own"  # served, showing the person's own team's (or shared) records only
NO_CREDENTIALS = "401"  # the API without a token or session: 401, and nothing changes
LIKE_STAFF = "like staff"  # answered exactly as an editor of the team is (e.g. a 404 for input
# that names nothing: the role is not what decides)

# name -> (record whose id is `pk`, anonymous, outsider, volunteer, method). `method` is how the
# pattern is used: "get" for a page, "post" (or "patch", for the API) for an action; anyone refused
# an action changes nothing.
EXPECTATIONS: dict[str, tuple[str | None, str, str, str, str]] = {}


def expect(names: str, pk: str | None, anonymous: str, outsider: str, volunteer: str,
           method: str = "get") -> None:  # fmt: skip
    for name in names.split():
        EXPECTATIONS[name] = (pk, anonymous, outsider, volunteer, method)


# --- accounts and the home page --------------------------------------------------------------
expect("home preferences two_factor", None, LOGIN, OWN, ALLOWED)
expect("two_factor_verify two_factor_disable", None, LOGIN, ALLOWED, ALLOWED, "post")
expect("healthz login password_reset password_reset_done password_reset_complete "
       "password_reset_confirm", None, PUBLIC, ALLOWED, ALLOWED)  # fmt: skip
expect("logout", None, ALLOWED, ALLOWED, ALLOWED, "post")

# --- monitoring: articles, stories and sources are shared by the installation's teams ---------
expect("monitoring:articles monitoring:coverage_counts monitoring:trends monitoring:stories "
       "monitoring:sources monitoring:digest monitoring:attention "
       "monitoring:attention_top monitoring:searches monitoring:names monitoring:clip "
       "monitoring:search_new",
       None, LOGIN, OWN, ALLOWED)  # fmt: skip
expect("monitoring:source_add monitoring:opml_import", None, LOGIN, OWN, DENIED)
expect("monitoring:opml_export", None, LOGIN, OWN, ALLOWED)
expect("monitoring:query_syntax", None, PUBLIC, ALLOWED, ALLOWED)  # the help page
expect("monitoring:search_preview monitoring:name_add", None, LOGIN, OWN, ALLOWED, "post")
expect("monitoring:article", "article", LOGIN, OWN, ALLOWED)
expect("monitoring:story monitoring:story_choices", "story", LOGIN, OWN, ALLOWED)
expect("monitoring:story_split monitoring:story_merge", "story", LOGIN, OWN, ALLOWED, "post")
expect("monitoring:source", "source", LOGIN, OWN, ALLOWED)
# Sources are the installation's, shared by every team: staff of any team manage them (the
# outsider is an editor elsewhere), volunteers and viewers only read.
expect("monitoring:source_edit", "source", LOGIN, OWN, DENIED)
expect("monitoring:source_toggle monitoring:source_fetch monitoring:source_delete", "source",
       LOGIN, OWN, DENIED, "post")  # fmt: skip
expect("monitoring:attention_page", "page", LOGIN, DENIED, ALLOWED)
expect("monitoring:attention_unwatch", "page", LOGIN, DENIED, ALLOWED, "post")  # list curation
expect("monitoring:search monitoring:search_export monitoring:search_alerts "
       "monitoring:alert_rule_edit", "search", LOGIN, DENIED, ALLOWED)  # fmt: skip
expect("monitoring:search_edit", "search", LOGIN, DENIED, ALLOWED)
expect("monitoring:mention_bulk monitoring:alert_rule_test", "search", LOGIN, DENIED, ALLOWED,
       "post")  # fmt: skip
expect("monitoring:search_mute", "search", LOGIN, DENIED, ALLOWED, "post")
# A colleague's alert (the seeded rule is the editor's) and the search itself: staff only.
expect("monitoring:search_delete monitoring:alert_rule_delete", "search",
       LOGIN, DENIED, DENIED, "post")  # fmt: skip
expect("monitoring:mention", "mention", LOGIN, DENIED, ALLOWED)
expect("monitoring:mention_state", "mention", LOGIN, DENIED, ALLOWED, "post")
expect("monitoring:name_delete", "name", LOGIN, DENIED, ALLOWED, "post")  # list curation
expect("monitoring:search_feed", "search", SECRET, SECRET, SECRET)
expect("monitoring:unsubscribe_digest monitoring:unsubscribe_rule", None, SECRET, SECRET, SECRET)

# --- relations ---------------------------------------------------------------------------------
expect("relations:overview relations:speakers relations:trainings relations:speaking "
       "relations:calendar relations:journalists relations:suggestions relations:outlets "
       "relations:research relations:media_lists relations:pitches relations:pitch_templates "
       "relations:inquiries relations:journalist_export",
       None, LOGIN, OWN, ALLOWED)  # fmt: skip
expect("relations:speaker_add relations:training_add relations:opportunity_add "
       "relations:journalist_new relations:media_list_new "
       "relations:inquiry_new relations:inquiry_from_email",
       None, LOGIN, OWN, ALLOWED)  # fmt: skip
expect("relations:journalist_import relations:pitch_settings", None, LOGIN, OWN, DENIED)
expect("relations:pitch_new relations:pitch_template_new", None, LOGIN, OWN, ALLOWED)
expect("relations:suggestion_add", None, LOGIN, OWN, ALLOWED, "post")
expect("relations:calendar_feed", None, SECRET, SECRET, SECRET)
expect("relations:speaker relations:speaker_edit", "speaker", LOGIN, DENIED, ALLOWED)
expect("relations:speaker_active", "speaker", LOGIN, DENIED, DENIED, "post")
expect("relations:speaker_data", "speaker", LOGIN, DENIED, DENIED)
expect("relations:speaker_erase", "speaker", LOGIN, DENIED, DENIED, "post")
expect("relations:training relations:training_edit", "training", LOGIN, DENIED, ALLOWED)
expect("relations:attendee_add relations:attendance_update relations:attendee_remove",
       "training", LOGIN, DENIED, ALLOWED, "post")  # fmt: skip
expect("relations:training_delete", "training", LOGIN, DENIED, DENIED, "post")
expect("relations:opportunity relations:opportunity_edit", "opportunity", LOGIN, DENIED, ALLOWED)
expect("relations:opportunity_move relations:opportunity_speaker", "opportunity",
       LOGIN, DENIED, ALLOWED, "post")  # fmt: skip
expect("relations:opportunity_delete", "opportunity", LOGIN, DENIED, DENIED, "post")
expect("relations:journalist relations:journalist_edit", "journalist", LOGIN, DENIED, ALLOWED)
expect("relations:journalist_merge relations:journalist_data", "journalist",
       LOGIN, DENIED, DENIED)  # fmt: skip
expect("relations:journalist_delete relations:journalist_erase", "journalist",
       LOGIN, DENIED, DENIED, "post")  # fmt: skip
expect("relations:outlet", "outlet", LOGIN, OWN, ALLOWED)
expect("relations:outlet_edit", "outlet", LOGIN, OWN, DENIED)
expect("relations:media_list relations:media_list_export", "media_list", LOGIN, DENIED, ALLOWED)
expect("relations:media_list_remove", "media_list", LOGIN, DENIED, ALLOWED, "post")
expect("relations:media_list_add", "media_list", LOGIN, DENIED, LIKE_STAFF, "post")
expect("relations:media_list_delete", "media_list", LOGIN, DENIED, DENIED, "post")
expect("relations:pitch_template_edit", "template", LOGIN, DENIED, ALLOWED)
expect("relations:pitch_template_delete", "template", LOGIN, DENIED, DENIED, "post")
expect("relations:pitch relations:pitch_recipients relations:pitch_coverage", "pitch",
       LOGIN, DENIED, ALLOWED)  # fmt: skip
# Volunteers write pitches; staff send them.
expect("relations:pitch_edit relations:pitch_preview", "pitch", LOGIN, DENIED, ALLOWED)
expect("relations:pitch_recipient_mark", "pitch", LOGIN, DENIED, ALLOWED, "post")
expect("relations:pitch_delete relations:pitch_send relations:pitch_retry "
       "relations:pitch_coverage_change", "pitch", LOGIN, DENIED, DENIED, "post")  # fmt: skip
expect("relations:inquiry relations:inquiry_edit", "inquiry", LOGIN, DENIED, ALLOWED)
expect("relations:inquiry_assign relations:inquiry_status relations:inquiry_coverage", "inquiry",
       LOGIN, DENIED, ALLOWED, "post")  # fmt: skip
expect("relations:inquiry_delete", "inquiry", LOGIN, DENIED, DENIED, "post")

# --- campaigns ---------------------------------------------------------------------------------
expect("campaigns:list campaigns:new", None, LOGIN, OWN, ALLOWED)
expect("campaigns:campaign campaigns:report campaigns:recommendations campaigns:mentions "
       "campaigns:report_pdf campaigns:report_xlsx campaigns:report_csv campaigns:edit "
       "campaigns:part_add campaigns:part_edit campaigns:report_schedules",
       "campaign", LOGIN, DENIED, ALLOWED)  # fmt: skip
expect("campaigns:entry_add", "campaign", LOGIN, DENIED, ALLOWED, "post")
expect("campaigns:delete campaigns:part_delete campaigns:entry_delete "
       "campaigns:report_schedule_delete", "campaign", LOGIN, DENIED, DENIED, "post")  # fmt: skip

# --- materials ---------------------------------------------------------------------------------
expect("materials:library materials:material_new materials:statistics materials:statistic_new "
       "materials:drafts materials:draft_new materials:draft_sources materials:kits "
       "materials:kit_new", None, LOGIN, OWN, ALLOWED)  # fmt: skip
expect("materials:assist_draft", None, LOGIN, LIKE_STAFF, LIKE_STAFF)  # a 404 while it is off
expect("materials:press_room_settings", None, LOGIN, OWN, DENIED)
expect("materials:material_preview materials:draft_count materials:draft_preview "
       "materials:statistic_try_source", None, LOGIN, OWN, ALLOWED, "post")  # fmt: skip
expect("materials:material materials:material_edit materials:material_history "
       "materials:material_diff materials:material_translate", "material",
       LOGIN, DENIED, ALLOWED)  # fmt: skip
expect("materials:material_reviewed materials:material_restore materials:material_step",
       "material", LOGIN, DENIED, ALLOWED, "post")  # fmt: skip
expect("materials:material_caught_up", "material", LOGIN, DENIED, LIKE_STAFF, "post")
expect("materials:statistic materials:statistic_edit", "statistic", LOGIN, DENIED, ALLOWED)
expect("materials:statistic_refresh materials:statistic_step", "statistic",
       LOGIN, DENIED, ALLOWED, "post")  # fmt: skip
expect("materials:draft materials:draft_edit materials:draft_export", "draft",
       LOGIN, DENIED, ALLOWED)  # fmt: skip
expect("materials:draft_step", "draft", LOGIN, DENIED, ALLOWED, "post")
expect("materials:draft_fix", "draft", LOGIN, DENIED, LIKE_STAFF, "post")
expect("materials:draft_publish", "draft", LOGIN, DENIED, DENIED, "post")
expect("materials:kit materials:kit_edit materials:kit_file materials:kit_zip", "kit",
       LOGIN, DENIED, ALLOWED)  # fmt: skip
expect("materials:kit_step materials:kit_file_add", "kit", LOGIN, DENIED, ALLOWED, "post")
expect("materials:kit_file_delete", "kit", LOGIN, DENIED, ALLOWED, "post")  # an edit of the kit
expect("materials:assist_story", "story", LOGIN, OWN, ALLOWED)

# --- the public press room ---------------------------------------------------------------------
expect("press:room press:feed press:release press:kit_zip press:kit_file", None,
       PUBLIC, PUBLIC, PUBLIC)  # fmt: skip

# --- API tokens: personal, so another person's token is a 404 even to staff --------------------
expect("api_tokens", None, LOGIN, ALLOWED, ALLOWED)
expect("api_token_revoke", "api_token", LOGIN, DENIED, DENIED, "post")

# --- the audit log (a team's admins) and the full export (superusers) -------------------------
expect("audit:log", None, LOGIN, DENIED, DENIED)
expect("audit:export", None, LOGIN, DENIED, DENIED, "post")

# --- operations: calendar, crisis room, briefing packs, story bank -----------------------------
expect("operations:calendar operations:calendar_feeds operations:planned_new operations:briefings "
       "operations:incidents operations:stories operations:story_new operations:story_suggestions "
       "operations:story_spread", None, LOGIN, OWN, ALLOWED)  # fmt: skip
# Opening an incident and choosing the community feeds: staff only.
expect("operations:incident_new operations:story_sources", None, LOGIN, OWN, DENIED)
expect("operations:calendar_user_feed operations:calendar_team_feed", None, SECRET, SECRET, SECRET)
expect("operations:planned operations:planned_edit", "planned", LOGIN, DENIED, ALLOWED)
# Staff, or the person who owns the item (the seeded one is the editor's).
expect("operations:planned_delete", "planned", LOGIN, DENIED, DENIED, "post")
expect("operations:draft_embargo", "draft", LOGIN, DENIED, ALLOWED)
expect("operations:incident operations:incident_coverage operations:incident_report "
       "operations:incident_report_pdf", "incident", LOGIN, DENIED, ALLOWED)  # fmt: skip
expect("operations:incident_event operations:incident_report_send", "incident",
       LOGIN, DENIED, ALLOWED, "post")  # fmt: skip
expect("operations:incident_edit operations:incident_close", "incident", LOGIN, DENIED, DENIED)
expect("operations:briefing operations:briefing_pdf", "inquiry", LOGIN, DENIED, ALLOWED)
expect("operations:story operations:story_edit operations:story_photo", "idea",
       LOGIN, DENIED, ALLOWED)  # fmt: skip
expect("operations:story_move operations:story_link operations:story_blog_post "
       "operations:story_photo_add operations:story_photo_delete", "idea",
       LOGIN, DENIED, ALLOWED, "post")  # fmt: skip
expect("operations:story_delete", "idea", LOGIN, DENIED, DENIED, "post")

# --- the REST API (token or session; anonymous is a 401) ---------------------------------------
# The schema and its docs page describe the API, not anyone's records: public.
expect("api:openapi-json api:openapi-view", None, PUBLIC, PUBLIC, PUBLIC)
expect("api:api-root", None, LIKE_STAFF, LIKE_STAFF, LIKE_STAFF)  # django-ninja's 404 placeholder
expect("api:list_sources api:list_outlets api:list_articles api:list_stories api:list_searches "
       "api:list_journalists api:list_spokespeople api:list_inquiries api:list_campaigns "
       "api:list_materials api:list_drafts", None, NO_CREDENTIALS, OWN, ALLOWED)  # fmt: skip
# Sources, outlets, articles and stories are the installation's, shared by every team.
for _name, _record in (("source", "source"), ("outlet", "outlet"), ("article", "article"),
                       ("story", "story")):  # fmt: skip
    expect(f"api:get_{_name}", _record, NO_CREDENTIALS, OWN, ALLOWED)
for _names, _record in (("get_search list_mentions", "search"), ("get_mention", "mention"),
                        ("get_journalist", "journalist"), ("get_spokesperson", "speaker"),
                        ("get_inquiry", "inquiry"), ("get_campaign campaign_report", "campaign"),
                        ("get_material", "material"), ("get_draft", "draft")):  # fmt: skip
    expect(" ".join(f"api:{n}" for n in _names.split()), _record, NO_CREDENTIALS, DENIED, ALLOWED)
expect("api:create_source", None, NO_CREDENTIALS, OWN, DENIED, "post")  # as source_add
expect("api:create_search api:create_inquiry api:create_material api:create_draft", None,
       NO_CREDENTIALS, OWN, ALLOWED, "post")  # fmt: skip
expect("api:update_search", "search", NO_CREDENTIALS, DENIED, ALLOWED, "patch")
expect("api:curate_mention", "mention", NO_CREDENTIALS, DENIED, ALLOWED, "patch")
expect("api:update_material", "material", NO_CREDENTIALS, DENIED, ALLOWED, "patch")
expect("api:update_draft", "draft", NO_CREDENTIALS, DENIED, ALLOWED, "patch")
# Retiring is for staff, like approving.
expect("api:material_step", "material", NO_CREDENTIALS, DENIED, DENIED, "post")
expect("api:draft_step", "draft", NO_CREDENTIALS, DENIED, DENIED, "post")

# A valid JSON body for each API write, so a refusal is the permission's and not a 422.
API_BODIES = {
    "api:create_source": {"url": "https://new.example/feed", "name": "New feed"},
    "api:create_search": {"name": "API search", "query": "example"},
    "api:create_inquiry": {"topic": "API question"},
    "api:create_material": {"kind": "faq", "title": "API FAQ"},
    "api:create_draft": {"kind": "press_release", "title": "API release"},
    "api:update_search": {"name": "Renamed"},
    "api:curate_mention": {"note": "Seen"},
    "api:update_material": {"body": "Changed.", "note": "API"},
    "api:update_draft": {"title": "Renamed"},
    "api:material_step": {"step": "retire"},
    "api:draft_step": {"step": "retire"},
}


def _collect(resolvers, prefix="", namespace=""):
    for entry in resolvers:
        route = prefix + str(entry.pattern)
        if any(route.startswith(p) for p in EXCLUDED_PREFIXES):
            continue
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _collect(entry.url_patterns, route, inner)
        elif isinstance(entry, URLPattern):
            yield f"{namespace}{entry.name}", route


def all_patterns() -> dict[str, str]:
    return dict(_collect(get_resolver().url_patterns))


def test_every_url_pattern_has_an_access_expectation():
    missing = sorted(name for name in all_patterns() if name not in EXPECTATIONS)
    assert not missing, "URL patterns without an access expectation: " + ", ".join(missing)
    gone = sorted(name for name in EXPECTATIONS if name not in all_patterns())
    assert not gone, "Expectations for URL patterns that no longer exist: " + ", ".join(gone)


# --- building a concrete address from the seeded records -------------------------------------
CONVERTER = re.compile(r"<(?:\w+:)?(\w+)>")
RECORD_OF = {
    "rule_pk": "rule",
    "schedule_pk": "schedule",
    "person_pk": "speaker",
    "journalist_pk": "journalist",
    "recipient_pk": "recipient",
    "file_pk": "file",
    "user_pk": "owner",
    "team_pk": "team",
    "photo_pk": "photo",
}
FIXED = {
    "key": "not-the-key",  # secrets are wrong on purpose: a wrong one must be a 404
    "token": "not-the-token",
    "uidb64": "MQ",
    "slug": "comms-room",
    "release_slug": "release",
    "kit_slug": "kit",
    "part": "kpis",
    "kind": "inquiry",  # briefing packs
}


def _value(name: str, arg: str, records: dict, pk: str | None):
    if arg == "pk":
        return records[pk].pk
    if arg == "item":
        return records["entry" if name == "campaigns:entry_delete" else "kpi"].pk
    if arg == "fmt":
        return "md" if name == "materials:draft_export" else "csv"
    if arg in RECORD_OF:
        return records[RECORD_OF[arg]].pk
    return FIXED[arg]


def address(name: str, records: dict) -> str:
    pk = EXPECTATIONS[name][0]
    route = all_patterns()[name]
    return reverse(name, kwargs={a: _value(name, a, records, pk) for a in CONVERTER.findall(route)})


# --- "nothing changed": every row of the project's own tables --------------------------------
UNWATCHED = {"sessions", "axes", "admin", "contenttypes", "django_tasks_db", "otp_totp"}


def fingerprint() -> str:
    digest = hashlib.sha256()
    for model in apps.get_models():
        if model._meta.app_label in UNWATCHED or model.__name__ in ("Permission", "Profile"):
            continue
        rows = model._base_manager.order_by("pk").values_list()
        digest.update(f"{model._meta.label}:{list(rows)!r}".encode())
    return digest.hexdigest()


# --- the checks ------------------------------------------------------------------------------
def _ask(client: Client, verb: str, url: str, body: dict | None = None):
    if body is None or verb == "get":
        return getattr(client, verb)(url)
    return getattr(client, verb)(url, body, content_type="application/json")


def _refused(client: Client, url: str, method: str, body: dict | None = None) -> list[str]:
    problems = []
    methods = ("get", "post") if method == "get" else (method, "get")
    if body is not None:  # an API write: its address also answers the reads (GET /sources)
        methods = (method,)
    for verb in methods:
        before = fingerprint()
        status = _ask(client, verb, url, body).status_code
        if status not in (403, 404, 405):
            problems.append(f"{verb.upper()} gave {status}, not 403/404")
        if verb != "get" and fingerprint() != before:
            problems.append(f"a refused {verb.upper()} changed records")
    return problems


def _unauthenticated(client: Client, url: str, method: str, body: dict | None) -> list[str]:
    # Only the pattern's own verb: another (a GET of a workflow step) may be a 405 first.
    before = fingerprint()
    status = _ask(client, method, url, body).status_code
    problems = [] if status == 401 else [f"{method.upper()} gave {status}, not 401"]
    if method != "get" and fingerprint() != before:
        problems.append(f"an anonymous {method.upper()} changed records")
    return problems


def _served(client: Client, url: str, method: str, body: dict | None = None) -> list[str]:
    status = _ask(client, method, url, body).status_code
    if status in (401, 403, 404) or status >= 500:
        return [f"{method.upper()} gave {status}"]
    if body is not None and status >= 300:  # an API write with a valid body must be done
        return [f"{method.upper()} gave {status}"]
    return []


def _like_staff(client: Client, staff: Client, url: str, method: str) -> list[str]:
    mine, theirs = getattr(client, method)(url).status_code, getattr(staff, method)(url).status_code
    return [] if mine == theirs else [f"{method.upper()} gave {mine}, staff get {theirs}"]


def check(
    who: str, expected: str, client: Client, url: str, method: str, body: dict | None = None
) -> list[str]:
    if expected == LOGIN:
        problems = []
        for verb in ("get", "post"):
            before = fingerprint()
            response = getattr(client, verb)(url)
            if response.status_code != 302 or "/accounts/login/" not in response["Location"]:
                problems.append(f"{verb.upper()} gave {response.status_code}, not the sign-in")
            if verb == "post" and fingerprint() != before:
                problems.append("an anonymous POST changed records")
        return problems
    if expected == PUBLIC:
        status = client.get(url).status_code
        return [] if status == 200 else [f"GET gave {status}, not 200"]
    if expected == SECRET:
        status = client.get(url).status_code
        return [] if status == 404 else [f"GET with a wrong secret gave {status}, not 404"]
    if expected == NO_CREDENTIALS:
        return _unauthenticated(client, url, method, body)
    if expected == DENIED:
        return _refused(client, url, method, body)
    return _served(client, url, method, body)  # ALLOWED, OWN


@pytest.mark.parametrize("name", sorted(EXPECTATIONS))
def test_each_url_answers_each_person_as_expected(name, world):
    _, anonymous, outsider, volunteer, method = EXPECTATIONS[name]
    url = address(name, world["records"])
    problems = []
    for who, expected in (("anonymous", anonymous), ("outsider", outsider),
                          ("volunteer", volunteer)):  # fmt: skip
        if expected == LIKE_STAFF:
            found = _like_staff(world[who], world["editor"], url, method)
        else:
            found = check(who, expected, world[who], url, method, API_BODIES.get(name))
        problems += [f"{who}: {p}" for p in found]
    assert not problems, f"{name} {url}: " + "; ".join(problems)
