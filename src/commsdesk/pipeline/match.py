"""Percolation: which of many saved searches match one article, fast enough for every article.

An Aho-Corasick automaton over each search's anchor literals picks the few searches worth
checking (those whose whole set of anchors is in the article, plus searches that cannot
anchor); only those run their compiled matcher. No storage here.
"""

from __future__ import annotations

from collections import Counter
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

    Picklable (the automaton pickles; compiled searches are rebuilt from their queries).
    Building takes 2-4 s per 100k searches; a search is compiled when first a candidate.
    """

    def __init__(self, searches: Mapping[K, Query]) -> None:
        self._keys: list[K] = list(searches)
        self._queries: list[Query] = [searches[k] for k in self._keys]
        # Compiled on first use: a compiled search takes ~3 KB and most saved searches (rare
        # names) are candidates for few articles, if any.
        self._matchers: list[Matcher | None] = [None] * len(self._keys)
        self._automaton = ahocorasick.Automaton()
        # The automaton stores one small int (a slot) per literal. A search whose anchor set
        # is one literal is listed under that slot (`_searches`); a larger set gets a number,
        # listed under each of its literals' slots (`_sets`), and is complete when all are seen.
        searches_at: list[list[int]] = []
        sets_at: list[list[int]] = []
        set_sizes: list[int] = []
        set_search: list[int] = []
        always: list[int] = []
        for index, key in enumerate(self._keys):
            anchor_sets = required_terms(searches[key])
            if not anchor_sets:
                always.append(index)
            for anchors in anchor_sets:
                slots = {self._slot(anchor_key(a), searches_at, sets_at) for a in anchors}
                if len(slots) == 1:
                    searches_at[slots.pop()].append(index)
                    continue
                for slot in slots:
                    sets_at[slot].append(len(set_sizes))
                set_sizes.append(len(slots))
                set_search.append(index)
        self._searches = tuple(tuple(found) for found in searches_at)
        self._sets = tuple(tuple(found) for found in sets_at)
        self._set_sizes = tuple(set_sizes)
        self._set_search = tuple(set_search)
        self._always: tuple[int, ...] = tuple(always)
        if searches_at:
            self._automaton.make_automaton()

    def _slot(self, literal: str, searches_at: list[list[int]], sets_at: list[list[int]]) -> int:
        slot: int | None = self._automaton.get(literal, None)
        if slot is None:
            slot = len(searches_at)
            searches_at.append([])
            sets_at.append([])
            self._automaton.add_word(literal, slot)
        return slot

    def __len__(self) -> int:
        return len(self._keys)

    def candidates(self, document: Document | PreparedDocument) -> list[int]:
        """Indexes of the searches that could match: complete anchor sets plus the always-list."""
        prepared = prepare(document)
        found: set[int] = set(self._always)
        if not self._searches:
            return sorted(found)
        slots = {slot for _, slot in self._automaton.iter(prefilter_text(prepared))}
        seen: list[int] = []
        for slot in slots:
            found.update(self._searches[slot])
            seen.extend(self._sets[slot])
        if seen:
            sizes, owners = self._set_sizes, self._set_search
            found.update(owners[s] for s, n in Counter(seen).items() if n == sizes[s])
        return sorted(found)

    def match(self, document: Document | PreparedDocument) -> list[tuple[K, Match]]:
        prepared = prepare(document)
        matchers, keys = self._matchers, self._keys
        results: list[tuple[K, Match]] = []
        for index in self.candidates(prepared):
            matcher = matchers[index]
            if matcher is None:
                matcher = matchers[index] = compile(self._queries[index])
            found = matcher.match(prepared)
            if found is not None:
                results.append((keys[index], found))
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
