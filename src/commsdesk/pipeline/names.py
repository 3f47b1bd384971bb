"""Multilingual name lists: a name in a query also finds its spellings in other languages.

Loads the shipped Wikidata labels/aliases (data/names.json), merges a team's own spellings, and
rewrites a parsed Query so a name becomes an OR of its spellings. Pure: no Django, no storage.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable
from dataclasses import dataclass, replace
from importlib import resources
from typing import Any

from commsdesk.pipeline.query import And, Node, Not, Or, Query, Text, tokenize

TEAM = "team"  # the key prefix of names only a team's own variants define
# Short all-capital aliases (WHO, UN, EU, UNO) are ordinary words once case is ignored (who,
# un, eu, uno), and matching ignores case: they are never added as spellings, and they
# start an expansion only when typed exactly as written.
MAX_ACRONYM = 5


@dataclass(frozen=True, slots=True)
class Spelling:
    language: str  # ISO 639-1
    text: str
    kind: str = "label"  # "label", "alias" (both from Wikidata) or "team" (a team's own)

    @property
    def acronym(self) -> bool:
        return self.kind == "alias" and _is_acronym(self.text)


@dataclass(frozen=True, slots=True)
class Entity:
    key: str  # a Wikidata QID, or "team:<name>" for a name only a team defines
    spellings: tuple[Spelling, ...]  # labels first, in language order

    @property
    def name(self) -> str:
        """What to call it in the interface: the English label, else the first one."""
        labels = [s for s in self.spellings if s.kind != "alias"]
        english = next((s.text for s in labels if s.language == "en"), None)
        return english or (labels or list(self.spellings))[0].text

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(sorted({s.language for s in self.spellings}))

    def in_languages(self, languages: Iterable[str]) -> tuple[Spelling, ...]:
        """Spellings in `languages`, in that order, labels before aliases; no acronyms."""
        order = {lang: i for i, lang in enumerate(dict.fromkeys(languages))}
        chosen = [s for s in self.spellings if s.language in order and not s.acronym]
        return tuple(sorted(chosen, key=lambda s: (order[s.language], s.kind == "alias")))

    def by_language(self) -> dict[str, tuple[Spelling, ...]]:
        found: dict[str, list[Spelling]] = {}
        for spelling in self.spellings:
            found.setdefault(spelling.language, []).append(spelling)
        return {lang: tuple(found[lang]) for lang in sorted(found)}


@dataclass(frozen=True, slots=True)
class Variant:
    """A team's own spelling: `name` as written in queries, `label` as written in `language`."""

    name: str
    language: str
    label: str


@dataclass(frozen=True, slots=True)
class Expansion:
    """One name of a query and the spellings it now also finds, for the search page."""

    term: str  # the term as typed
    entity: str  # the entity's display name
    key: str
    added: tuple[Spelling, ...]  # spellings added beside the term, duplicates removed

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(s.language for s in self.added))

    @property
    def summary(self) -> str:
        """E.g. 'Wikipedia → 6 spellings in ru, he, ja, zh, ar'."""
        count = len(self.added)
        noun = "spelling" if count == 1 else "spellings"
        return f"{self.term} → {count} {noun} in {', '.join(self.languages)}"


class NameList:
    """Entities and an index from each spelling's normalised words to the entities it names."""

    def __init__(self, entities: Iterable[Entity], *, metadata: dict[str, Any] | None = None):
        self.entities: tuple[Entity, ...] = tuple(entities)
        self.metadata: dict[str, Any] = dict(metadata or {})
        self._by_key = {e.key: e for e in self.entities}
        self._by_words: dict[tuple[str, ...], list[Entity]] = {}
        for entity in self.entities:
            for spelling in entity.spellings:
                words = words_of(spelling.text)
                found = self._by_words.setdefault(words, [])
                if entity not in found:
                    found.append(entity)

    def __len__(self) -> int:
        return len(self.entities)

    def get(self, key: str) -> Entity | None:
        return self._by_key.get(key)

    def named(self, text: str, *, exact: str | None = None) -> list[Entity]:
        """Entities with a spelling whose normalised words equal those of `text`.

        Acronym aliases count only when `exact` (the words as typed) is written the same way.
        """
        words = words_of(text)
        return [e for e in self._by_words.get(words, []) if _names(e, words, exact)]

    def search(self, text: str) -> list[Entity]:
        """Entities with a spelling containing `text` (normalised), for browsing; all if empty."""
        needle = " ".join(tokenize(text))
        if not needle:
            return list(self.entities)
        return [e for e in self.entities if any(needle in _folded(s.text) for s in e.spellings)]

    def with_variants(self, variants: Iterable[Variant]) -> NameList:
        """This list plus a team's own spellings: joined to the entity their name already
        names, else forming a new entity of their own."""
        added: dict[str, list[Spelling]] = {}
        own_names: dict[str, str] = {}
        for variant in variants:
            if not tokenize(variant.name) or not tokenize(variant.label):
                continue  # nothing a query could match; the form refuses these anyway
            spelling = Spelling(variant.language, variant.label, "team")
            matches = self.named(variant.name, exact=variant.name)
            if matches:
                for entity in matches:
                    added.setdefault(entity.key, []).append(spelling)
                continue
            key = f"{TEAM}:{' '.join(tokenize(variant.name))}"
            own_names.setdefault(key, variant.name)
            added.setdefault(key, []).append(spelling)
        entities = [
            replace(e, spellings=e.spellings + tuple(added.pop(e.key, ()))) for e in self.entities
        ]
        for key, spellings in added.items():
            # The name itself, as typed, is how the team writes it in queries: "und" language.
            own = Spelling("und", own_names[key], "team")
            entities.append(Entity(key, (own, *spellings)))
        return NameList(entities, metadata=self.metadata)


