"""The spread view: ideas collected and stories published in a quarter, per country and language."""

from __future__ import annotations

from datetime import UTC, date, datetime

from django.urls import reverse

from commsdesk.operations import stories
from commsdesk.operations.models import StoryIdea


def _idea(team, title, *, country, language, created, published=None):
    idea = StoryIdea.objects.create(
        team=team,
        title=title,
        country=country,
        language=language,
        consent="given",
        stage="published" if published else "idea",
        published_at=published,
    )
    # created_at is auto_now_add: set it the way time would have.
    StoryIdea.objects.filter(pk=idea.pk).update(created_at=created)
    return idea


def _at(year, month, day):
    return datetime(year, month, day, 12, tzinfo=UTC)


def _ideas(team):
    _idea(
        team,
        "Ibadan",
        country="NG",
        language="yo",
        created=_at(2026, 10, 2),
        published=_at(2026, 11, 1),
    )
    _idea(team, "Kano", country="NG", language="ha", created=_at(2026, 11, 5))
    _idea(
        team,
        "Lima",
        country="PE",
        language="es",
        created=_at(2026, 8, 20),
        published=_at(2026, 10, 10),
    )
    _idea(team, "Last year", country="IN", language="hi", created=_at(2025, 11, 1))
    _idea(team, "No place", country="", language="", created=_at(2026, 12, 31))


def test_the_quarter_counts_ideas_collected_and_stories_published(team):
    _ideas(team)
    start, end = stories.parse_quarter("2026Q4", today=date(2026, 1, 1))
    assert (start, end) == (date(2026, 10, 1), date(2026, 12, 31))
    spread = stories.spread(StoryIdea.objects.filter(team=team), start, end)
    assert (spread.ideas, spread.published) == (3, 2)
    countries = {row.key: (row.label, row.ideas, row.published) for row in spread.countries}
    assert countries == {
        "NG": ("Nigeria", 2, 1),
        "PE": ("Peru", 0, 1),  # collected last quarter, published in this one
        "": ("Not recorded", 1, 0),
    }
    languages = {row.key: (row.label, row.ideas, row.published) for row in spread.languages}
    assert languages["yo"] == ("Yoruba", 1, 1) and languages["ha"] == ("Hausa", 1, 0)
    assert "hi" not in languages
    assert spread.countries[-1].key == ""  # the unknown last


def test_a_quarter_that_is_not_one_falls_back_to_this_quarter():
    assert stories.parse_quarter("2026Q5", today=date(2026, 5, 9)) == (
        date(2026, 4, 1),
        date(2026, 6, 30),
    )


def test_the_spread_page_shows_tables_and_bar_charts(team, member_client):
    _ideas(team)
    page = member_client.get(reverse("operations:story_spread"), {"quarter": "2026Q4"})
    text = page.content.decode()
    assert page.status_code == 200
    assert "2026 Q4" in text and "Nigeria" in text and "Yoruba" in text
    assert text.count("<svg") == 2  # by country, by language
    assert "Stories published by country" in text
    assert "quarter=2026Q3" in text and "quarter=2027Q1" in text
