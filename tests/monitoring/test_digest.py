"""The morning digest: at each person's local time, once per local date, stories folded."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from commsdesk.accounts.models import Membership, Profile
from commsdesk.monitoring.alerting import digest
from commsdesk.monitoring.models import DigestRun, Source, Spike
from tests.fixtures.alerts import mention, placement, saved_search

pytestmark = pytest.mark.django_db

DAY = date(2026, 11, 25)


def at(hour: int, minute: int = 0, day: int = 25) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


@pytest.fixture
def colleague(team, django_user_model):
    """A second member of the team, in New York."""
    user = django_user_model.objects.create_user(
        "bo", "bo@example.org", "a-long-test-password", date_joined=at(0, day=1)
    )
    Membership.objects.create(user=user, team=team)
    Profile.objects.create(user=user, timezone="America/New_York", digest_time=time(7))
    return user


@pytest.fixture
def parisian(member):
    member.date_joined = at(0, day=1)
    member.save(update_fields=["date_joined"])
    Profile.objects.create(user=member, timezone="Europe/Paris", digest_time=time(7))
    return member


def test_a_7am_digest_is_due_in_paris_hours_before_new_york(smtp, team, parisian, colleague):
    saved_search(team)
    assert digest.due(at(5, 59)) == []  # 06:59 in Paris
    assert digest.send_due_digests(now=at(6, 1)) == 1  # 07:01 in Paris, 01:01 in New York
    assert [m["To"] for m in smtp.messages] == ["ana@example.org"]
    assert digest.send_due_digests(now=at(11, 59)) == 0  # 06:59 in New York
    assert digest.send_due_digests(now=at(12, 0)) == 1  # 07:00 in New York
    assert [m["To"] for m in smtp.messages] == ["ana@example.org", "bo@example.org"]
    runs = set(DigestRun.objects.values_list("user__username", "local_date", "state"))
    assert runs == {("ana", DAY, "sent"), ("bo", DAY, "sent")}


def test_it_sends_a_digest_at_most_once_per_local_date_even_with_two_schedulers(
    smtp, team, parisian
):
    saved_search(team)
    assert digest.claim_run(parisian, DAY, at(6)) is not None
    assert digest.claim_run(parisian, DAY, at(6)) is None  # the other scheduler gets nothing
    DigestRun.objects.all().delete()
    assert digest.send_due_digests(now=at(6)) == 1
    assert digest.send_due_digests(now=at(6, 5)) == 0
    assert digest.send_due_digests(now=at(20)) == 0
    assert len(smtp.messages) == 1 and DigestRun.objects.count() == 1
    assert digest.send_due_digests(now=at(6, day=26)) == 1  # the next local date


def test_it_folds_a_syndicated_story_once_with_its_placements(team, parisian):
    search = saved_search(team, "Us")
    original = placement("a", "Wikipedia turns 25", at=at(1))
    for i, outlet in enumerate(["Wire", "Daily", "Herald"]):
        copy = placement(
            f"c{i}", "Wikipedia turns 25", at=at(2), outlet_name=outlet, story=original.story
        )
        mention(search, copy, at=at(2))
    mention(search, original, at=at(1))
    mention(search, placement("b", "Volunteers map the Andes", at=at(3)), at=at(3))
    mention(search, placement("old", "Yesterday's news", at=at(5, day=24)), at=at(5, day=24))
    result = digest.build_digest(parisian, DAY, now=at(12))
    [section] = result.sections
    assert (section.story_count, section.placement_count) == (2, 5)
    top = section.stories[0]
    assert (top.title, top.placements, top.outlet) == ("Wikipedia turns 25", 4, "Gazette")
    assert result.since == at(6, day=24) and result.until == at(6)  # 07:00 Paris to 07:00 Paris


def test_it_leaves_out_other_teams_hidden_mentions_and_muted_searches(team, parisian, outsider):
    from commsdesk.accounts.models import Team

    theirs = saved_search(Team.objects.get(slug="other"), "Theirs")
    muted = saved_search(team, "Muted", muted=True)
    ours = saved_search(team, "Ours")
    mention(theirs, placement("t", "Their story", at=at(2)), at=at(2))
    mention(muted, placement("m", "Muted story", at=at(2)), at=at(2))
    mention(ours, placement("h", "Hidden story", at=at(2)), at=at(2), state="hidden")
    result = digest.build_digest(parisian, DAY, now=at(12))
    assert [s.search.name for s in result.sections] == ["Ours"]
    assert result.sections[0].story_count == 0


def test_the_digest_email_has_text_html_new_outlets_spikes_and_failing_sources(
    smtp, team, parisian
):
    search = saved_search(team, "Us")
    mention(search, placement("old", "Old one", at=at(1, day=20)), at=at(1, day=20))
    mention(search, placement("g", "Gazette again", at=at(2)), at=at(2))
    mention(
        search, placement("n", "First time here", at=at(3), outlet_name="Nouvelle Revue"), at=at(3)
    )
    Spike.objects.create(
        saved_search=search,
        hour=at(4),
        count=30,
        baseline=2,
        spread=1,
        score=10,
        why={"stories": ["Wikipedia blocked"], "outlets": ["Wire"], "terms": ["blocked"]},
    )
    Source.objects.create(
        name="Broken feed",
        url="https://broken.example/rss",
        consecutive_failures=3,
        last_error="HTTP 503 Service Unavailable from https://broken.example/rss",
    )
    assert digest.send_due_digests(now=at(6, 30)) == 1
    message = smtp.messages[0]
    assert message["Subject"] == "Morning digest, 25 Nov 2026: 2 stories in 1 search"
    text, html = smtp.parts(message)
    for body in (text, html):
        assert "Gazette again" in body and "First time here" in body
        assert "Old one" not in body
        assert "Nouvelle Revue" in body  # a new outlet
        assert "30 matches" in body and "Wikipedia blocked" in body
        assert "Broken feed" in body and "HTTP 503" in body
        assert "https://desk.example.org/monitoring/unsubscribe/" in body
        assert "https://desk.example.org/monitoring/digest/?date=2026-11-25" in body
    new_outlets = digest.build_digest(parisian, DAY, now=at(6, 30)).new_outlets
    assert [o.name for o in new_outlets] == ["Nouvelle Revue"]


def test_a_refused_digest_is_retried_later_and_sent_once(smtp, team, parisian):
    saved_search(team)
    smtp.refuse = "451 4.3.0 Try again later"
    assert digest.send_due_digests(now=at(6)) == 0
    run = DigestRun.objects.get()
    assert run.state == DigestRun.State.PENDING and "451" in run.error
    assert digest.send_due_digests(now=at(6, 0) + timedelta(seconds=30)) == 0  # backing off
    smtp.refuse = None
    assert digest.send_due_digests(now=at(6, 2)) == 1
    assert len(smtp.messages) == 1


def test_no_digest_for_someone_who_turned_it_off(smtp, team, member):
    saved_search(team)
    Profile.objects.create(user=member, digest_enabled=False)
    assert digest.send_due_digests(now=at(9)) == 0
    assert smtp.messages == []


def test_someone_who_joins_after_the_digest_time_gets_the_first_digest_the_next_morning(
    smtp, team, parisian
):
    saved_search(team)
    parisian.date_joined = at(9)  # 10:00 in Paris, after today's 07:00 digest
    parisian.save(update_fields=["date_joined"])
    assert digest.send_due_digests(now=at(10)) == 0
    assert digest.send_due_digests(now=at(6, day=26)) == 1
    assert [m["To"] for m in smtp.messages] == ["ana@example.org"]
