"""The pageviews API's addresses and answers, and the lag correlation of coverage and attention."""

from __future__ import annotations

import json
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from commsdesk.pipeline import pageviews
from commsdesk.pipeline.pageviews import PageviewsError, WikiPage

BASE = "https://wikimedia.org/api/rest_v1/metrics/pageviews"


@pytest.mark.parametrize(
    ("given_text", "project", "title"),
    [
        ("https://en.wikipedia.org/wiki/Albert_Einstein", "en.wikipedia", "Albert Einstein"),
        ("https://es.m.wikipedia.org/wiki/C%C3%B3rdoba_(Argentina)", "es.wikipedia",
         "Córdoba (Argentina)"),
        ("https://commons.wikimedia.org/wiki/Main_Page", "commons.wikimedia", "Main Page"),
        ("en.wikipedia:wikipedia", "en.wikipedia", "Wikipedia"),
    ],
)  # fmt: skip
def test_it_reads_a_page_from_its_address(given_text, project, title):
    assert pageviews.page_from_url(given_text) == WikiPage(project, title)


@pytest.mark.parametrize(
    "bad",
    ["", "Albert Einstein", "https://example.com/wiki/X", "https://en.wikipedia.org/w/index.php"],
)
def test_it_refuses_what_is_not_a_wikimedia_page(bad):
    with pytest.raises(PageviewsError):
        pageviews.page_from_url(bad)


def test_the_article_is_escaped_in_the_per_article_address():
    url = pageviews.per_article_url(
        BASE, WikiPage("en.wikipedia", "Are You the One?"), date(2026, 11, 1), date(2026, 11, 24)
    )
    assert url == (
        f"{BASE}/per-article/en.wikipedia/all-access/user/Are_You_the_One%3F/daily/20261101/20261124"
    )


def test_it_parses_the_per_article_answer():
    body = json.dumps(
        {
            "items": [
                {"project": "en.wikipedia", "article": "Wikipedia", "granularity": "daily",
                 "timestamp": "2026112300", "access": "all-access", "agent": "user",
                 "views": 10412},
                {"project": "en.wikipedia", "article": "Wikipedia", "granularity": "daily",
                 "timestamp": "2026112400", "access": "all-access", "agent": "user",
                 "views": 9876},
            ]
        }
    ).encode()  # fmt: skip
    assert pageviews.parse_daily(body) == (
        pageviews.DailyViews(date(2026, 11, 23), 10412),
        pageviews.DailyViews(date(2026, 11, 24), 9876),
    )


def test_a_problem_answer_says_what_the_api_said():
    problem = {
        "type": "https://mediawiki.org/wiki/HyperSwitch/errors/not_found",
        "title": "Not found.",
        "detail": "The date(s) you used are valid, but we either do not have data for those "
        "date(s), or the project you asked for is not loaded yet.",
    }
    with pytest.raises(PageviewsError, match="do not have data"):
        pageviews.parse_daily(json.dumps(problem).encode())
    with pytest.raises(PageviewsError, match="not JSON"):
        pageviews.parse_daily(b"<html>gateway timeout</html>")


def test_it_parses_the_top_answer():
    body = json.dumps(
        {"items": [{"project": "en.wikipedia", "access": "all-access", "year": "2026",
                    "month": "11", "day": "24", "articles": [
                        {"article": "Main_Page", "views": 5000000, "rank": 1},
                        {"article": "Special:Search", "views": 900000, "rank": 2}]}]}
    ).encode()  # fmt: skip
    assert pageviews.parse_top(body)[0] == pageviews.TopArticle(1, "Main Page", 5000000)


def test_attention_two_days_behind_coverage_is_found_at_lag_two():
    coverage = [0, 1, 5, 2, 0, 0, 8, 3, 1, 0, 0, 4, 9, 2, 0, 1, 0, 6, 2, 0]
    attention = [100, 100] + [100 + 50 * c for c in coverage[:-2]]
    best = pageviews.strongest(pageviews.lag_correlations(coverage, attention))
    assert best is not None and best.lag == 2 and best.r > 0.99


def test_flat_attention_correlates_with_nothing():
    coverage = [0, 1, 5, 2, 0, 0, 8, 3, 1, 0]
    assert pageviews.lag_correlations(coverage, [7] * 10) == ()
    assert pageviews.strongest(()) is None


@given(st.lists(st.tuples(st.integers(0, 50), st.integers(0, 10_000)), min_size=0, max_size=40))
def test_every_correlation_is_between_minus_one_and_one(pairs):
    coverage, attention = [c for c, _ in pairs], [a for _, a in pairs]
    for found in pageviews.lag_correlations(coverage, attention):
        assert -1.000001 <= found.r <= 1.000001
        assert found.n >= 7
