"""Behaviour of the article-extraction stage, on small pages written here and on the AEB corpus."""

from __future__ import annotations

import gzip
import json
import logging
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
import trafilatura
from bench.aeb_metric import score

from commsdesk.pipeline.errors import NotAnArticleError, PermanentError
from commsdesk.pipeline.extract import DEFAULT_MAX_BYTES, extract, split_authors

PARAGRAPHS = [
    "The river rose by two metres overnight, flooding the lower town and cutting the main road "
    "to the coast for the first time since records began in 1911.",
    "Volunteers from the nonprofit worked through the night to move families to the school "
    "gym, where blankets, water and hot meals were handed out until morning.",
    "The mayor said the council would ask the national government for emergency funds on "
    "Monday, and thanked the volunteers for what she called an extraordinary effort.",
]


def article_page(
    *,
    title: str = "River floods the lower town",
    byline: str = "By Ana Silva and Tom Berg",
    head_extra: str = "",
    paragraphs: list[str] = PARAGRAPHS,
    lang: str = "en-GB",
) -> str:
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head>
<meta charset="utf-8">
<title>{title} | Valley News</title>
<meta property="og:site_name" content="Valley News">
<meta name="author" content="{byline}">
<meta property="article:published_time" content="2024-03-05T14:30:00+01:00">
{head_extra}
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
<article><h1>{title}</h1><p class="byline">{byline}</p>
{body}
<p>Read more: Valley rainfall hits a ten-year high</p>
</article>
<footer>Copyright Valley News. All rights reserved.</footer>
</body></html>"""


def test_it_extracts_title_text_authors_date_and_site_from_a_simple_article() -> None:
    page = extract(article_page(), url="https://news.example.org/2024/03/flood")

    assert page.title == "River floods the lower town"
    assert page.text.split("\n") == PARAGRAPHS  # no headline, byline, teaser, nav or footer
    assert page.authors == ("Ana Silva", "Tom Berg")
    assert page.published == datetime(2024, 3, 5, 13, 30, tzinfo=UTC)
    assert page.published is not None and page.published.tzinfo is not None
    assert page.site_name == "Valley News"
    assert page.language_hint == "en"
    assert page.method.startswith("trafilatura")
    assert page.url == "https://news.example.org/2024/03/flood"


def test_it_uses_a_sane_canonical_link_resolved_against_the_page_url() -> None:
    head = '<link rel="canonical" href="/2024/03/flood-story">'
    page = extract(article_page(head_extra=head), url="https://news.example.org/a?utm_source=x")
    assert page.canonical_url == "https://news.example.org/2024/03/flood-story"


def test_it_falls_back_to_og_url_when_there_is_no_canonical_link() -> None:
    head = '<meta property="og:url" content="https://www.example.org/flood">'
    page = extract(article_page(head_extra=head), url="https://example.org/flood?ref=rss")
    assert page.canonical_url == "https://www.example.org/flood"


@pytest.mark.parametrize(
    ("href", "url"),
    [
        ("javascript:alert(1)", "https://example.org/flood"),
        ("http:// not a url", "https://example.org/flood"),
        ("ftp://example.org/flood", "https://example.org/flood"),
        ("https://elsewhere.example.net/their-story", "https://example.org/flood"),
        ("https://example.org/", "https://example.org/flood"),  # every page -> home page
        ("/flood-story", ""),  # relative and nothing to resolve it against
    ],
)
def test_a_relative_or_garbage_canonical_falls_back_to_the_page_url(href: str, url: str) -> None:
    page = extract(article_page(head_extra=f'<link rel="canonical" href="{href}">'), url=url)
    assert page.canonical_url == url


def test_it_decodes_cp1251_bytes_with_the_http_charset() -> None:
    text = "Наводнение в нижнем городе: река поднялась на два метра за ночь и отрезала дорогу."
    html = article_page(title="Наводнение", paragraphs=[text] * 3, lang="ru")
    raw = html.replace('<meta charset="utf-8">', "").encode("cp1251")

    page = extract(raw, url="https://example.ru/a", charset="windows-1251")

    assert page.title == "Наводнение"
    assert text in page.text


def test_it_decodes_cp1251_bytes_declared_only_in_a_meta_tag() -> None:
    text = "Волонтёры работали всю ночь, перевозя семьи в школьный спортзал с одеялами и едой."
    html = article_page(title="Волонтёры", paragraphs=[text] * 3, lang="ru")
    raw = html.replace('<meta charset="utf-8">', '<meta charset="windows-1251">').encode("cp1251")

    assert text in extract(raw).text


def test_a_wrong_charset_never_crashes_and_utf8_bytes_survive_a_latin1_header() -> None:
    text = "Café owners in Zürich say the façade must be rebuilt before the winter season."
    raw = article_page(paragraphs=[text] * 3).encode("utf-8")

    assert text in extract(raw, charset="iso-8859-1").text
    assert extract(raw, charset="no-such-charset").text  # unknown label: detection decides


def test_it_detects_the_charset_when_nothing_declares_it() -> None:
    text = "Les bénévoles ont travaillé toute la nuit pour déplacer les familles vers le gymnase."
    html = article_page(paragraphs=[text] * 3, lang="fr").replace('<meta charset="utf-8">', "")

    assert text in extract(html.encode("cp1252")).text


@pytest.mark.parametrize(
    "raw",
    [
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        bytes(range(256)) * 20,
        b'{"title": "not a page", "items": [1, 2, 3]}',
    ],
)
def test_binary_or_non_html_bytes_are_not_an_article(raw: bytes) -> None:
    with pytest.raises(NotAnArticleError) as raised:
        extract(raw)
    assert raised.value.reason  # human-readable, shown on the source's health page
    assert isinstance(raised.value, PermanentError)  # quarantined, never retried


@pytest.mark.parametrize("raw", [b"", b"   \n\t ", "", b"<html><head></head><body></body></html>"])
def test_an_empty_page_is_not_an_article(raw: bytes | str) -> None:
    with pytest.raises(NotAnArticleError):
        extract(raw)


def test_a_navigation_page_without_article_text_is_not_an_article() -> None:
    html = "<html><body><nav><a href='/a'>Home</a> <a href='/b'>News</a></nav></body></html>"
    with pytest.raises(NotAnArticleError, match="no article text"):
        extract(html)


def test_a_50_mb_page_is_capped_and_still_extracted() -> None:
    junk = "<div class='ad'><span>sponsored</span></div>\n" * (50_000_000 // 45)
    raw = article_page().replace("</footer>", "</footer>" + junk).encode("utf-8")
    assert len(raw) > 50_000_000

    start = time.perf_counter()
    page = extract(raw, url="https://example.org/flood")
    elapsed = time.perf_counter() - start

    assert PARAGRAPHS[0] in page.text
    assert elapsed < 30, f"took {elapsed:.1f}s"


def test_the_parse_cap_is_a_keyword_option() -> None:
    html = article_page()
    cut_before_the_article = html.index("<article>")

    with pytest.raises(NotAnArticleError):
        extract(html.encode(), max_bytes=cut_before_the_article)
    assert extract(html.encode(), max_bytes=DEFAULT_MAX_BYTES).text


def test_it_is_deterministic() -> None:
    html = article_page()
    assert extract(html, url="https://example.org/x") == extract(html, url="https://example.org/x")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("By Ana Silva and Tom Berg", ("Ana Silva", "Tom Berg")),
        ("Ana Silva, Tom Berg", ("Ana Silva", "Tom Berg")),
        ("Ana Silva; Tom Berg; Ana Silva", ("Ana Silva", "Tom Berg")),
        ("by Nathan Willis March", ("Nathan Willis",)),
        ("Theresa May", ("Theresa May",)),
        ("Username", ()),
        ("", ()),
    ],
)
def test_it_splits_bylines_into_authors(raw: str, expected: tuple[str, ...]) -> None:
    assert split_authors(raw) == expected


@pytest.mark.corpus
def test_aeb_f1_is_not_below_bare_trafilatura(corpus: Path) -> None:
    directory = corpus / "extraction" / "aeb"
    truth = json.loads((directory / "ground-truth.json").read_text(encoding="utf-8"))
    logging.disable(logging.WARNING)  # trafilatura logs every page it discards
    ours, bare = [], []
    try:
        for page_id in sorted(truth):
            html = gzip.decompress((directory / "html" / f"{page_id}.html.gz").read_bytes())
            body, url = truth[page_id]["articleBody"], truth[page_id]["url"]
            try:
                ours.append((body, extract(html, url=url).text))
            except NotAnArticleError:
                ours.append((body, ""))
            bare.append((body, trafilatura.extract(html) or ""))
    finally:
        logging.disable(logging.NOTSET)

    ours_f1, bare_f1 = score(ours).f1, score(bare).f1
    assert ours_f1 >= bare_f1, f"ours {ours_f1:.4f} < bare trafilatura {bare_f1:.4f}"


def test_it_keeps_the_time_of_day_the_page_states_in_its_metadata() -> None:
    page = article_page().replace("2024-03-05T14:30:00+01:00", "2026-11-25T07:04:15.09+00:00")

    published = extract(page, url="https://news.example.org/flood").published

    assert published == datetime(2026, 11, 25, 7, 4, 15, 90000, tzinfo=UTC)
