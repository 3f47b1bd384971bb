"""`commsdesk backfill --warc`: archived HTML responses become articles as of their archive
date, through the same pipeline; non-pages are skipped with a count; re-runs resume."""

from __future__ import annotations

import gzip
import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from commsdesk.monitoring.models import Article, Delivery, Mention
from tests.fixtures.alerts import rule, saved_search
from tests.fixtures.site import PARAGRAPHS, article_html

pytestmark = pytest.mark.django_db

ARCHIVED = "2024-05-01T12:30:00Z"


def write_warc(path: Path, records: list[tuple[str, str, str, bytes]]) -> Path:
    """records: (url, HTTP status line, content type, body), all archived at ARCHIVED."""
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        for url, status, content_type, body in records:
            http = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
            writer.write_record(
                writer.create_warc_record(
                    url,
                    "response",
                    payload=io.BytesIO(body),
                    http_headers=http,
                    warc_headers_dict={"WARC-Date": ARCHIVED},
                )
            )
    return path


@pytest.fixture
def archive(tmp_path) -> Path:
    """Two article pages, a logo and a page that was a 404 when the crawler came."""
    volunteers = article_html("Volunteers gather in Lagos", PARAGRAPHS["volunteers"])
    elecciones = article_html("Elecciones", PARAGRAPHS["elecciones"], lang="es")
    return write_warc(
        tmp_path / "crawl.warc.gz",
        [
            ("https://news.example/volunteers", "200 OK", "text/html; charset=utf-8", volunteers),
            ("https://diario.example/elecciones", "200 OK", "text/html", elecciones),
            ("https://news.example/logo.png", "200 OK", "image/png", b"\x89PNG\r\n"),
            ("https://news.example/gone", "404 Not Found", "text/html", b"<h1>gone</h1>"),
        ],
    )


def backfill(*args: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command("backfill", *args, stdout=out, stderr=err)
    return out.getvalue()


def test_it_imports_archived_pages_as_of_their_archive_date_without_alerts(archive, team, member):
    search = saved_search(team, "Volunteers")
    search.query = "volunteer*"
    search.save()
    rule(search, member)

    summary = backfill("--warc", str(archive))

    assert "4 record(s): 2 skipped, 2 stored" in summary
    archived_at = datetime(2024, 5, 1, 12, 30, tzinfo=UTC)
    assert set(Article.objects.values_list("fetched_at", flat=True)) == {archived_at}
    assert set(Article.objects.values_list("language", flat=True)) == {"en", "es"}
    mention = Mention.objects.get(saved_search=search)
    assert mention.matched_at == archived_at  # not in this morning's digest
    assert not Delivery.objects.exists()  # nobody is alerted about last year's news


def test_running_it_again_skips_what_is_stored(archive):
    backfill("--warc", str(archive))
    again = backfill("--warc", str(archive))
    assert "2 duplicate, 2 skipped" in again
    assert Article.objects.count() == 2


def test_a_cut_off_archive_keeps_what_was_read_and_says_so(archive, tmp_path):
    with archive.open("rb") as stream:
        records = ArchiveIterator(stream)
        offsets = [records.get_record_offset() for _ in records]
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(archive.read_bytes()[: offsets[1] + 40])  # the second record is cut short

    with pytest.raises(CommandError, match="could not be read to its end"):
        backfill("--warc", str(cut))
    assert Article.objects.count() == 1  # the first page, whole, is stored


def test_a_file_that_is_not_an_archive_is_a_clear_error(tmp_path):
    not_warc = tmp_path / "notes.warc"
    not_warc.write_text("these are my notes, not a web archive\n")
    with pytest.raises(CommandError, match="could not be read"):
        backfill("--warc", str(not_warc))


@pytest.mark.corpus
def test_it_imports_real_pages_from_the_corpus_through_a_warc(corpus, tmp_path):
    aeb = corpus / "extraction" / "aeb"
    truth = json.loads((aeb / "ground-truth.json").read_text())
    chosen = sorted(truth)[:8]
    records = [
        (
            truth[key]["url"],
            "200 OK",
            "text/html; charset=utf-8",
            gzip.decompress((aeb / "html" / f"{key}.html.gz").read_bytes()),
        )
        for key in chosen
    ]
    archive = write_warc(tmp_path / "aeb.warc.gz", records)

    summary = backfill("--warc", str(archive))

    stored = Article.objects.count()
    assert stored >= 7, summary  # a page may fold into another's canonical URL, none is lost
    assert f"{len(chosen)} record(s)" in summary
    assert "quarantined" not in summary
