"""What a restored installation must reproduce: counts of every exported model and the key
fields, links (many-to-many), versions, JSON fields, uploaded files and search results.

Run as `python -m tests.audit.snapshot` in an installation to print it as JSON; the round-trip
test compares the source's snapshot with the restored one's.
"""

from __future__ import annotations

import hashlib
import json


def snapshot() -> dict:
    from django.contrib.auth import get_user_model
    from django.core.files.storage import default_storage

    from commsdesk.audit import archive
    from commsdesk.audit.models import AuditEntry
    from commsdesk.campaigns.models import Campaign
    from commsdesk.materials.models import KeyStatistic, Material, PressKit, PressKitFile
    from commsdesk.monitoring import search
    from commsdesk.monitoring.models import Article, SavedSearch
    from commsdesk.relations.models import Inquiry, Journalist, MediaList, Training

    def file_digest(stored: PressKitFile) -> str:
        with default_storage.open(stored.file.name, "rb") as handle:
            return hashlib.sha256(handle.read()).hexdigest()

    return {
        "counts": {m._meta.label: m._default_manager.count() for m in archive.exported_models()},
        "users": sorted(
            (u.username, u.check_password("pw-123456789")) for u in get_user_model().objects.all()
        ),
        "journalists": sorted(
            (j.name, j.email, j.team.slug, sorted(o.domain for o in j.outlets.all()))
            for j in Journalist.objects.all()
        ),
        "lists": sorted(
            (m.name, sorted(j.name for j in m.journalists.all())) for m in MediaList.objects.all()
        ),
        "searches": sorted(
            (s.name, s.query, sorted(src.url for src in s.sources.all()))
            for s in SavedSearch.objects.all()
        ),
        "mentions": sorted(
            (m.saved_search.name, m.article.url, m.state, m.tags)
            for s in SavedSearch.objects.all()
            for m in s.mentions.all()
        ),
        "campaigns": sorted(
            (c.name, str(c.starts_on), sorted(s.name for s in c.searches.all()))
            for c in Campaign.objects.all()
        ),
        "materials": sorted(
            (
                m.title,
                m.version,
                m.tags,
                [(v.number, v.body) for v in m.versions.order_by("number")],
            )
            for m in Material.objects.all()
        ),
        "statistics": sorted((s.name, str(s.value)) for s in KeyStatistic.objects.all()),
        "kits": sorted(
            (
                k.title,
                sorted(m.title for m in k.materials.all()),
                sorted((f.name, f.file.name, file_digest(f)) for f in k.files.all()),
            )
            for k in PressKit.objects.all()
        ),
        "trainings": sorted(
            (t.title, sorted(p.name for p in t.attendees.all())) for t in Training.objects.all()
        ),
        "inquiries": sorted(
            (i.topic, sorted(a.url for a in i.coverage.all())) for i in Inquiry.objects.all()
        ),
        "found": sorted(a.url for a in search.search(Article.objects.all(), "zebrafinch")),
        "audit": sorted(
            (
                e.content_type.app_label,
                e.content_type.model,
                e.object_pk,
                e.action,
                e.actor.username if e.actor else "",  # "" not None: tuples must sort
                e.team.slug if e.team else "",
            )
            for e in AuditEntry.objects.select_related("content_type", "actor", "team")
        ),
    }


if __name__ == "__main__":
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commsdesk.config.settings")
    django.setup()
    print(json.dumps(snapshot()))
