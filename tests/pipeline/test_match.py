"""The percolator finds exactly what checking every saved search would, and says why."""

from __future__ import annotations

import itertools
import pickle
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from commsdesk.pipeline.match import Percolator, naive_match
from commsdesk.pipeline.query import (
    And,
    Hit,
    Meta,
    Node,
    Not,
    Or,
    QueryError,
    Text,
    compile,
    parse,
    tokenize,
)
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
    assert len(copy.match(doc)) == 2
    # Once its searches are compiled (closures), it still pickles: they are rebuilt.
    again = pickle.loads(pickle.dumps(percolator))
    assert again.match(doc) == percolator.match(doc)


def test_an_empty_percolator_matches_nothing() -> None:
    assert Percolator({}).match(Document(text="anything")) == []


# ---------------------------------------------------------------- the compiled matcher vs the AST

# The compiled matcher answers with sets, spaced text and cached positions; this reads the AST
# the plain way, over each field's token list, as the definition it must agree with.


def _fits(node: Text, i: int, token: str) -> bool:
    last = i == len(node.tokens) - 1
    return token.startswith(node.tokens[i]) if node.prefix and last else token == node.tokens[i]


def _in_tokens(node: Text, tokens: list[str]) -> bool:
    n = len(node.tokens)
    if node.near is None:
        return any(
            all(_fits(node, j, tokens[i + j]) for j in range(n)) for i in range(len(tokens) - n + 1)
        )
    places = [[p for p, t in enumerate(tokens) if _fits(node, i, t)] for i in range(n)]
    return any(max(c) - min(c) - 1 <= node.near for c in itertools.product(*places))


def _values(doc: Document, field: str) -> tuple[str, ...]:
    found = {"outlet": (doc.outlet,), "lang": (doc.language,), "country": (doc.country,)}
    return found.get(field, doc.authors)


def _holds(node: Node, doc: Document) -> bool:
    if isinstance(node, Text):
        return any(_in_tokens(node, tokenize(getattr(doc, f))) for f in node.fields)
    if isinstance(node, Meta):
        return any(node.accepts(v) for v in _values(doc, node.field) if v)
    if isinstance(node, And):
        return all(_holds(c, doc) for c in node.items)
    if isinstance(node, Or):
        return any(_holds(c, doc) for c in node.items)
    assert isinstance(node, Not)
    return not _holds(node.item, doc)


def _reference_hits(node: Node, doc: Document) -> list[Hit]:
    if isinstance(node, Text):
        return [
            Hit(node.label, f) for f in node.fields if _in_tokens(node, tokenize(getattr(doc, f)))
        ]
    if isinstance(node, Meta):
        label = f"{node.field}:{node.raw}" + ("*" if node.prefix else "")
        return [Hit(label, node.field)] if _holds(node, doc) else []
    if isinstance(node, And | Or):
        return [hit for child in node.items for hit in _reference_hits(child, doc)]
    return []


@settings(max_examples=300, deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_the_compiled_matcher_agrees_with_the_ast_read_plainly(seed: int) -> None:
    rng = random.Random(seed)
    query = next(iter(_searches(rng, 1).values()))
    matcher = compile(query)  # type: ignore[arg-type]
    for _ in range(10):
        doc = _document(rng)
        found = matcher.match(doc)
        assert (found is not None) == _holds(query.root, doc)  # type: ignore[attr-defined]
        if found is not None:
            assert list(found.hits) == _reference_hits(query.root, doc)  # type: ignore[attr-defined]


@settings(max_examples=50, deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_the_percolator_agrees_with_the_naive_loop_on_any_searches(seed: int) -> None:
    rng = random.Random(seed)
    searches = _searches(rng, 40)
    percolator = Percolator(searches)  # type: ignore[arg-type]
    matchers = {key: compile(query) for key, query in searches.items()}  # type: ignore[arg-type]
    for _ in range(10):
        doc = _document(rng)
        assert percolator.match(doc) == naive_match(matchers, doc)
