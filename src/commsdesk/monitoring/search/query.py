"""The archive search box's syntax: words (all must appear), "exact phrases", OR, -exclusions.

Parsing only; each backend turns a `SearchQuery` into its own MATCH / tsquery text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True, slots=True)
class Clause:
    """Alternatives (OR-ed); each alternative is a tuple of words that must appear in order."""

    alternatives: tuple[tuple[str, ...], ...]
    negated: bool = False


@dataclass(frozen=True, slots=True)
class SearchQuery:
    clauses: tuple[Clause, ...]  # AND-ed

    @property
    def is_empty(self) -> bool:
        return not any(not c.negated for c in self.clauses)


def _words(text: str) -> tuple[str, ...]:
    return tuple(w.lower() for w in _WORD.findall(text))


def parse(text: str) -> SearchQuery:
    clauses: list[Clause] = []
    pending_or = False
    for match in _TOKEN.finditer(text or ""):
        neg_phrase, phrase, bare = match.groups()
        if bare is not None and bare == "OR":
            pending_or = bool(clauses)
            continue
        negated = bool(neg_phrase) or (bare is not None and bare.startswith("-") and len(bare) > 1)
        words = _words(phrase if phrase is not None else bare.lstrip("-"))
        if not words:
            continue
        if pending_or and not negated and not clauses[-1].negated:
            last = clauses.pop()
            clauses.append(Clause(last.alternatives + (words,)))
        else:
            clauses.append(Clause((words,), negated))
        pending_or = False
    return SearchQuery(tuple(clauses))