def _names(entity: Entity, words: tuple[str, ...], exact: str | None) -> bool:
    for spelling in entity.spellings:
        if words_of(spelling.text) != words:
            continue
        if not spelling.acronym or (exact is not None and exact.strip() == spelling.text):
            return True
    return False


def _is_acronym(text: str) -> bool:
    letters = text.replace(".", "")
    return 2 <= len(letters) <= MAX_ACRONYM and letters.isalpha() and letters.isupper()


def _folded(text: str) -> str:
    return " ".join(words_of(text))


@functools.lru_cache(maxsize=1 << 16)
def words_of(text: str) -> tuple[str, ...]:
    """A spelling's normalised words, as a query leaf holds them; cached, since the same few
    thousand spellings are compared for every leaf of every saved search."""
    return tuple(tokenize(text))


# ---------------------------------------------------------------- the shipped list


@functools.cache
def shipped() -> NameList:
    """The starter list shipped in the package (built by scripts/build_names.py), loaded once."""
    raw = resources.files("commsdesk.pipeline").joinpath("data/names.json").read_text("utf-8")
    return from_json(json.loads(raw))


def from_json(content: dict[str, Any]) -> NameList:
    entities = []
    for item in content["entities"]:
        labels: list[Spelling] = []
        aliases: list[Spelling] = []
        for language, names in sorted(item["names"].items()):
            labels.append(Spelling(language, names["label"], "label"))
            aliases.extend(Spelling(language, a, "alias") for a in names.get("aliases", ()))
        entities.append(Entity(item["qid"], tuple(labels + aliases)))
    return NameList(entities, metadata=content.get("metadata", {}))


# ---------------------------------------------------------------- expanding a query


def expand(query: Query, names: NameList, languages: Iterable[str]) -> Query:
    """The query with every name replaced by an OR of itself and its spellings in `languages`.

    Only plain words and phrases expand: prefixes (wiki*) and proximity ("a b"~5) stay as typed.
    The result is an ordinary Query (same text), so matching, the prefilter, explain() and the
    backends need nothing new. No languages: the query comes back unchanged.
    """
    return _expand(query, names, tuple(languages))[0]


def expansions(query: Query, names: NameList, languages: Iterable[str]) -> tuple[Expansion, ...]:
    """What expand() added, one entry per expanded term, for the search page."""
    return _expand(query, names, tuple(languages))[1]


def expand_with_report(
    query: Query, names: NameList, languages: Iterable[str]
) -> tuple[Query, tuple[Expansion, ...]]:
    """expand() and expansions() in one pass."""
    return _expand(query, names, tuple(languages))


def _expand(
    query: Query, names: NameList, languages: tuple[str, ...]
) -> tuple[Query, tuple[Expansion, ...]]:
    if not languages:
        return query, ()
    report: dict[str, Expansion] = {}
    root = _rewrite(query.root, names, languages, report)
    return Query(query.text, root), tuple(report.values())


def _rewrite(
    node: Node, names: NameList, languages: tuple[str, ...], report: dict[str, Expansion]
) -> Node:
    if isinstance(node, Text):
        return _expand_leaf(node, names, languages, report)
    if isinstance(node, Not):
        return Not(_rewrite(node.item, names, languages, report), node.position)
    if isinstance(node, And):
        return And(tuple(_rewrite(c, names, languages, report) for c in node.items))
    if isinstance(node, Or):
        items: list[Node] = []
        for child in node.items:
            new = _rewrite(child, names, languages, report)
            items.extend(new.items if isinstance(new, Or) else (new,))  # keep ORs flat
        return Or(tuple(items))
    return node  # Meta: outlet:, lang:... are not names to translate


def _expand_leaf(
    leaf: Text, names: NameList, languages: tuple[str, ...], report: dict[str, Expansion]
) -> Node:
    if leaf.prefix or leaf.near is not None:
        return leaf
    seen = {leaf.tokens}
    alternatives: list[Node] = [leaf]
    for entity in names.named(leaf.raw, exact=leaf.raw):
        added: list[Spelling] = []
        for spelling in entity.in_languages(languages):
            tokens = words_of(spelling.text)
            if not tokens or tokens in seen:
                continue
            seen.add(tokens)
            added.append(spelling)
            alternatives.append(
                Text(spelling.text, tokens, leaf.fields, quoted=True, position=leaf.position)
            )
        if added and leaf.label not in report:
            report[leaf.label] = Expansion(leaf.label, entity.name, entity.key, tuple(added))
        elif added:
            previous = report[leaf.label]
            report[leaf.label] = replace(previous, added=previous.added + tuple(added))
    return leaf if len(alternatives) == 1 else Or(tuple(alternatives))
