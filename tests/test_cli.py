"""The `commsdesk` command as automation uses it: a real subprocess, stdin and stdout."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fixtures.site import PARAGRAPHS, article_html

ROOT = Path(__file__).resolve().parents[1]


def commsdesk(*args: str, stdin: str = "", env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "commsdesk", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        timeout=120,
    )


def test_language_prints_one_code_per_input_line():
    lines = [
        "The volunteers opened the library archives to everyone.",
        "Los voluntarios abrieron los archivos de la biblioteca.",
        "Die Freiwilligen öffneten die Archive der Bibliothek.",
        "",
        "ボランティアが図書館の資料を公開した。",
    ]
    result = commsdesk("language", stdin="\n".join(lines) + "\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:5] == ["en", "es", "de", "und", "ja"]


def test_extract_prints_article_json_for_plain_and_gzipped_pages(tmp_path):
    page = article_html(
        "Volunteers write local history",
        PARAGRAPHS["volunteers"],
        canonical="https://gazette.example/news/volunteers",
    )
    (tmp_path / "a.html").write_bytes(page)
    (tmp_path / "b.html.gz").write_bytes(gzip.compress(page))

    result = commsdesk(
        "extract", str(tmp_path / "a.html"), str(tmp_path / "b.html.gz"), "--format", "jsonl"
    )

    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == 2
    for record in records:
        assert set(record) >= {
            "path",
            "url",
            "title",
            "text",
            "language",
            "published",
            "authors",
            "canonical_url",
        }
        assert record["language"] == "en" and "two thousand" in record["text"]
        assert record["canonical_url"] == "https://gazette.example/news/volunteers"


def test_extract_reports_a_binary_file_without_crashing(tmp_path):
    (tmp_path / "x.html").write_bytes(bytes(range(256)) * 40)
    result = commsdesk("extract", str(tmp_path / "x.html"))
    assert result.returncode == 1
    assert "x.html" in result.stderr and "Traceback" not in result.stderr


def test_feeds_parse_prints_entries_and_a_clear_error_per_bad_file(tmp_path):
    good = tmp_path / "good.xml"
    good.write_text(
        "<?xml version='1.0'?><rss version='2.0'><channel><title>T</title>"
        "<item><title>One</title><link>https://example.org/1</link></item>"
        "<item><title>Two</title><link>https://example.org/2</link></item></channel></rss>"
    )
    bad = tmp_path / "bad.xml"
    bad.write_bytes(b"\x00\x01 definitely not a feed")

    result = commsdesk("feeds", "parse", str(good), str(bad))

    entries = [json.loads(line) for line in result.stdout.splitlines()]
    assert [e["url"] for e in entries] == ["https://example.org/1", "https://example.org/2"]
    assert result.returncode == 1 and "bad.xml: error:" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.fixture
def cli_db(tmp_path):
    """A fresh SQLite database for CLI commands that store things."""
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}"}
    assert commsdesk("migrate", "--verbosity", "0", env=env).returncode == 0
    return env


def test_opml_import_then_export_round_trips(tmp_path, cli_db):
    opml = tmp_path / "in.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><head/><body>'
        '<outline text="Gazette" xmlUrl="https://gazette.example/feed.xml"/>'
        '<outline text="Folder"><outline text="Diario" xmlUrl="https://diario.example/rss"/>'
        "</outline></body></opml>"
    )
    imported = commsdesk("sources", "import-opml", str(opml), env=cli_db)
    again = commsdesk("sources", "import-opml", str(opml), env=cli_db)
    exported = commsdesk("sources", "export-opml", env=cli_db)

    assert "imported 2 new source(s)" in imported.stdout
    assert "imported 0 new source(s); 2 already present" in again.stdout
    assert 'xmlUrl="https://gazette.example/feed.xml"' in exported.stdout
    assert 'xmlUrl="https://diario.example/rss"' in exported.stdout


def test_backfill_stores_a_folder_of_pages_once(tmp_path, cli_db):
    pages = tmp_path / "pages"
    pages.mkdir()
    for i in range(3):
        text = tuple(f"{p} Page {i}." for p in PARAGRAPHS["volunteers"])
        (pages / f"p{i}.html").write_bytes(article_html(f"Story {i}", text))
    (pages / "empty.html").write_bytes(b"<html><body></body></html>")

    first = commsdesk("backfill", str(pages), "--base-url", "https://archive.example/", env=cli_db)
    second = commsdesk("backfill", str(pages), "--base-url", "https://archive.example/", env=cli_db)

    assert first.returncode == 0, first.stderr
    assert "4 record(s): 1 quarantined, 3 stored" in first.stdout
    assert "3 duplicate" in second.stdout


@pytest.fixture
def documents(tmp_path):
    (tmp_path / "volunteers.html").write_bytes(
        article_html("Volunteers gather", PARAGRAPHS["volunteers"])
    )
    (tmp_path / "elecciones.html.gz").write_bytes(
        gzip.compress(article_html("Elecciones", PARAGRAPHS["elecciones"], lang="es"))
    )
    (tmp_path / "note.txt").write_text("维基百科是一个自由的百科全书。", encoding="utf-8")
    return tmp_path


def test_match_prints_the_paths_a_query_matches(documents):
    paths = sorted(str(p) for p in documents.iterdir())

    result = commsdesk("match", "--query", 'librar* OR 百科 OR "enciclopedia libre"', *paths)

    assert result.returncode == 0, result.stderr
    assert sorted(result.stdout.split()) == paths  # each document matches one way or another
    single = commsdesk("match", "--query", "elecciones -voluntarios", *paths)
    assert single.stdout.split() == []  # the Spanish page mentions voluntarios


def test_match_explain_adds_the_terms_that_hit(documents):
    result = commsdesk(
        "match",
        "--explain",
        "--query",
        '"encyclopedia articles" OR 百科',
        *map(str, sorted(documents.iterdir())),
    )

    lines = dict(line.split("\t") for line in result.stdout.splitlines())
    assert lines[str(documents / "volunteers.html")] == '"encyclopedia articles" (text)'
    assert lines[str(documents / "note.txt")] == "百科 (text)"


def test_match_lang_sets_the_documents_language(documents):
    result = commsdesk("match", "--lang", "es", "--query", "lang:es", str(documents / "note.txt"))

    assert result.stdout.strip() == str(documents / "note.txt")


def test_match_refuses_a_broken_query_with_its_position(documents):
    result = commsdesk("match", "--query", "wikipedia AND (", str(documents / "note.txt"))

    assert result.returncode == 2
    assert "never closed" in result.stderr and "^" in result.stderr
