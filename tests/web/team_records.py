"""One record of every model a URL can name, all owned by one team, for the authorization matrix
(and the CSRF crawl): each URL pattern's arguments come from here."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from commsdesk.accounts.models import ApiToken
from commsdesk.campaigns.models import KPI, Campaign, KPIEntry, ReportSchedule
from commsdesk.materials.models import (
    Draft,
    KeyStatistic,
    Material,
    MaterialVersion,
    PressKit,
    PressKitFile,
    PressRoom,
    Status,
)
from commsdesk.monitoring.models import (
    AlertRule,
    Mention,
    NameVariant,
    Outlet,
    SavedSearch,
    Source,
    Story,
    WatchedPage,
)
from commsdesk.operations.models import Incident, PlannedItem, StoryIdea, StoryPhoto
from commsdesk.relations.models import (
    Inquiry,
    Journalist,
    MediaList,
    MediaListMember,
    Pitch,
    PitchRecipient,
    PitchTemplate,
    SpeakingOpportunity,
    Spokesperson,
    Training,
    TrainingAttendance,
)
from tests.fixtures.articles import stored_article


def seed(team, owner) -> dict:
    """Every record the URL patterns take an id of, in `team`, keyed by a short name."""
    now = timezone.now()
    outlet = Outlet.objects.create(name="Daily Example", domain="daily.example")
    source = Source.objects.create(name="Daily Example feed", url="https://daily.example/feed")
    article = stored_article("matrix", title="Matrix article", outlet=outlet)
    story = Story.objects.create(representative=article)
    article.story = story
    article.save()
    search = SavedSearch.objects.create(team=team, name="Our name", query="example")
    mention = Mention.objects.create(saved_search=search, article=article, sort_at=now)
    rule = AlertRule.objects.create(saved_search=search, user=owner)
    journalist = Journalist.objects.create(team=team, name="Ada Reporter", email="ada@x.example")
    media_list = MediaList.objects.create(team=team, name="Science desk")
    MediaListMember.objects.create(media_list=media_list, journalist=journalist)
    pitch = Pitch.objects.create(
        team=team, subject="Our report", body="Hello", media_list=media_list
    )
    recipient = PitchRecipient.objects.create(pitch=pitch, journalist=journalist)
    speaker = Spokesperson.objects.create(team=team, name="Sam Speaker")
    training = Training.objects.create(team=team, title="Media basics", starts_at=now)
    TrainingAttendance.objects.create(training=training, spokesperson=speaker)
    campaign = Campaign.objects.create(team=team, name="Launch", starts_on=date(2026, 1, 1))
    kpi = KPI.objects.create(campaign=campaign, name="Placements")
    material = Material.objects.create(
        team=team, kind="faq", title="FAQ", body="## Q\nA.", version=1, status=Status.APPROVED
    )
    MaterialVersion.objects.create(material=material, number=1, title="FAQ", body="## Q\nA.")
    kit = PressKit.objects.create(team=team, title="Kit", slug="kit", status=Status.APPROVED)
    release = Draft.objects.create(
        team=team,
        kind=Draft.Kind.PRESS_RELEASE,
        title="Release",
        slug="release",
        status=Status.APPROVED,
        published_at=now - timedelta(days=1),
    )
    idea = StoryIdea.objects.create(team=team, title="A librarian's story", created_by=owner)
    return {
        "team": team,
        "api_token": ApiToken.issue(owner, name="Matrix")[0],
        "planned": PlannedItem.objects.create(
            team=team, title="Launch day", starts_at=now, owner=owner, created_by=owner
        ),
        "incident": Incident.objects.create(team=team, title="Outage", owner=owner),
        "idea": idea,
        "photo": StoryPhoto.objects.create(
            idea=idea, file=ContentFile(b"GIF89a", name="photo.gif"), caption="Portrait"
        ),
        "outlet": outlet,
        "source": source,
        "article": article,
        "story": story,
        "search": search,
        "mention": mention,
        "rule": rule,
        "name": NameVariant.objects.create(team=team, name="Example", language="es", label="Ej"),
        "page": WatchedPage.objects.create(team=team, project="en.wikipedia", title="Example"),
        "journalist": journalist,
        "media_list": media_list,
        "pitch": pitch,
        "recipient": recipient,
        "template": PitchTemplate.objects.create(team=team, name="T", subject="S", body="B"),
        "speaker": speaker,
        "training": training,
        "opportunity": SpeakingOpportunity.objects.create(team=team, title="Panel"),
        "inquiry": Inquiry.objects.create(team=team, topic="Budget question"),
        "campaign": campaign,
        "kpi": kpi,
        "entry": KPIEntry.objects.create(kpi=kpi, value=Decimal(3)),
        "schedule": ReportSchedule.objects.create(
            campaign=campaign, frequency="weekly", next_run_at=now
        ),
        "material": material,
        "statistic": KeyStatistic.objects.create(
            team=team, name="Articles", slug="articles", value=Decimal(10), status=Status.APPROVED
        ),
        "draft": release,
        "kit": kit,
        "file": PressKitFile.objects.create(
            kit=kit, name="note.txt", file=ContentFile(b"hello", name="note.txt")
        ),
        "room": PressRoom.objects.create(team=team, slug="comms-room", title="Room", enabled=True),
    }
