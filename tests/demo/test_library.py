"""The demo's materials library: what `make run` shows in Materials and the press room."""

from __future__ import annotations

import json
import urllib.request

import pytest
from django.utils import timezone

from commsdesk.demo.load import load_demo
from commsdesk.demo.newsroom import ARTICLES_AT_START
from commsdesk.materials import facts
from commsdesk.materials.models import Draft, KeyStatistic, Material, PressRoom, Status

pytestmark = pytest.mark.django_db


def test_the_demo_library_shows_a_stale_translation_and_a_stale_statistic(newsroom):
    load_demo(newsroom)
    load_demo(newsroom)  # idempotent: nothing twice

    assert Material.objects.filter(title="Edit-a-thon talking points").count() == 1
    french = Material.objects.get(language="fr")
    assert french.is_stale_translation
    spanish = Material.objects.get(language="es")
    assert not spanish.is_stale_translation and spanish.public
    readers = KeyStatistic.objects.get(slug="monthly-readers")
    assert facts.freshness(readers, today=timezone.localdate()).stale


def test_the_demo_press_room_has_a_published_release_and_a_live_statistic_source(newsroom):
    load_demo(newsroom)

    room = PressRoom.objects.get()
    assert room.enabled and room.slug == "free-knowledge"
    release = Draft.objects.get(kind=Draft.Kind.PRESS_RELEASE)
    assert release.status == Status.APPROVED and release.published_at <= timezone.now()
    live = KeyStatistic.objects.get(slug="articles-en")
    with urllib.request.urlopen(live.live_url, timeout=5) as reply:  # the newsroom's own API
        answer = json.load(reply)
    assert answer["query"]["statistics"]["articles"] >= ARTICLES_AT_START
