"""The demo's materials library: what a comms team keeps ready, in the fictional foundation's words.

Boilerplate with a translation, talking points whose French translation is stale, an FAQ, a
holding statement overdue for review, key statistics (one live from the demo newsroom's
Wikimedia-shaped API), drafts, a published press release, a press kit and the press room.
Idempotent like the rest of the demo. It writes records only: pages and tasks do the rest.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from commsdesk.demo.newsroom import Newsroom
from commsdesk.materials.models import (
    Citation,
    Draft,
    KeyStatistic,
    Material,
    MaterialVersion,
    PressKit,
    PressKitFile,
    PressRoom,
    StatisticValue,
    Status,
)

ABOUT = (
    "The Free Knowledge Foundation is the nonprofit that hosts OpenPedia, the free encyclopedia "
    "written by volunteers in more than 300 languages. It believes that everyone should be able "
    "to share in the sum of all knowledge. Learn more at https://free-knowledge.example."
)
ABOUT_ES = (
    "La Free Knowledge Foundation es la organización sin ánimo de lucro que aloja OpenPedia, la "
    "enciclopedia libre escrita por voluntarios en más de 300 idiomas."
)
TALKING_POINTS_V1 = """- Edit-a-thons bring new volunteers to OpenPedia every month.
- Knowledge about a place should be written by the people who live there.
- Libraries and universities host most of our events."""
TALKING_POINTS_V2 = (
    TALKING_POINTS_V1
    + """
- Last year's record edit-a-thon added 12,000 articles in 40 languages."""
)
TALKING_POINTS_FR = """- Les edit-a-thons amènent chaque mois de nouveaux bénévoles sur OpenPedia.
- Le savoir sur un lieu devrait être écrit par celles et ceux qui y vivent.
- Les bibliothèques et les universités accueillent la plupart de nos événements."""
FAQ = """## Who writes OpenPedia?

Volunteers, in more than 300 languages. The foundation does not write or edit articles.

## Why are reader numbers changing?

More people read summaries of OpenPedia in search engines and AI assistants without visiting
the site. We publish our traffic figures every month.

## How is the foundation funded?

Mostly by small donations from readers."""
HOLDING = (
    "We are aware of reports about changes in reader numbers and are looking into them. "
    "We will share more as soon as we can."
)
LOGO_SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="120" height="120" viewBox="0 0 120 120">'
    b'<circle cx="60" cy="60" r="54" fill="#36c"/><text x="60" y="74" font-size="40" '
    b'text-anchor="middle" fill="#fff" font-family="sans-serif">FK</text></svg>'
)


def load_library(team, user, newsroom: Newsroom) -> None:
    """Create the demo materials once; a second run finds them and changes nothing."""
    if Material.objects.filter(team=team).exists():
        return
    with transaction.atomic():
        about = _material(team, user, "boilerplate", "About the Free Knowledge Foundation", [ABOUT])
        about.public = True
        about.save(update_fields=["public"])
        _translation(about, user, "es", "Sobre la Free Knowledge Foundation", ABOUT_ES, public=True)
        points = _material(
            team, user, "talking_points", "Edit-a-thon talking points",
            [TALKING_POINTS_V1, TALKING_POINTS_V2],
        )  # fmt: skip
        # Translated from version 1: the source has moved on, so the library flags it stale.
        _translation(points, user, "fr", "Edit-a-thon : éléments de langage", TALKING_POINTS_FR,
                     source_version=1)  # fmt: skip
        faq = _material(team, user, "faq", "Reader numbers: questions and answers", [FAQ])
        faq.public = True
        faq.save(update_fields=["public"])
        holding = _material(
            team, user, "holding_statement", "Holding statement: reader numbers", [HOLDING],
            status=Status.IN_REVIEW,
        )  # fmt: skip
        holding.review_by = timezone.localdate() - timedelta(days=2)
        holding.save(update_fields=["review_by"])
        articles, readers = _statistics(team, user, newsroom)
        release = _release(team, user, about, articles)
        _blog_draft(team, user, readers)
        _press_kit(team, user, [about, faq], release)
        PressRoom.objects.create(
            team=team,
            slug="free-knowledge",
            enabled=True,
            title="Free Knowledge Foundation press room",
            intro="News, press kits and media contacts of the Free Knowledge Foundation.",
            contact_name="Press office",
            contact_email="press@free-knowledge.example",
            contact_phone="+1 415 555 0100",
        )


def _material(team, user, kind, title, bodies, *, status=Status.APPROVED) -> Material:
    material = Material.objects.create(
        team=team, kind=kind, title=title, owner=user, language="en",
        review_by=timezone.localdate() + timedelta(days=180), tags=["demo"],
    )  # fmt: skip
    for body in bodies:
        _new_version(material, user, body)
    if status == Status.APPROVED:
        material.status, material.approved_by, material.approved_at = status, user, timezone.now()
        material.approved_version = material.version
    else:
        material.status = status
    material.save()
    return material


