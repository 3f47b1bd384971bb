"""Percolation: which of many saved searches match one article, fast enough for every article.

An Aho-Corasick automaton over each search's anchor literals picks the few searches worth
checking; those (plus searches that cannot anchor) run their compiled matcher. No storage here.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import Generic, TypeVar

import ahocorasick

from commsdesk.pipeline.query import (
    Match,
    Matcher,
    PreparedDocument,
    Query,
    anchor_key,
    compile,
    prefilter_text,
    prepare,
    required_terms,
)
from commsdesk.pipeline.records import Article, Document

K = TypeVar("K", bound=Hashable)


class Percolator(Generic[K]):
    """Built once from {key: Query}; `match` returns [(key, Match)] in the mapping's order.

    Picklable (the automaton pickles); rebuilding from queries is also cheap (~1 s per 100k).
    """

    def __init__(self, searches: Mapping[K, Query]) -> None:
        self._keys: list[K] = list(searches)
        self._matchers: list[Matcher] = [compile(searches[k]) for k in self._keys]
        self._automaton = ahocorasick.Automaton()
        # The automaton stores one small int per literal; the search indexes live in one list.
        postings: list[list[int]] = []
        always: list[int] = []
        for index, key in enumerate(self._keys):
            anchors = required_terms(searches[key])
            if not anchors:
                always.append(index)
            for literal in {anchor_key(a) for a in anchors}:
                slot = self._automaton.get(literal, None)
                if slot is None:
                    slot = len(postings)
                    postings.append([])
                    self._automaton.add_word(literal, slot)
                postings[slot].append(index)
        self._postings: tuple[tuple[int, ...], ...] = tuple(tuple(p) for p in postings)
        self._always: tuple[int, ...] = tuple(always)
        if postings:
            self._automaton.make_automaton()

    def __len__(self) -> int:
        return len(self._keys)

    def candidates(self, document: Document | PreparedDocument) -> list[int]:
        """Indexes of the searches that could match: anchored hits plus the always-check list."""
        prepared = prepare(document)
        found: set[int] = set(self._always)
        if self._postings:
            postings = self._postings
            slots = {slot for _, slot in self._automaton.iter(prefilter_text(prepared))}
            for slot in slots:
                found.update(postings[slot])
        return sorted(found)

    def match(self, document: Document | PreparedDocument) -> list[tuple[K, Match]]:
        prepared = prepare(document)
        results: list[tuple[K, Match]] = []
        for index in self.candidates(prepared):
            found = self._matchers[index].match(prepared)
            if found is not None:
                results.append((self._keys[index], found))
        return results


def naive_match(
    matchers: Mapping[K, Matcher], document: Document | PreparedDocument
) -> list[tuple[K, Match]]:
    """Every matcher against the document: the reference the percolator must agree with."""
    prepared = prepare(document)
    results: list[tuple[K, Match]] = []
    for key, matcher in matchers.items():
        found = matcher.match(prepared)
        if found is not None:
            results.append((key, found))
    return results


def document_for(article: Article, *, outlet: str = "", country: str = "") -> Document:
    """The matching view of a pipeline Article; outlet and country come from its Source."""
    return Document(
        title=article.title,
        text=article.text,
        outlet=outlet or article.site_name,
        language=article.language.code if article.language.code != "und" else "",
        country=country,
        authors=article.authors,
    )
