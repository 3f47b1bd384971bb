"""An incident with coverage: a saved search with mentions over the last 48 hours (one story of
three placements, two loose articles, stances set), an approved holding statement, an
unapproved Q&A and an open press inquiry."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from commsdesk.materials.models import Material, Status
from commsdesk.monitoring.models import Mention, Outlet, SavedSearch, Story
from commsdesk.operations.models import Incident
from commsdesk.relations.models import Inquiry
from tests.fixtures.articles import stored_article

NOW = datetime(2026, 11, 25, 12, 30, tzinfo=UTC)
H = timedelta(hours=1)


def incident_with_coverage(team, owner, *, now: datetime = NOW) -> Incident:
    search = SavedSearch.objects.create(
        team=team, owner=owner, name="Block in Freedonia", query="wikipedia AND block"
    )
    outlet = Outlet.objects.create(name="Freedonia Herald", domain="herald.example")
    story = Story.objects.create(first_seen=now - 3 * H, last_seen=now - H)
    for i, stance in enumerate(("negative", "negative", "neutral")):
        _mention(search, now - (3 - i) * H, f"story-{i}", stance, outlet=outlet, story=story)
    _mention(search, now - 30 * H, "older-1", "positive", title="Editors protest the block")
    _mention(search, now - 60 * H, "too-old", "negative", title="Outside the window")
    incident = Incident.objects.create(
        team=team,
        title="Wikipedia blocked in Freedonia",
        summary="The regulator ordered ISPs to block all language editions.",
        severity=Incident.Severity.HIGH,
        owner=owner,
        opened_at=now - 4 * H,
        created_by=owner,
    )
    incident.searches.add(search)
    holding = Material.objects.create(
        team=team,
        kind=Material.Kind.HOLDING_STATEMENT,
        title="Holding statement: Freedonia block",
        body="We are aware of reports that Wikipedia is blocked and are working to restore access.",
        status=Status.APPROVED,
        version=1,
        approved_version=1,
    )
    qa = Material.objects.create(
        team=team,
        kind=Material.Kind.FAQ,
        title="Q&A: Freedonia block",
        body="## Is Wikipedia safe?\nYes.",
        status=Status.DRAFT,
    )
    incident.materials.add(holding, qa)
    inquiry = Inquiry.objects.create(
        team=team, topic="Comment on the Freedonia block", deadline=now + 5 * H
    )
    incident.inquiries.add(inquiry)
    incident.timeline.create(kind="decision", at=now - 2 * H, text="Statement goes out at 14:00.")
    return incident


def _mention(search, at, slug, stance, *, outlet=None, story=None, title="Wikipedia blocked"):
    article = stored_article(slug, title=title, sort_at=at, outlet=outlet, story=story)
    return Mention.objects.create(
        saved_search=search, article=article, sort_at=at, matched_at=at, stance=stance
    )