def _new_version(material: Material, user, body: str) -> None:
    material.version += 1
    material.body = body
    MaterialVersion.objects.create(
        material=material, number=material.version, title=material.title, body=body, author=user
    )
    material.save(update_fields=["version", "body"])


def _translation(source, user, language, title, body, *, public=False, source_version=None):
    translation = _material(source.team, user, source.kind, title, [body])
    translation.language = language
    translation.public = public
    translation.translation_of = source
    translation.source_version = source_version or source.version
    translation.save()
    return translation


def _statistics(team, user, newsroom: Newsroom) -> tuple[KeyStatistic, KeyStatistic]:
    today = timezone.localdate()
    articles = KeyStatistic.objects.create(
        team=team, name="Articles on OpenPedia in English", slug="articles-en",
        value=Decimal(newsroom.article_count()), unit="articles", as_of=today, owner=user,
        source_url=f"{newsroom.base_url}/api/siteinfo.json", status=Status.APPROVED,
        approved_by=user, approved_at=timezone.now(),
        live_url=f"{newsroom.base_url}/api/siteinfo.json",
        live_path="$.query.statistics.articles", refresh_hours=1,
    )  # fmt: skip
    readers = KeyStatistic.objects.create(
        team=team, name="Monthly readers", slug="monthly-readers",
        value=Decimal("1500000000"), unit="readers", as_of=today - timedelta(days=45),
        max_age_days=31, owner=user, status=Status.APPROVED, approved_by=user,
        approved_at=timezone.now(), description="Unique devices per month, all languages.",
    )  # fmt: skip
    for statistic in (articles, readers):
        StatisticValue.objects.create(
            statistic=statistic, value=statistic.value, as_of=statistic.as_of, recorded_by=user
        )
    return articles, readers


def _release(team, user, about: Material, articles: KeyStatistic) -> Draft:
    release = Draft.objects.create(
        team=team, kind=Draft.Kind.PRESS_RELEASE, owner=user, language="en",
        title="Record edit-a-thon adds 12,000 articles in 40 languages",
        slug="record-edit-a-thon-adds-12000-articles",
        dateline="SAN FRANCISCO, " + timezone.localdate().strftime("%-d %B %Y"),
        lead="Volunteers in 40 languages wrote 12,000 new OpenPedia articles about their own "
        "towns and regions during the foundation's largest edit-a-thon so far.",
        body="Libraries and universities in 60 cities hosted the events. OpenPedia in English "
        f"now has {articles.value:,.0f} articles.",
        quotes='"Knowledge about a place should be written by the people who live there," said '
        "the foundation's director of communications.",
        boilerplate=about.body, media_contact="Press office, press@free-knowledge.example",
        status=Status.APPROVED, approved_by=user, approved_at=timezone.now(),
        published_at=timezone.now() - timedelta(days=1),
    )  # fmt: skip
    Citation.objects.create(draft=release, material=about, material_version=about.version)
    Citation.objects.create(
        draft=release, statistic=articles, value=articles.value, as_of=articles.as_of,
        text=f"{articles.value:,.0f} articles",
    )  # fmt: skip
    return release


def _blog_draft(team, user, readers: KeyStatistic) -> None:
    # Cites a statistic that has gone stale: the drafts page flags it.
    blog = Draft.objects.create(
        team=team, kind=Draft.Kind.BLOG_POST, owner=user, language="en",
        title="What our reader numbers tell us",
        body="OpenPedia is read by 1,500,000,000 readers every month. Here is how we count them.",
    )  # fmt: skip
    Citation.objects.create(
        draft=blog, statistic=readers, value=readers.value, as_of=readers.as_of,
        text="1,500,000,000 readers",
    )  # fmt: skip


def _press_kit(team, user, materials: list[Material], release: Draft) -> None:
    kit = PressKit.objects.create(
        team=team, title="Record edit-a-thon press kit", slug="edit-a-thon", owner=user,
        description="Background, logo and the release about the record edit-a-thon.",
        status=Status.APPROVED, approved_by=user, approved_at=timezone.now(),
    )  # fmt: skip
    kit.materials.set(materials)
    kit.releases.set([release])
    logo = PressKitFile(
        kit=kit, name="free-knowledge-logo.svg", kind=PressKitFile.Kind.LOGO,
        credit="Free Knowledge Foundation, CC BY-SA 4.0", size=len(LOGO_SVG),
        sha256=hashlib.sha256(LOGO_SVG).hexdigest(),
    )  # fmt: skip
    logo.file.save("free-knowledge-logo.svg", ContentFile(LOGO_SVG), save=True)
