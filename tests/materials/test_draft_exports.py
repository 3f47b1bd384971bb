"""Exports of a draft: Markdown, a standalone sanitised HTML page, Word-compatible HTML (.doc)
and plain text for email, named after the title."""

from __future__ import annotations

import pytest
from django.urls import reverse
from lxml import etree
from lxml import html as lxml_html

from commsdesk.materials.models import Draft

pytestmark = pytest.mark.django_db

UNSAFE = (
    "Read [the report](https://wikimediafoundation.org/report) now.\n\n"
    '<script>alert("x")</script><img src="x.png" onerror="alert(1)">\n\n'
    "[click](javascript:alert(1))\n\n"
    "- first point\n- second point\n\n" + "A long sentence that goes on and on. " * 6
)


@pytest.fixture
def release(team):
    return Draft.objects.create(
        team=team,
        kind=Draft.Kind.PRESS_RELEASE,
        title="Wikipedia at 25: ../../etc/passwd",
        dateline="SAN FRANCISCO, 15 January 2026",
        lead="Wikipedia turns 25.",
        body=UNSAFE,
        media_contact="Press office\npress@wikimedia.org",
    )


def get(client, release, fmt):
    return client.get(reverse("materials:draft_export", args=[release.pk, fmt]))


def test_markdown_is_the_assembled_release_named_after_the_title(member_client, release):
    response = get(member_client, release, "md")

    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="wikipedia-at-25-etcpasswd.md"'
    )
    text = response.content.decode()
    assert text.startswith("# Wikipedia at 25") and "**SAN FRANCISCO, 15 January 2026**" in text


def test_the_html_page_is_standalone_and_has_nothing_that_runs(member_client, release):
    page = get(member_client, release, "html").content.decode()

    assert page.startswith("<!doctype html>") and "<title>Wikipedia at 25" in page
    assert "<script" not in page and "onerror" not in page and 'href="javascript:' not in page
    assert '<a href="https://wikimediafoundation.org/report"' in page


def test_the_doc_is_html_word_opens_as_a_document(member_client, release):
    response = get(member_client, release, "doc")

    assert response["Content-Type"] == "application/msword"
    assert response["Content-Disposition"].endswith('.doc"')
    root = lxml_html.document_fromstring(response.content)
    namespaces = response.content.decode()
    assert 'xmlns:w="urn:schemas-microsoft-com:office:word"' in namespaces
    assert 'xmlns:o="urn:schemas-microsoft-com:office:office"' in namespaces
    assert root.xpath("//meta[@name='ProgId']/@content") == ["Word.Document"]
    assert "<w:WordDocument>" in namespaces  # print layout when Word opens it
    section = root.xpath("//body/div[@class='WordSection1']")[0]
    assert section.xpath("h1")[0].text_content().startswith("Wikipedia at 25")
    assert [li.text_content() for li in section.xpath(".//li")] == ["first point", "second point"]
    assert not root.xpath("//script") and "onerror" not in etree.tostring(root).decode()


def test_plain_text_has_no_tags_keeps_links_and_wraps_for_email(member_client, release):
    response = get(member_client, release, "txt")

    text = response.content.decode()
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "<" not in text and ">" not in text
    assert "Read the report (https://wikimediafoundation.org/report) now." in text
    assert "- first point\n- second point" in text
    assert "Press office\npress@wikimedia.org" in text
    assert text.rstrip().endswith("###")
    assert max(len(line) for line in text.splitlines()) <= 72


def test_an_unknown_format_is_not_found(member_client, release):
    assert get(member_client, release, "pdf").status_code == 404
