"""Alert pages, the digest page, feeds, preferences and unsubscribe links: as the team's
communicator, as an outsider (404 for another team's records) and without logging in."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from commsdesk.accounts.models import Profile
from commsdesk.monitoring.models import AlertRule
from commsdesk.monitoring.views.feeds import feed_key
from tests.fixtures.alerts import mention, placement, rule, saved_search

pytestmark = pytest.mark.django_db


@pytest.fixture
def search(team):
    return saved_search(team, "Wikipedia in the news")


@pytest.fixture
def alert(search, member):
    return rule(search, member)


def _pages(search, alert):
    return [
        ("get", reverse("monitoring:search_alerts", args=[search.pk])),
        ("post", reverse("monitoring:search_alerts", args=[search.pk])),
        ("get", reverse("monitoring:alert_rule_edit", args=[search.pk, alert.pk])),
        ("post", reverse("monitoring:alert_rule_edit", args=[search.pk, alert.pk])),
        ("post", reverse("monitoring:alert_rule_delete", args=[search.pk, alert.pk])),
        ("post", reverse("monitoring:alert_rule_test", args=[search.pk, alert.pk])),
        ("get", reverse("monitoring:search_feed", args=[search.pk, "0" * 32])),
    ]


def test_an_outsider_gets_404_on_every_alert_page_of_another_team(client, outsider, search, alert):
    client.force_login(outsider)
    for method, url in _pages(search, alert):
        assert getattr(client, method)(url).status_code == 404, url
    alert.refresh_from_db()
    assert AlertRule.objects.filter(pk=alert.pk, active=True).exists()


def test_a_visitor_who_is_not_logged_in_is_sent_to_the_login_page(client, search, alert):
    for url in (
        reverse("monitoring:search_alerts", args=[search.pk]),
        reverse("monitoring:digest"),
        reverse("preferences"),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_alerts_page_lists_rules_with_their_health(member_client, search, alert):
    AlertRule.objects.filter(pk=alert.pk).update(
        consecutive_failures=3, last_error="timed out sending POST to https://hooks.example/x"
    )
    page = member_client.get(reverse("monitoring:search_alerts", args=[search.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "failing" in text and "3 failures in a row" in text
    assert "timed out sending POST to https://hooks.example/x" in text
    assert "ana@example.org" in text
    assert f"/monitoring/searches/{search.pk}/feed/{feed_key(search)}/" in text


def test_a_member_adds_an_alert(member_client, member, search):
    url = reverse("monitoring:search_alerts", args=[search.pk])
    response = member_client.post(
        url,
        {
            "cadence": "hourly",
            "channel": "webhook",
            "target": "https://hooks.example/in",
            "active": "on",
        },
    )
    assert response.status_code == 302
    added = AlertRule.objects.get()
    assert (added.user, added.saved_search, added.cadence) == (member, search, "hourly")
    assert added.target == "https://hooks.example/in" and not added.include_spikes


@pytest.mark.parametrize(
    "data, field_error",
    [
        ({"cadence": "immediate", "channel": "webhook", "target": ""}, "Paste the webhook address"),
        (
            {"cadence": "immediate", "channel": "slack", "target": "hooks.example"},
            "starts with https://",
        ),
        (
            {"cadence": "immediate", "channel": "email", "target": "not-an-address"},
            "is not an email address",
        ),
        (
            {"cadence": "daily", "channel": "slack", "target": "https://h.example"},
            "digest comes by email",
        ),
    ],
)
def test_a_bad_alert_gets_a_clear_error_and_keeps_what_was_typed(
    member_client, search, data, field_error
):
    page = member_client.post(reverse("monitoring:search_alerts", args=[search.pk]), data)
    assert page.status_code == 200
    assert field_error in page.content.decode()
    if data["target"]:
        assert f'value="{data["target"]}"' in page.content.decode()
    assert not AlertRule.objects.exists()


def test_a_member_edits_and_deletes_an_alert(member_client, search, alert):
    AlertRule.objects.filter(pk=alert.pk).update(consecutive_failures=4, last_error="550 no")
    edit = reverse("monitoring:alert_rule_edit", args=[search.pk, alert.pk])
    assert "Failing: 550 no" in member_client.get(edit).content.decode()
    member_client.post(edit, {"cadence": "daily", "channel": "email", "target": "desk@example.org"})
    alert.refresh_from_db()
    assert alert.cadence == "daily" and not alert.active and alert.target == "desk@example.org"
    assert (alert.consecutive_failures, alert.last_error) == (0, "")  # a new address, a clean slate
    member_client.post(reverse("monitoring:alert_rule_delete", args=[search.pk, alert.pk]))
    assert not AlertRule.objects.exists()


def test_send_a_test_reaches_the_inbox_or_says_why_not(smtp, member_client, search, alert):
    url = reverse("monitoring:alert_rule_test", args=[search.pk, alert.pk])
    page = member_client.post(url, follow=True)
    assert "Test message sent." in page.content.decode()
    assert smtp.messages[0]["Subject"].startswith("Test: Wikipedia in the news")
    smtp.refuse = "550 5.1.1 No such mailbox"
    page = member_client.post(url, follow=True)
    assert "could not be sent: mail server refused the message: 550 5.1.1 No such mailbox" in (
        page.content.decode()
    )


def test_the_feed_lists_mentions_with_the_secret_key_and_404s_without(client, search):
    mention(search, placement("a", "Wikipedia turns 25"))
    mention(search, placement("b", "Hidden story"), state="hidden")
    ok = client.get(reverse("monitoring:search_feed", args=[search.pk, feed_key(search)]))
    assert ok.status_code == 200 and ok["Content-Type"].startswith("application/rss+xml")
    titles = [t.text for t in ET.fromstring(ok.content).iter("title")]
    assert titles == ["Wikipedia in the news — commsdesk", "Wikipedia turns 25"]
    assert b"Matched: wikipedia." in ok.content
    other_key = feed_key(saved_search(search.team, "Another"))
    assert (
        client.get(reverse("monitoring:search_feed", args=[search.pk, other_key])).status_code
        == 404
    )
    assert (
        client.get(reverse("monitoring:search_feed", args=[999, feed_key(search)])).status_code
        == 404
    )


def test_the_digest_page_shows_the_persons_teams_only(client, outsider, member_client, search):
    from commsdesk.accounts.models import Team

    theirs = saved_search(Team.objects.get(slug="other"), "Their secret search")
    noon = datetime(2026, 1, 30, 12, tzinfo=UTC)  # in the 31 January digest (07:00 UTC to 07:00)
    mention(search, placement("a", "Wikipedia turns 25", at=noon))
    mention(theirs, placement("b", "Their secret story", at=noon))
    url = reverse("monitoring:digest") + "?date=2026-01-31"
    mine = member_client.get(url).content.decode()
    assert "Wikipedia turns 25" in mine and "Their secret" not in mine
    client.force_login(outsider)
    theirs_page = client.get(url).content.decode()
    assert "Their secret story" in theirs_page and "Wikipedia in the news" not in theirs_page


def test_the_digest_page_takes_any_date_and_explains_a_bad_one(member_client, search):
    page = member_client.get(reverse("monitoring:digest"), {"date": "2026-01-31"})
    assert "Saturday 31 January 2026" in page.content.decode()
    page = member_client.get(reverse("monitoring:digest"), {"date": "yesterday"})
    assert page.status_code == 200
    assert "“yesterday” is not a date like" in page.content.decode()


def test_unsubscribing_from_an_alert_asks_first_and_get_changes_nothing(client, member, alert):
    token = Profile.of(member).unsubscribe_token
    url = reverse("monitoring:unsubscribe_rule", args=[token, alert.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Yes, unsubscribe" in page.content.decode()
    alert.refresh_from_db()
    assert alert.active
    page = client.post(url)
    assert "You will no longer receive alerts for “Wikipedia in the news”" in page.content.decode()
    alert.refresh_from_db()
    assert not alert.active


def test_an_unsubscribe_token_only_reaches_its_owners_rules(client, outsider, alert):
    wrong = reverse(
        "monitoring:unsubscribe_rule", args=[Profile.of(outsider).unsubscribe_token, alert.pk]
    )
    assert client.post(wrong).status_code == 404
    assert (
        client.get(reverse("monitoring:unsubscribe_rule", args=["nope", alert.pk])).status_code
        == 404
    )
    alert.refresh_from_db()
    assert alert.active


def test_unsubscribing_from_the_digest_turns_it_off_on_post_only(client, member):
    url = reverse("monitoring:unsubscribe_digest", args=[Profile.of(member).unsubscribe_token])
    client.get(url)
    assert Profile.of(member).digest_enabled
    client.post(url)
    assert not Profile.of(member).digest_enabled


def test_the_preferences_page_saves_time_zone_quiet_hours_and_digest(member_client, member):
    page = member_client.get(reverse("preferences"))
    assert page.status_code == 200 and 'href="/accounts/preferences/"' in page.content.decode()
    response = member_client.post(
        reverse("preferences"),
        {
            "timezone": "Asia/Tokyo",
            "quiet_start": "22:00",
            "quiet_end": "06:30",
            "digest_time": "08:15",
        },
    )
    assert response.status_code == 302
    profile = Profile.of(member)
    assert profile.timezone == "Asia/Tokyo" and not profile.digest_enabled
    assert (profile.quiet_start.hour, profile.quiet_end.minute, profile.digest_time.hour) == (
        22,
        30,
        8,
    )


def test_preferences_explain_bad_input_and_keep_the_old_values(member_client, member):
    page = member_client.post(
        reverse("preferences"),
        {
            "timezone": "Mars/Olympus",
            "quiet_start": "22:00",
            "quiet_end": "",
            "digest_time": "07:00",
        },
    )
    text = page.content.decode()
    assert "Select a valid choice" in text
    page = member_client.post(
        reverse("preferences"),
        {
            "timezone": "Europe/Paris",
            "quiet_start": "22:00",
            "quiet_end": "",
            "digest_time": "07:00",
        },
    )
    assert "Give both the start and the end of quiet hours" in page.content.decode()
    assert Profile.of(member).timezone == "UTC"


def test_the_digest_page_shows_coverage_since_the_last_digest_so_far(member_client, search):
    from django.utils import timezone

    mention(search, placement("a", "Breaking: Wikipedia turns 25"))
    now = timezone.now()  # the member's profile is UTC with a 07:00 digest
    building = now.date() if now.hour < 7 else now.date() + timedelta(days=1)
    page = member_client.get(reverse("monitoring:digest"), {"date": building.isoformat()})
    assert "Breaking: Wikipedia turns 25" in page.content.decode()


def test_the_saved_search_page_fragment_names_failing_alerts(search, alert):
    from django.template.loader import render_to_string

    AlertRule.objects.filter(pk=alert.pk).update(
        consecutive_failures=2, last_error="HTTP 500 Internal Server Error from https://h.example"
    )
    html = render_to_string("monitoring/alerts/_alert_health.html", {"search": search})
    assert "Alerts (1)" in html and "failing" in html
    assert "HTTP 500 Internal Server Error from https://h.example" in html
