"""Key statistics pages: adding and editing (slugs, numbers as people type them, history, approval
sent back to draft), the list's filters and stale flags, the page with its chart and citing drafts,
"Refresh now", Wikimedia presets, and who may do what (anonymous, outsider, viewer, volunteer)."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from commsdesk.accounts.models import Membership
from commsdesk.materials import presets
from commsdesk.materials.models import Citation, Draft, KeyStatistic, StatisticValue, Status
from commsdesk.materials.statistic_forms import NumberField
from tests.relations.roles import client_for, person_in
from tests.servers import Route

pytestmark = pytest.mark.django_db

SITEINFO = {"batchcomplete": "", "query": {"statistics": {"articles": 2_012_345, "edits": 9}}}


def stat(team, **fields) -> KeyStatistic:
    defaults = {
        "name": "Articles in Spanish Wikipedia",
        "slug": "articles-es",
        "value": Decimal("2000000"),
        "unit": "articles",
    }
    return KeyStatistic.objects.create(team=team, **(defaults | fields))


def form(**fields) -> dict:
    return {
        "name": "Wikipedia editions",
        "slug": "",
        "value": "342",
        "unit": "languages",
        "as_of": "2026-11-01",
        "source_url": "https://meta.wikimedia.org/wiki/List_of_Wikipedias",
        "max_age_days": "90",
        "description": "",
        "owner": "",
        "source": "",
        "live_combine": "first",
        "refresh_hours": "24",
        "days": "",
    } | fields


# --- adding and editing ----------------------------------------------------------------------


def test_adding_a_statistic_makes_its_citation_name_and_first_history_entry(
    member_client, member, team
):
    response = member_client.post(reverse("materials:statistic_new"), form(value="6,912,345"))

    created = KeyStatistic.objects.get()
    assert response.status_code == 302
    assert (created.team, created.slug, created.value) == (team, "wikipedia-editions", 6_912_345)
    assert created.status == Status.DRAFT
    entry = created.history.get()
    assert (entry.value, entry.origin, entry.recorded_by) == (
        6_912_345,
        StatisticValue.Origin.MANUAL,
        member,
    )


def test_a_taken_citation_name_is_a_clear_error_and_nothing_is_lost(member_client, team):
    stat(team, slug="editions")

    response = member_client.post(
        reverse("materials:statistic_new"), form(slug="editions", name="Editions today")
    )

    page = response.content.decode()
    assert response.status_code == 200 and "already cited as “editions”" in page
    assert 'value="Editions today"' in page and KeyStatistic.objects.count() == 1


def test_a_name_whose_citation_name_is_taken_gets_a_numbered_one(member_client, team):
    stat(team, slug="wikipedia-editions")

    member_client.post(reverse("materials:statistic_new"), form())

    assert KeyStatistic.objects.filter(slug="wikipedia-editions-2").exists()


def test_the_same_citation_name_may_be_used_by_another_team(member_client, outsider):
    other = stat(Membership.objects.get(user=outsider).team, slug="wikipedia-editions")

    member_client.post(reverse("materials:statistic_new"), form(slug="wikipedia-editions"))

    assert KeyStatistic.objects.filter(slug=other.slug).count() == 2


@pytest.mark.parametrize("typed", ["0,35", "lots", "12.3.4", "1,2345", "Infinity"])
def test_a_number_that_cannot_be_read_is_refused_with_an_example(member_client, typed):
    response = member_client.post(reverse("materials:statistic_new"), form(value=typed))

    assert response.status_code == 200 and not KeyStatistic.objects.exists()
    assert "Enter a number, e.g. 6,912,345" in response.content.decode()


@given(
    st.decimals(
        min_value=-(10**24) + 1,
        max_value=10**24 - 1,
        places=6,
        allow_nan=False,
        allow_infinity=False,
    )
)
def test_any_number_the_column_can_hold_is_accepted_exactly(number):
    assert NumberField(required=False).clean(format(number, "f")) == number


def test_a_number_too_long_to_keep_is_refused(member_client):
    response = member_client.post(reverse("materials:statistic_new"), form(value="0.1234567"))

    assert "Up to 24 digits before the dot and 6 after it" in response.content.decode()
    assert not KeyStatistic.objects.exists()


@given(st.integers(min_value=-(10**20), max_value=10**20), st.sampled_from([",", " ", "\u202f"]))
def test_numbers_written_with_thousands_separators_read_back_exactly(number, separator):
    written = f"{number:,}".replace(",", separator)
    assert NumberField(required=False).clean(written) == number


def test_changing_an_approved_value_sends_it_back_to_draft_and_records_who(
    member_client, member, team
):
    approved = stat(team, status=Status.APPROVED, approved_by=member, approved_at=timezone.now())

    member_client.post(
        reverse("materials:statistic_edit", args=[approved.pk]),
        form(name=approved.name, slug=approved.slug, value="2,050,000", unit="articles"),
    )

    approved.refresh_from_db()
    assert approved.status == Status.DRAFT and approved.value == 2_050_000
    assert approved.history.get().recorded_by == member


def test_editing_only_the_description_keeps_it_approved_and_the_history_as_it_was(
    member_client, member, team
):
    approved = stat(
        team, status=Status.APPROVED, as_of=timezone.localdate(), unit="languages", value=342
    )

    member_client.post(
        reverse("materials:statistic_edit", args=[approved.pk]),
        form(
            name=approved.name,
            slug=approved.slug,
            as_of=approved.as_of.isoformat(),
            description="Counted by Meta-Wiki",
        ),
    )

    approved.refresh_from_db()
    assert approved.status == Status.APPROVED and approved.description == "Counted by Meta-Wiki"
    assert not approved.history.exists()


def test_a_preset_is_expanded_and_read_when_the_value_is_left_empty(
    member_client, team, server, settings
):
    settings.COMMSDESK_WIKIMEDIA_API_BASE = server.url("")
    server.add(
        "/sw.wikipedia.org/w/api.php",
        Route(json.dumps(SITEINFO).encode(), 200, {"Content-Type": "application/json"}),
    )

    response = member_client.post(
        reverse("materials:statistic_new"),
        form(
            name="Swahili articles",
            unit="",
            value="",
            source="preset",
            preset="wikipedia-articles",
            lang="sw",
            source_url="",
        ),
    )

    created = KeyStatistic.objects.get()
    assert response.status_code == 302, response.content.decode()
    assert created.value == 2_012_345 and created.as_of == timezone.localdate()
    assert created.unit == "articles"  # the preset's, as none was typed
    assert created.source_url == "https://sw.wikipedia.org/wiki/Special:Statistics"
    assert (
        created.live_path == "$.query.statistics.articles"
        and created.live_preset == "wikipedia-articles"
    )
    assert created.last_refreshed_at is not None and created.next_refresh_at > timezone.now()
    assert created.history.get().origin == StatisticValue.Origin.LIVE
    edit_page = member_client.get(reverse("materials:statistic_edit", args=[created.pk]))
    assert 'name="lang" value="sw"' in edit_page.content.decode()


def test_an_unreadable_source_on_saving_asks_for_the_value_and_keeps_what_was_typed(
    member_client, server
):
    url = server.add("/stats.json", Route(b"{}", 200, {"Content-Type": "application/json"}))

    response = member_client.post(
        reverse("materials:statistic_new"),
        form(value="", source="custom", live_url=url, live_path="$.total"),
    )

    page = response.content.decode()
    assert response.status_code == 200 and not KeyStatistic.objects.exists()
    assert "matches nothing" in page and "Enter the value by hand" in page and "$.total" in page


def test_a_custom_source_needs_a_url_and_a_readable_jsonpath(member_client):
    response = member_client.post(
        reverse("materials:statistic_new"), form(source="custom", live_url="", live_path="$.a[")
    )

    page = response.content.decode()
    assert "Give the URL that answers with JSON" in page and "cannot be read" in page
    assert not KeyStatistic.objects.exists()


def test_a_source_filled_in_with_none_chosen_is_pointed_out_not_dropped(member_client):
    response = member_client.post(
        reverse("materials:statistic_new"), form(source="", preset="wikipedia-articles", lang="es")
    )

    page = response.content.decode()
    assert "You filled in a live source but chose “None”" in page and 'value="es"' in page
    assert not KeyStatistic.objects.exists()


def test_a_preset_without_its_parameter_says_which_is_missing(member_client):
    response = member_client.post(
        reverse("materials:statistic_new"),
        form(source="preset", preset="pageviews-article", project="en.wikipedia", article=""),
    )

    assert "Article title is needed" in response.content.decode()
    assert not KeyStatistic.objects.exists()


def test_changing_the_source_clears_the_old_error_and_makes_it_due(member_client, team):
    failing = stat(
        team,
        live_url="https://example.org/old.json",
        live_path="$.a",
        last_error="500 from old",
        last_error_at=timezone.now(),
        next_refresh_at=timezone.now() + timedelta(hours=3),
    )

    member_client.post(
        reverse("materials:statistic_edit", args=[failing.pk]),
        form(
            name=failing.name,
            slug=failing.slug,
            value="2000000",
            unit="articles",
            as_of=failing.as_of.isoformat(),
            source="custom",
            live_url="https://example.org/new.json",
            live_path="$.b",
        ),
    )

    failing.refresh_from_db()
    assert failing.live_url.endswith("new.json") and failing.last_error == ""
    assert failing.next_refresh_at is None


def test_trying_a_source_shows_its_number_and_saves_nothing(member_client, server):
    url = server.add(
        "/w/api.php",
        Route(json.dumps(SITEINFO).encode(), 200, {"Content-Type": "application/json"}),
    )
    try_it = reverse("materials:statistic_try_source")

    answer = member_client.post(
        try_it,
        {"source": "custom", "live_url": url, "live_path": "$..articles", "live_combine": "first"},
    ).content.decode()
    assert "The source answers" in answer and "2,012,345" in answer
    assert not KeyStatistic.objects.exists()

    answer = member_client.post(
        try_it,
        {"source": "custom", "live_url": url, "live_path": "$.nope", "live_combine": "first"},
    ).content.decode()
    assert "matches nothing" in answer and "The source answers" not in answer

    answer = member_client.post(try_it, {"source": "", "live_combine": "first"}).content.decode()
    assert "Choose a preset or give a URL and a JSONPath first" in answer


def test_only_people_who_can_edit_may_try_a_source(client, team):
    try_it = reverse("materials:statistic_try_source")
    assert client.post(try_it).status_code == 302
    viewer = client_for(person_in(team, Membership.Role.VIEWER, "vic"))
    assert viewer.post(try_it, {"source": "custom"}).status_code == 403


# --- presets ---------------------------------------------------------------------------------


def test_presets_fill_in_wikimedia_addresses_and_read_back_their_parameters():
    url, stored = presets.expand("wikipedia-articles", {"lang": "es"})
    assert url == (
        "https://es.wikipedia.org/w/api.php?action=query&meta=siteinfo&siprop=statistics"
        "&format=json"
    )
    assert presets.parameters_of(stored, url) == ("wikipedia-articles", {"lang": "es"})

    url, stored = presets.expand(
        "pageviews-article", {"project": "en.wikipedia", "article": "AC/DC live", "days": 7}
    )
    assert url == (
        "https://wikimedia.org/api/rest_v1/metrics/pageviews/per-article/en.wikipedia/"
        "all-access/user/AC%2FDC_live/daily/{start}/{end}"
    )
    assert presets.parameters_of(stored, url) == (
        "pageviews-article",
        {"project": "en.wikipedia", "article": "AC/DC live", "days": "7"},
    )
    assert presets.page(stored, url) == (
        "https://pageviews.wmcloud.org/?project=en.wikipedia.org&pages=AC%2FDC_live"
    )
    assert presets.describe(stored, url) == (
        "Pageviews of one article over the last N days (en.wikipedia, AC/DC live, 7 days)"
    )


@given(st.text(st.characters(exclude_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=80))
def test_any_article_title_survives_the_trip_through_the_pageviews_address(title):
    title = title.strip()
    if not title:
        return
    url, stored = presets.expand("pageviews-article", {"project": "en.wikipedia", "article": title})
    assert "/" not in url.split("/user/")[1].split("/daily/")[0]  # one path segment
    _, values = presets.parameters_of(stored, url)
    assert values["article"] == title.replace("_", " ")


def test_pageview_dates_are_the_last_full_days_in_the_apis_format():
    today = timezone.localdate().replace(year=2026, month=3, day=1)
    url = presets.dated("https://x/{start}/{end}", "pageviews-project:30", today=today)
    assert url == "https://x/2026013000/2026022800"


@pytest.mark.parametrize(
    ("key", "values", "message"),
    [
        ("wikipedia-articles", {"lang": "es.wikipedia.org/evil"}, "is not valid"),
        ("pageviews-project", {"project": "en.wikipedia", "days": 0}, "between 1 and 3650"),
        ("pageviews-project", {}, "Wikimedia project is needed"),
    ],
)
def test_preset_parameters_are_checked(key, values, message):
    with pytest.raises(presets.PresetError, match=message):
        presets.expand(key, values)


# --- the list and the page -------------------------------------------------------------------


def test_the_list_flags_stale_statistics_with_the_reason_and_filters_them(member_client, team):
    stat(
        team,
        slug="old",
        name="Old count",
        as_of=timezone.localdate() - timedelta(days=60),
        max_age_days=30,
    )
    stat(team, slug="fresh", name="Fresh count", max_age_days=30)

    page = member_client.get(reverse("materials:statistics")).content.decode()
    assert "stale: older than 30 days" in page and "2,000,000 articles" in page

    stat(team, slug="gone", name="Retired count", status=Status.RETIRED)
    page = member_client.get(reverse("materials:statistics")).content.decode()
    assert "1 stale" in page  # the retired one needs no attention

    stale = member_client.get(reverse("materials:statistics"), {"stale": "yes"}).content.decode()
    assert "Old count" in stale and "Fresh count" not in stale and "Retired count" not in stale
    fresh = member_client.get(reverse("materials:statistics"), {"stale": "no"}).content.decode()
    assert "Fresh count" in fresh and "Old count" not in fresh


def test_the_list_searches_and_filters_by_live_source_and_status(member_client, team):
    stat(team, slug="articles-es", description="Counted by the MediaWiki API")
    stat(team, slug="donors", name="Donors", live_url="https://example.org/d.json", live_path="$.n")
    stat(team, slug="editions", name="Editions", status=Status.APPROVED)

    def names(**query) -> set[str]:
        page = member_client.get(reverse("materials:statistics"), query).content.decode()
        return {n for n in ("Articles in Spanish", "Donors", "Editions") if n in page}

    assert names(q="mediawiki") == {"Articles in Spanish"}
    assert names(q="donors") == {"Donors"}
    assert names(live="yes") == {"Donors"}
    assert names(live="no") == {"Articles in Spanish", "Editions"}
    assert names(status="approved") == {"Editions"}


def test_the_list_shows_a_failing_source_in_red_with_the_kept_value(member_client, team):
    stat(team, slug="fine", name="Fine source", live_url="https://example.org/f", live_path="$.n")
    stat(
        team,
        live_url="https://example.org/d.json",
        live_path="$.n",
        last_error="Could not fetch the source: 503 Service Unavailable",
        last_error_at=timezone.now(),
    )

    page = member_client.get(reverse("materials:statistics")).content.decode()

    assert 'class="error"' in page and "503 Service Unavailable" in page
    assert "The last good value is kept" in page and "2,000,000 articles" in page
    assert "1 live source failing" in page
    failing = member_client.get(reverse("materials:statistics"), {"live": "failing"})
    assert "Fine source" not in failing.content.decode()


def test_the_page_shows_history_a_chart_and_the_drafts_citing_it(member_client, team):
    s = stat(team)
    today = timezone.localdate()
    for days, value in ((20, 1_990_000), (10, 1_995_000), (0, 2_000_000)):
        StatisticValue.objects.create(statistic=s, value=value, as_of=today - timedelta(days=days))
    release = Draft.objects.create(team=team, kind=Draft.Kind.PRESS_RELEASE, title="Two million")
    Citation.objects.create(draft=release, statistic=s, value=1_990_000, as_of=today)
    Citation.objects.create(draft=release, statistic=s, value=1_995_000, as_of=today)

    page = member_client.get(reverse("materials:statistic", args=[s.pk])).content.decode()

    assert "1,990,000" in page and "<svg" in page
    assert page.count("Two million") == 1 and "quotes an older value" in page
    assert 'value="articles-es"' in page  # the citation name, ready to copy


# --- refresh now -----------------------------------------------------------------------------


def test_refresh_now_reads_the_source_and_says_so(member_client, team, server):
    url = server.add(
        "/w/api.php",
        Route(json.dumps(SITEINFO).encode(), 200, {"Content-Type": "application/json"}),
    )
    s = stat(team, live_url=url, live_path="$.query.statistics.articles")

    response = member_client.post(reverse("materials:statistic_refresh", args=[s.pk]), follow=True)

    s.refresh_from_db()
    assert s.value == 2_012_345 and "Refreshed: 2,012,345 articles" in response.content.decode()


def test_a_failed_refresh_now_keeps_the_value_and_shows_the_error(member_client, team, server):
    url = server.add("/w/api.php", Route(b"down", 503))
    s = stat(team, live_url=url, live_path="$.query.statistics.articles")

    response = member_client.post(reverse("materials:statistic_refresh", args=[s.pk]), follow=True)

    page = response.content.decode()
    s.refresh_from_db()
    assert s.value == 2_000_000 and "503" in s.last_error
    assert "Refresh failed, the last value is kept" in page and "Last refresh failed" in page
    assert "live source failing" in page


# --- who may do what -------------------------------------------------------------------------


def urls(pk: int) -> list[tuple[str, str]]:
    return [
        ("get", reverse("materials:statistics")),
        ("get", reverse("materials:statistic_new")),
        ("get", reverse("materials:statistic", args=[pk])),
        ("get", reverse("materials:statistic_edit", args=[pk])),
        ("post", reverse("materials:statistic_refresh", args=[pk])),
        ("post", reverse("materials:statistic_step", args=[pk])),
    ]


def test_anonymous_visitors_are_sent_to_log_in(client, team):
    s = stat(team)
    for method, url in urls(s.pk):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/login" in response["Location"], url


def test_another_teams_statistic_is_not_found(client, outsider, team):
    s = stat(team)
    client.force_login(outsider)
    for method, url in urls(s.pk)[2:]:
        assert getattr(client, method)(url, {"step": "approve"}).status_code == 404, url
    assert "Articles in Spanish" not in client.get(reverse("materials:statistics")).content.decode()


def test_a_viewer_reads_but_cannot_change_anything(team):
    s = stat(team, live_url="https://example.org/d.json", live_path="$.n")
    viewer = client_for(person_in(team, Membership.Role.VIEWER, "vera"))

    page = viewer.get(reverse("materials:statistic", args=[s.pk])).content.decode()
    assert "2,000,000 articles" in page
    assert "Refresh now" not in page and "Edit</a>" not in page and "Approve" not in page
    assert "Add a statistic" not in viewer.get(reverse("materials:statistics")).content.decode()
    assert viewer.get(reverse("materials:statistic_new")).status_code == 403
    assert viewer.get(reverse("materials:statistic_edit", args=[s.pk])).status_code == 403
    assert viewer.post(reverse("materials:statistic_refresh", args=[s.pk])).status_code == 403
    assert (
        viewer.post(
            reverse("materials:statistic_step", args=[s.pk]), {"step": "submit"}
        ).status_code
        == 403
    )
    s.refresh_from_db()
    assert s.status == Status.DRAFT


def test_a_volunteer_can_add_and_submit_but_cannot_approve(team):
    volunteer = client_for(person_in(team, Membership.Role.VOLUNTEER, "val"))
    volunteer.post(reverse("materials:statistic_new"), form())
    s = KeyStatistic.objects.get()

    page = volunteer.get(reverse("materials:statistic", args=[s.pk])).content.decode()
    assert "Send for review" in page and ">Approve<" not in page
    assert "An editor or admin approves statistics" in page
    volunteer.post(reverse("materials:statistic_step", args=[s.pk]), {"step": "submit"})
    response = volunteer.post(
        reverse("materials:statistic_step", args=[s.pk]), {"step": "approve"}, follow=True
    )

    s.refresh_from_db()
    assert s.status == Status.IN_REVIEW and s.approved_by is None
    assert "Only staff" in response.content.decode()


def test_an_editor_approves_and_the_approver_is_recorded(member_client, member, team):
    s = stat(team, status=Status.IN_REVIEW)

    member_client.post(reverse("materials:statistic_step", args=[s.pk]), {"step": "approve"})

    s.refresh_from_db()
    assert s.status == Status.APPROVED and s.approved_by == member and s.approved_at is not None
