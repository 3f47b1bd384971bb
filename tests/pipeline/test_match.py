"""The percolator finds exactly what checking every saved search would, and says why."""

from __future__ import annotations

import pickle
import random

import pytest

from commsdesk.pipeline.match import Percolator, naive_match
from commsdesk.pipeline.query import QueryError, compile, parse
from commsdesk.pipeline.records import Document

VOCABULARY = (
    "wikipedia wikimedia wiki editors editor volunteers grant foundation open data knowledge "
    "café société éditeurs Википедия редакторы ויקיפדיה ويكيبيديا 维基百科 百科 ウィキペディア "
    "spam climate water health kenya nairobi lagos education"
).split()
LANGUAGES = ["en", "es", "fr", "pt-BR", "ru", "he", "ar", "zh", ""]


def _term(rng: random.Random) -> str:
    word = rng.choice(VOCABULARY)
    roll = rng.random()
    if roll < 0.15 and len(word) > 3:
        return word[: rng.randint(2, len(word) - 1)] + "*"
    if roll < 0.3:
        return f'"{word} {rng.choice(VOCABULARY)}"'
    if roll < 0.4:
        return f'"{word} {rng.choice(VOCABULARY)}"~{rng.randint(0, 4)}'
    if roll < 0.5:
        return f"title:{word}"
    return word


def _query(rng: random.Random, depth: int = 0) -> str:
    roll = rng.random()
    if depth > 1 or roll < 0.35:
        return _term(rng)
    if roll < 0.55:
        return f"({_query(rng, depth + 1)} OR {_query(rng, depth + 1)})"
    if roll < 0.7:
        return f"{_query(rng, depth + 1)} -{_term(rng)}"
    if roll < 0.8:
        return f"{_query(rng, depth + 1)} lang:{rng.choice(LANGUAGES[:-1])}"
    if roll < 0.85:
        return f"lang:{rng.choice(LANGUAGES[:-1])}"
    if roll < 0.9:
        return f"{_term(rng)} OR outlet:{rng.choice(['bbc', 'le*', 'nation'])}"
    return f"{_query(rng, depth + 1)} AND {_query(rng, depth + 1)}"


def _document(rng: random.Random) -> Document:
    def words(n: int) -> str:
        return " ".join(rng.choice(VOCABULARY + ["the", "and", "of"]) for _ in range(n))

    return Document(
        title=words(rng.randint(0, 5)),
        text=words(rng.randint(0, 60)),
        outlet=rng.choice(["BBC", "Le Monde", "Daily Nation", ""]),
        language=rng.choice(LANGUAGES),
        authors=tuple(rng.sample(["Ana", "Jo Smith"], rng.randint(0, 2))),
    )


def _searches(rng: random.Random, n: int) -> dict[int, object]:
    searches = {}
    while len(searches) < n:
        try:
            searches[len(searches)] = parse(_query(rng))
        except QueryError:
            continue  # e.g. a generated search that only excludes
    return searches


@pytest.mark.parametrize("seed", range(5))
def test_the_percolator_returns_exactly_what_a_naive_loop_returns(seed: int) -> None:
    rng = random.Random(seed)
    searches = _searches(rng, 300)
    percolator = Percolator(searches)  # type: ignore[arg-type]
    matchers = {key: compile(query) for key, query in searches.items()}  # type: ignore[arg-type]
    matched = 0
    for _ in range(150):
        doc = _document(rng)
        expected = naive_match(matchers, doc)
        assert percolator.match(doc) == expected
        matched += len(expected)
    assert matched > 100  # the generator produces searches that do match


def test_it_checks_only_searches_whose_anchor_appears() -> None:
    percolator = Percolator(
        {
            "a": parse("wikipedia"),
            "b": parse("climate"),
            "c": parse("lang:es"),
            "d": parse("维基百科"),
        }
    )
    assert percolator.candidates(Document(text="Wikipédia news")) == [0]
    assert percolator.candidates(Document(text="Wikipédia news", language="es")) == [0, 2]
    assert percolator.candidates(Document(text="关于维基百科的新闻", language="es-MX")) == [2, 3]
    assert percolator.candidates(Document(text="关于维基百科的新闻", language="en")) == [3]


def test_searches_that_cannot_anchor_are_checked_against_every_article() -> None:
    percolator = Percolator({"a": parse("wikipedia"), "b": parse("-(wikipedia OR -spam)")})
    assert percolator.candidates(Document(text="nothing here")) == [1]
    assert [key for key, _ in percolator.match(Document(text="spam again"))] == ["b"]


def test_it_reports_hit_terms_for_each_matching_search() -> None:
    percolator = Percolator(
        {"brand": parse("wiki* OR wikimedia"), "es": parse("editors lang:es"), "no": parse("spam")}
    )
    found = dict(percolator.match(Document(title="Wikimedia", text="editors", language="es")))
    assert set(found) == {"brand", "es"}
    assert set(found["brand"].terms) == {"wiki*", "wikimedia"}
    assert set(found["es"].terms) == {"editors", "lang:es"}


def test_a_percolator_survives_pickling() -> None:
    percolator = Percolator({"a": parse("wiki*"), "b": parse("lang:fr")})
    copy = pickle.loads(pickle.dumps(percolator))
    doc = Document(text="Wikipédia", language="fr")
    assert copy.match(doc) == percolator.match(doc)


def test_an_empty_percolator_matches_nothing() -> None:
    assert Percolator({}).match(Document(text="anything")) == []
