"""The saved-search query language: parse, validate, explain, match, and compile to FTS5 / tsquery.

Lucene-style text (parsed with luqum) becomes a small frozen AST; everything else reads that AST.
Pure string work: no Django, no database access (backends get query text and structured filters).
"""

from __future__ import annotations

import bisect
import contextlib
import dataclasses
import functools
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import regex
from luqum import tree as lt
from luqum.exceptions import IllegalCharacterError, ParseError
from luqum.thread import parse as _luqum_parse

from commsdesk.pipeline.records import Document

TEXT_FIELDS = ("title", "text")
META_FIELDS = ("outlet", "lang", "country", "author")
FIELDS = TEXT_FIELDS + META_FIELDS
MAX_PROXIMITY = 100  # words; larger distances are almost "anywhere" and blow up tsquery
MIN_PREFIX = 2  # characters before a trailing *, so "a*" cannot match nearly every article

# Scripts written without spaces between words: each character is a token, so a term written in
# them matches as a substring (a phrase of adjacent characters). U+30FC/U+3005 are "Common" script
# but live inside Japanese words.
_CHAR_SCRIPTS = (
    r"\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}\u30fc\u3005"
)
_WORD_CHARS = rf"[[\p{{L}}\p{{N}}\p{{M}}]--[{_CHAR_SCRIPTS}]]"
_TOKEN = regex.compile(rf"[{_CHAR_SCRIPTS}]|{_WORD_CHARS}+", regex.V1)
_CHAR_TOKEN = regex.compile(rf"[{_CHAR_SCRIPTS}]", regex.V1)
# Combining marks are dropped after NFKD (é → e, Arabic harakat, Hebrew niqqud), except the kana
# voicing marks: が and か are different syllables, not an accent.
_MARKS = regex.compile(r"[\p{Mn}--[\u3099\u309a]]+", regex.V1)
_LUQUM_POSITION = re.compile(r"at position (\d+)")


class QueryError(ValueError):
    """A query a person typed that cannot be used; `message` is meant for them."""

    def __init__(self, message: str, *, text: str, position: int) -> None:
        self.message = message
        self.text = text
        self.position = max(0, min(position, len(text)))
        super().__init__(f"{message} (at character {self.position + 1})")

    @property
    def pointer(self) -> str:
        """The query on one line and a caret under the offending character, for a monospace box."""
        line = self.text.replace("\n", " ")
        return f"{line}\n{' ' * self.position}^"


# ---------------------------------------------------------------- normalisation (one definition)


def normalize(text: str) -> str:
    """Case- and accent-folded text: NFKD, combining marks dropped, NFC, casefold."""
    if text.isascii() or _kinds(text) == {_INERT}:
        return text.lower()  # casefold() == lower() for ASCII; see _INERT for the rest
    return _normalized(text)


def _normalized(text: str) -> str:
    stripped = _MARKS.sub("", unicodedata.normalize("NFKD", text))
    return unicodedata.normalize("NFC", stripped).casefold()


def tokenize(text: str) -> list[str]:
    """Normalised word tokens; characters of space-less scripts (CJK, Thai...) one by one."""
    return _tokens(text)[0]


def _tokens(text: str) -> tuple[list[str], bool]:
    r"""Normalised tokens, and whether they may include space-less-script characters.

    _TOKEN.findall is slow (character-class set operations on every character) and it is run
    on every article, so the text's distinct non-ASCII characters pick a faster way that gives
    the same tokens. All three take maximal runs of word characters: with only ASCII word
    characters those are [A-Za-z0-9] runs (str.split once the rest are spaces); when the
    stdlib's `[^\W_]` (str.isalnum) agrees with _TOKEN on each non-ASCII character, outside
    space-less scripts, the stdlib finds them; text with marks, CJK or Thai goes to _TOKEN.
    """
    if text.isascii():
        return _ascii_words(text.lower()), False
    kinds = _kinds(text)
    if kinds == {_INERT}:  # English with curly quotes and dashes: normalize() is lower()
        return _ascii_words(text.lower()), False
    folded = _normalized(text)
    kinds = _kinds(folded) if not folded.isascii() else {_INERT}
    if kinds <= {_SEPARATOR, _INERT}:
        return _ascii_words(folded), False
    if _OTHER not in kinds:  # accents are already gone: Cyrillic, Greek, Arabic, Hebrew...
        return _PLAIN_WORDS.findall(folded), False
    return _TOKEN.findall(folded), True


def _ascii_words(text: str) -> list[str]:
    """Runs of ASCII letters and digits; every other character separates them."""
    if not text.isascii():
        text = text.encode("ascii", "replace").decode("ascii")  # "?" separates too
    return text.translate(_ASCII_SEPARATORS).split()


def _kinds(text: str) -> set[str]:
    """The _character_kind()s of the text's non-ASCII characters."""
    # UTF-8 keeps ASCII characters as single bytes below 0x80: deleting those leaves the rest.
    others = text.encode("utf-8", "surrogatepass").translate(None, _ASCII_BYTES)
    return {_character_kind(c) for c in set(others.decode("utf-8", "surrogatepass"))}


_ASCII_SEPARATORS = str.maketrans({c: " " for c in map(chr, range(128)) if not c.isalnum()})
_ASCII_BYTES = bytes(range(128))
_PLAIN_WORDS = re.compile(r"[^\W_]+")  # runs of str.isalnum() characters
_SEPARATOR, _INERT, _PLAIN, _OTHER = "separator", "inert", "plain", "other"
_KINDS: dict[str, str] = {}  # character → _character_kind(); bounded by Unicode's size


def _character_kind(char: str) -> str:
    """_SEPARATOR: in no token, for _TOKEN nor the stdlib. _INERT: a separator normalize()
    leaves as it is alone (no decomposition, not combining, no case) and that never ends a
    canonical composition (no separator does: a test checks all of Unicode), so text of ASCII
    and _INERT characters normalises to text.lower(). _PLAIN: a word character for both, not of
    a space-less script. _OTHER: anything else."""
    kind = _KINDS.get(char)
    if kind is None:
        ours = _TOKEN.fullmatch(char) is not None
        stdlib = _PLAIN_WORDS.fullmatch(char) is not None
        if not ours and not stdlib:
            kind = _INERT if _unchanged(char) else _SEPARATOR
        elif ours and stdlib and _CHAR_TOKEN.match(char) is None:
            kind = _PLAIN
        else:
            kind = _OTHER
        _KINDS[char] = kind
    return kind


def _unchanged(char: str) -> bool:
    return (
        unicodedata.normalize("NFKD", char) == char
        and unicodedata.combining(char) == 0
        and char.lower() == char == char.casefold()
    )


def fold(text: str) -> str:
    """The text as search indexes store it: its tokens separated by single spaces.

    Both database backends index this, so archive search and the matcher see the same words
    (accents, capitals and CJK characters handled once, here).
    """
    return " ".join(tokenize(text))


def is_char_token(token: str) -> bool:
    return len(token) == 1 and _CHAR_TOKEN.match(token) is not None


# ---------------------------------------------------------------- the AST


@dataclass(frozen=True, slots=True)
class Text:
    """A word, phrase, prefix or proximity search over the title and/or text."""

    raw: str  # the words as typed, without quotes, field, * or ~N
    tokens: tuple[str, ...]  # normalised; several for phrases, hyphenated words and CJK terms
    fields: tuple[str, ...] = TEXT_FIELDS
    prefix: bool = False  # the last token is a prefix (trailing *)
    near: int | None = None  # None: tokens adjacent in order; N: any order, ≤N words between
    quoted: bool = False
    position: int = 0  # character offset in the query text

    @property
    def label(self) -> str:
        """The term as a person would type it again: shown in hit lists."""
        shown = f'"{self.raw}"' if self.quoted else self.raw + ("*" if self.prefix else "")
        return shown + (f"~{self.near}" if self.near is not None else "")


@dataclass(frozen=True, slots=True)
class Meta:
    """A condition on article metadata (outlet, lang, country, author): whole-value comparison."""

    field: str
    value: str  # normalised tokens joined by single spaces ("pt-BR" → "pt br")
    raw: str
    prefix: bool = False
    position: int = 0

    def accepts(self, value: str) -> bool:
        """Does one metadata value (as stored, any case/accents) satisfy this condition?"""
        return self.accepts_folded(fold(value))

    def accepts_folded(self, have: str) -> bool:
        """accepts() for a value already folded (prepared documents fold theirs once)."""
        if have == self.value or (self.prefix and have.startswith(self.value)):
            return True
        # lang:pt also means pt-BR and pt-PT: the primary subtag decides.
        return self.field == "lang" and have.startswith(self.value + " ")


@dataclass(frozen=True, slots=True)
class And:
    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Or:
    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Not:
    item: Node
    position: int = 0


Node = Text | Meta | And | Or | Not


@dataclass(frozen=True, slots=True)
class Query:
    text: str  # as typed
    root: Node


# ---------------------------------------------------------------- parsing


def parse(text: str) -> Query:
    """Parse and validate a saved-search query; raises QueryError with a position."""
    if not text or not text.strip():
        message = "The search is empty: type at least one word."
        raise QueryError(message, text=text or "", position=0)
    _check_balance(text)
    try:
        luqum_tree = _luqum_parse(text)
    except IllegalCharacterError as exc:
        raise QueryError(
            "This character cannot start a word here; put the word in quotes.",
            text=text,
            position=_luqum_position(exc, text),
        ) from None
    except ParseError as exc:
        raise _syntax_error(exc, text) from None
    query = Query(text, _simplify(_convert(luqum_tree, text, field=None)))
    _check_not_only_negative(query)
    return query


def _check_balance(text: str) -> None:
    """Quotes and parentheses, checked first because luqum reports them only as 'unexpected end'."""
    quote_at: int | None = None
    opened: list[int] = []
    escaped = False
    for i, char in enumerate(text):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == '"':
            quote_at = i if quote_at is None else None
        elif quote_at is None and char == "(":
            opened.append(i)
        elif quote_at is None and char == ")":
            if not opened:
                raise QueryError("This ')' closes nothing.", text=text, position=i)
            opened.pop()
    if quote_at is not None:
        raise QueryError("This quote is never closed.", text=text, position=quote_at)
    if opened:
        raise QueryError("This '(' is never closed.", text=text, position=opened[-1])


def _luqum_position(exc: Exception, text: str) -> int:
    found = _LUQUM_POSITION.search(str(exc))
    return int(found.group(1)) if found else len(text)


def _syntax_error(exc: Exception, text: str) -> QueryError:
    position = _luqum_position(exc, text)
    if position >= len(text):
        return QueryError(
            "The search ends too early: a word is missing after the last AND, OR, NOT or field:.",
            text=text,
            position=len(text.rstrip()) - 1,
        )
    word = text[position:].split(maxsplit=1)[0]
    if word in ("AND", "OR", "NOT"):
        message = f"{word} needs a word or a (group) on both sides."
        if word == "NOT":
            message = "NOT needs a word or a (group) after it."
    else:
        message = f"Unexpected '{word}' here."
    return QueryError(message, text=text, position=position)


def _convert(item: Any, text: str, *, field: str | None) -> Node:
    """luqum tree → our AST; `field` is the enclosing field prefix, if any."""
    if isinstance(item, lt.SearchField):
        return _convert_field(item, text, field)
    if isinstance(item, lt.Group | lt.FieldGroup):
        return _convert(item.expr, text, field=field)
    if isinstance(item, lt.OrOperation):
        return Or(tuple(_convert(c, text, field=field) for c in item.children))
    if isinstance(item, lt.AndOperation | lt.UnknownOperation):
        _reject_symbol_operators(item, text)
        return And(tuple(_convert(c, text, field=field) for c in item.children))
    if isinstance(item, lt.Plus):
        return _convert(item.a, text, field=field)  # + is already implied: the default is AND
    if isinstance(item, lt.Not | lt.Prohibit):
        return Not(_convert(item.a, text, field=field), position=item.pos or 0)
    if isinstance(item, lt.Proximity):
        return _leaf(item.term, text, field, near=_proximity(item, text))
    if isinstance(item, lt.Word | lt.Phrase):
        return _leaf(item, text, field, near=None)
    raise QueryError(_unsupported(item), text=text, position=item.pos or 0)


def _unsupported(item: Any) -> str:
    if isinstance(item, lt.Fuzzy):
        return 'Fuzzy search (word~) is not supported; for words near each other use "a b"~5.'
    if isinstance(item, lt.Boost):
        return "Boosting with ^ is not supported: every term counts the same."
    if isinstance(item, lt.Range | lt.From | lt.To):
        return "Ranges [a TO b] are not supported."
    if isinstance(item, lt.Regex):
        return "Regular expressions /.../ are not supported; put the text in quotes."
    return f"'{item}' is not supported here."


def _reject_symbol_operators(item: Any, text: str) -> None:
    for child in item.children:
        if isinstance(child, lt.Word) and child.value in ("&&", "||", "!"):
            word = {"&&": "AND", "||": "OR", "!": "NOT"}[child.value]
            message = f"Write {word} instead of '{child.value}'."
            raise QueryError(message, text=text, position=child.pos)


def _convert_field(item: Any, text: str, outer: str | None) -> Node:
    name = item.name.lower()
    if outer is not None:
        raise QueryError(
            f"A field ({name}:) cannot sit inside another field ({outer}:).",
            text=text,
            position=item.pos,
        )
    if name not in FIELDS:
        known = ", ".join(f"{f}:" for f in FIELDS)
        raise QueryError(
            f"Unknown field '{item.name}:'. Known fields: {known}. "
            "To search for a word with ':' in it, put it in quotes.",
            text=text,
            position=item.pos,
        )
    return _convert(item.expr, text, field=name)


def _proximity(item: Any, text: str) -> int:
    degree = item.degree
    if degree is None or float(degree) != int(degree) or not 0 <= int(degree) <= MAX_PROXIMITY:
        raise QueryError(
            f'After ~ give a whole number of words from 0 to {MAX_PROXIMITY}, e.g. "a b"~5.',
            text=text,
            position=item.pos + item.size - 1,
        )
    return int(degree)


def _leaf(item: Any, text: str, field: str | None, *, near: int | None) -> Node:
    is_phrase = isinstance(item, lt.Phrase)
    raw = item.value[1:-1] if is_phrase else item.value
    raw = raw.replace("\\", "")  # luqum keeps escapes; the words are what was meant
    prefix = False
    if not is_phrase:
        prefix = _check_wildcards(raw, text, item.pos)
        raw = raw.rstrip("*") if prefix else raw
    tokens = tuple(tokenize(raw))
    if not tokens:
        what = "These quotes contain" if is_phrase else f"'{item.value}' contains"
        message = f"{what} no letters or digits to search for."
        raise QueryError(message, text=text, position=item.pos)
    if prefix and len(tokens[-1]) < MIN_PREFIX and not is_char_token(tokens[-1]):
        raise QueryError(
            f"Put at least {MIN_PREFIX} letters before *.", text=text, position=item.pos
        )
    if field in META_FIELDS:
        if near is not None:
            raise QueryError(
                f"~ proximity does not apply to {field}:.", text=text, position=item.pos
            )
        return Meta(field, " ".join(tokens), raw, prefix=prefix, position=item.pos)
    if near is not None:
        tokens = tuple(dict.fromkeys(tokens))  # a word near itself is just the word
        near = near if len(tokens) > 1 else None
    fields = (field,) if field else TEXT_FIELDS
    return Text(raw, tokens, fields, prefix, near, is_phrase, item.pos)


def _check_wildcards(word: str, text: str, position: int) -> bool:
    """True for a trailing-* prefix; inner, leading and ? wildcards are refused."""
    if "?" in word:
        raise QueryError(
            "? wildcards are not supported; use * at the end of a word (wiki*).",
            text=text,
            position=position + word.index("?"),
        )
    body = word.rstrip("*")
    if "*" in body:
        raise QueryError(
            "* works only at the end of a word (wiki*), not inside or before it.",
            text=text,
            position=position + body.index("*"),
        )
    return body != word


def _simplify(node: Node) -> Node:
    """Flatten nested AND/OR and collapse single-item groups, so explain() reads naturally."""
    if isinstance(node, And | Or):
        kind = type(node)
        items: list[Node] = []
        for child in (_simplify(c) for c in node.items):
            items.extend(child.items if isinstance(child, kind) else (child,))
        return items[0] if len(items) == 1 else kind(tuple(items))
    if isinstance(node, Not):
        inner = _simplify(node.item)
        return inner.item if isinstance(inner, Not) else Not(inner, node.position)
    return node


def _check_not_only_negative(query: Query) -> None:
    # A search that matches an empty article matches nearly everything: it only excludes.
    if compile(query).match(Document()) is None:
        return
    position = next((n.position for n in walk(query.root) if isinstance(n, Not)), 0)
    raise QueryError(
        "This search only says what to leave out; add at least one word to look for.",
        text=query.text,
        position=position,
    )


def walk(node: Node) -> Iterator[Node]:
    """Every node of the tree, parents before children."""
    yield node
    if isinstance(node, And | Or):
        for child in node.items:
            yield from walk(child)
    elif isinstance(node, Not):
        yield from walk(node.item)


# ---------------------------------------------------------------- explain


def explain(query: Query) -> str:
    """The query in plain English, for the saved-search page."""
    return "Articles that " + _explain(query.root) + "."


def _explain(node: Node) -> str:
    if isinstance(node, Text):
        return "mention " + _explain_text(node)
    if isinstance(node, Meta):
        return _explain_meta(node)
    if isinstance(node, Not):
        inner = node.item
        if isinstance(inner, Text):
            return "do not mention " + _explain_text(inner)
        if isinstance(inner, Meta):
            return "are not " + _explain_meta(inner).removeprefix("are ")
        return f"do not ({_explain(inner)})"
    joiner = " AND " if isinstance(node, And) else " OR "
    parts = [_explain(c) if _is_leafish(c) else f"({_explain(c)})" for c in node.items]
    return joiner.join(parts)


def _is_leafish(node: Node) -> bool:
    return isinstance(node, Text | Meta) or (isinstance(node, Not) and _is_leafish(node.item))


def _explain_text(node: Text) -> str:
    words = node.raw
    if node.near is not None:
        listed = " and ".join(f'"{t}"' for t in node.tokens)
        what = f"{listed} within {node.near} words of each other (any order)"
    elif node.prefix:
        what = f'a word starting with "{words}"'
    elif len(node.tokens) > 1 and node.quoted:
        what = f'the exact phrase "{words}"'
    else:
        what = f'"{words}"'
    if node.fields != TEXT_FIELDS:
        what += f" in the {node.fields[0]}"
    return what


_META_NAMES = {"lang": "language", "country": "country", "outlet": "outlet", "author": "author"}


def _explain_meta(node: Meta) -> str:
    name = _META_NAMES[node.field]
    if node.field == "author":
        verb = "have an author"
        return f'{verb} starting with "{node.raw}"' if node.prefix else f'{verb} "{node.raw}"'
    if node.prefix:
        return f'are from an {name} starting with "{node.raw}"'
    preposition = "in" if node.field == "lang" else "from"
    return f'are {preposition} {name} "{node.raw}"'


# ---------------------------------------------------------------- prefilter anchors


@dataclass(frozen=True, slots=True)
class Anchor:
    """A literal any matching article must contain (one of a query's anchors, at least)."""

    text: str  # normalised; for "meta", the field and the value's start: "lang:pt"
    kind: str  # "word" (whole token), "prefix" (token start), "chars" (CJK substring), "meta"


def required_terms(query: Query) -> tuple[frozenset[Anchor], ...]:
    """Sets of anchors such that every matching article contains all the anchors of one set at
    least; () = cannot anchor (only excluded words in a branch of an OR): check every article.

    A set holds what one way of matching needs at once (a phrase's words, an AND's terms), so
    the percolator checks a search only when a whole set is in the article.
    """
    return tuple(_anchor_sets(query.root) or ())


MAX_ANCHOR_SETS = 8  # an AND of ORs multiplies out; beyond this, a conjunct is left out
MAX_TERM_ANCHORS = 3  # a phrase's longest words: enough to be rare, few to count


def _anchor_sets(node: Node) -> list[frozenset[Anchor]] | None:
    if isinstance(node, Text):
        return [frozenset(_term_anchors(node))]
    if isinstance(node, Meta):
        # Every value a Meta accepts starts with its value (lang:pt also takes "pt br").
        return [frozenset((Anchor(f"{node.field}:{node.value}", "meta"),))]
    if isinstance(node, Or):
        union: list[frozenset[Anchor]] = []
        for child in node.items:
            found = _anchor_sets(child)
            if found is None:
                return None
            union.extend(found)
        return _minimal(union)
    if isinstance(node, And):
        options = sorted(filter(None, map(_anchor_sets, node.items)), key=_anchor_cost)
        if not options:
            return None
        # Metadata joins a set only when there is nothing else: "lang:en" would be counted
        # for most articles, yet rarely tells a word's articles apart.
        options = [one for one in options if not _only_metadata(one)] or options
        combined = options[0]
        for other in options[1:]:
            product = [a | b for a in combined for b in other]
            if len(product) <= MAX_ANCHOR_SETS:  # leaving a conjunct out only lets more through
                combined = product
        return _minimal(combined)
    return None  # Not cannot anchor: an article can satisfy it without any word


def _minimal(sets: list[frozenset[Anchor]]) -> list[frozenset[Anchor]]:
    """Without repeats and without sets containing another (that one already lets it in)."""
    kept: list[frozenset[Anchor]] = []
    for one in sorted(set(sets), key=len):
        if not any(other <= one for other in kept):
            kept.append(one)
    return kept


def _anchor_cost(sets: list[frozenset[Anchor]]) -> tuple[bool, int, int]:
    # Words before metadata (a language or country holds many articles); then fewer sets and
    # longer anchors let fewer articles through.
    return _only_metadata(sets), len(sets), -min(sum(len(a.text) for a in one) for one in sets)


def _only_metadata(sets: list[frozenset[Anchor]]) -> bool:
    return any(all(a.kind == "meta" for a in one) for one in sets)


def _term_anchors(node: Text) -> list[Anchor]:
    candidates: list[Anchor] = []
    run = ""
    for i, token in enumerate(node.tokens):
        last = i == len(node.tokens) - 1
        if is_char_token(token) and node.near is None:
            run += token  # adjacent CJK characters are one substring in the prefilter text
            continue
        if run:
            candidates.append(Anchor(run, "chars"))
            run = ""
        kind = "prefix" if last and node.prefix else "word"
        candidates.append(Anchor(token, "chars" if is_char_token(token) else kind))
    if run:
        candidates.append(Anchor(run, "chars"))
    candidates.sort(key=lambda a: (len(a.text), a.kind == "word"), reverse=True)
    return candidates[:MAX_TERM_ANCHORS]


def prefilter_text(document: PreparedDocument) -> str:
    """The string anchors are searched in: each field's tokens between spaces, runs of
    space-less-script characters written together, then the metadata values (see _META)."""
    metadata = "".join(
        f"{_META}{name}:{value.replace(' ', _META)}{_META_END}"
        for name in META_FIELDS
        for value in document.folded_meta(name)
    )
    return (
        "  " + _anchor_text(document.title) + "  " + _anchor_text(document.text) + "  " + metadata
    )


# Metadata values are written between control characters no token contains, spaces included,
# so a word anchor never finds them and a metadata anchor finds only the start of a value.
_META = "\x1f"
_META_END = "\x1e"


def _anchor_text(field: FieldTokens) -> str:
    if not field.has_chars:
        # Word and prefix anchors ask only which words occur: each once, in any order.
        return field.distinct
    parts: list[str] = []
    previous_char = False
    for token in field.tokens:
        char = is_char_token(token)
        if parts and not (char and previous_char):
            parts.append(" ")
        parts.append(token)
        previous_char = char
    return "".join(parts)


def anchor_key(anchor: Anchor) -> str:
    """The literal to look for in prefilter_text(): spaces mark word boundaries."""
    if anchor.kind == "word":
        return f" {anchor.text} "
    if anchor.kind == "prefix":
        return f" {anchor.text}"
    if anchor.kind == "meta":
        return _META + anchor.text.replace(" ", _META)  # no _META_END: the value's start
    return anchor.text


# ---------------------------------------------------------------- matching


class FieldTokens:
    """One text field's tokens and set of words; its spaced text, positions and sorted
    vocabulary are built only when a phrase, a prefix or a proximity search asks for them."""

    __slots__ = (
        "tokens",
        "words",
        "has_chars",
        "_distinct",
        "_spaced",
        "_positions",
        "_vocabulary",
        "_unsorted_checks",
    )

    def __init__(self, text: str) -> None:
        tokens, maybe_chars = _tokens(text)
        self.tokens = tokens
        self.words = set(tokens)
        self.has_chars = maybe_chars and any(map(is_char_token, self.words))
        self._distinct: str | None = None
        self._spaced: str | None = None
        self._positions: dict[str, list[int]] | None = None
        self._vocabulary: list[str] | None = None
        self._unsorted_checks = 0

    def has(self, token: str, *, prefix: bool = False) -> bool:
        return self.starts(token) if prefix else token in self.words

    @property
    def distinct(self) -> str:
        """Each word once, in no particular order, between spaces."""
        if self._distinct is None:
            self._distinct = " " + " ".join(self.words) + " "
        return self._distinct

    def starts(self, prefix: str) -> bool:
        """Does any token start with `prefix`?"""
        if self._vocabulary is None and self._unsorted_checks < _SORT_AFTER:
            # Sorting the words (~35 µs for an article) pays off only when many prefixes are
            # asked; until then, searching the distinct words' text (~1 µs) answers.
            self._unsorted_checks += 1
            return " " + prefix in self.distinct
        vocabulary = self._sorted()
        at = bisect.bisect_left(vocabulary, prefix)
        return at < len(vocabulary) and vocabulary[at].startswith(prefix)

    def follows(self, needle: str) -> bool:
        """Is `needle` (tokens between single spaces, see _phrase_needle) in this field?"""
        if self._spaced is None:
            self._spaced = " " + " ".join(self.tokens) + " "
        return needle in self._spaced

    def positions(self, token: str, *, prefix: bool = False) -> list[int]:
        if not prefix:
            return self._positions_of(token)
        found = [p for t in self.with_prefix(token) for p in self._positions_of(t)]
        found.sort()
        return found

    def with_prefix(self, prefix: str) -> list[str]:
        vocabulary = self._sorted()
        start = bisect.bisect_left(vocabulary, prefix)
        end = start
        while end < len(vocabulary) and vocabulary[end].startswith(prefix):
            end += 1
        return vocabulary[start:end]

    def _sorted(self) -> list[str]:
        if self._vocabulary is None:
            self._vocabulary = sorted(self.words)
        return self._vocabulary

    def _positions_of(self, token: str) -> list[int]:
        # One word at a time, found by list.index in C: indexing every token would cost more
        # than the matching, and only proximity terms ask, for a few words.
        if self._positions is None:
            self._positions = {}
        found = self._positions.get(token)
        if found is None:
            found = self._positions[token] = []
            at = -1
            if token in self.words:
                with contextlib.suppress(ValueError):
                    while True:
                        at = self.tokens.index(token, at + 1)
                        found.append(at)
        return found


_SORT_AFTER = 32  # prefix questions about one field before its words are sorted


class PreparedDocument:
    """A Document tokenised once, so many searches can be checked against it cheaply."""

    __slots__ = ("document", "title", "text", "words", "_meta", "_folded")

    def __init__(self, document: Document) -> None:
        self.document = document
        self.title = FieldTokens(document.title)
        self.text = FieldTokens(document.text)
        self.words = self.title.words | self.text.words  # most terms ask "in title or text?"
        self._meta: dict[str, tuple[str, ...]] = {
            "outlet": (document.outlet,),
            "lang": (document.language,),
            "country": (document.country,),
            "author": document.authors,
        }
        self._folded: dict[str, tuple[str, ...]] = {}

    def field(self, name: str) -> FieldTokens:
        return self.title if name == "title" else self.text

    def meta(self, name: str) -> tuple[str, ...]:
        return self._meta[name]

    def folded_meta(self, name: str) -> tuple[str, ...]:
        """The non-empty values of a metadata field as fold() gives them (folded once)."""
        folded = self._folded.get(name)
        if folded is None:
            folded = self._folded[name] = tuple(fold(v) for v in self._meta[name] if v)
        return folded


def prepare(document: Document | PreparedDocument) -> PreparedDocument:
    return document if isinstance(document, PreparedDocument) else PreparedDocument(document)


@dataclass(frozen=True, slots=True)
class Hit:
    term: str  # the query term as typed, e.g. wiki* or "wikipedia editors"~5
    field: str  # where it was found: title, text, outlet, lang, country or author


@dataclass(frozen=True, slots=True)
class Match:
    """Why an article matched: every positive term found in it, with the field it was found in."""

    hits: tuple[Hit, ...]

    @property
    def terms(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(h.term for h in self.hits))

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(h.field for h in self.hits))


Test = Callable[[PreparedDocument], bool]
FieldTest = Callable[[FieldTokens], bool]
# A positive term: the words it needs in title or text (one set operation rules most terms
# out), then its possible hits, each with the test saying whether it is there and what that
# test reads: the title (True), the text (False) or the whole document (None, metadata).
Term = tuple[tuple[str, ...], tuple[tuple[Hit, Callable[[Any], bool], bool | None], ...]]


@dataclass(frozen=True, slots=True)
class Matcher:
    """A compiled query: the AST turned once into small closures (no generated code) that answer
    with set lookups; a percolator runs thousands of them per article."""

    query: Query
    # None when the hits decide: a single term or an OR of terms matches when one is there.
    _test: Test | None = dataclasses.field(init=False, repr=False, compare=False)
    _terms: tuple[Term, ...] = dataclasses.field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        terms: list[Term] = []
        test = _compiled(self.query.root, terms)
        root = self.query.root
        items = root.items if isinstance(root, Or) else (root,)
        hits_decide = all(isinstance(item, Text | Meta) for item in items)
        object.__setattr__(self, "_test", None if hits_decide else test)
        object.__setattr__(self, "_terms", tuple(terms))

    def __reduce__(self) -> tuple[type[Matcher], tuple[Query]]:
        return Matcher, (self.query,)  # closures do not pickle: rebuild them from the query

    def match(self, document: Document | PreparedDocument) -> Match | None:
        prepared = prepare(document)
        test = self._test
        if test is not None and not test(prepared):
            return None
        has_all = prepared.words.issuperset
        title, text = prepared.title, prepared.text
        hits = [
            hit
            for needed, possible in self._terms
            if has_all(needed)
            for hit, present, in_title in possible
            if present(prepared if in_title is None else title if in_title else text)
        ]
        if test is None and not hits:
            return None
        return Match(tuple(hits))


def compile(query: Query) -> Matcher:  # shadows the builtin on purpose
    return Matcher(query)


def _compiled(node: Node, terms: list[Term] | None) -> Test:
    """The node's test; its positive terms are appended to `terms` in query order."""
    if isinstance(node, Text):
        in_field = _field_test(node)
        if terms is not None:
            label = node.label
            hits = tuple((Hit(label, name), in_field, name == "title") for name in node.fields)
            terms.append((node.tokens[:-1] if node.prefix else node.tokens, hits))
        return _text_test(node, in_field)
    if isinstance(node, Meta):
        test = _meta_test(node)
        if terms is not None:
            label = f"{node.field}:{node.raw}" + ("*" if node.prefix else "")
            terms.append(((), ((Hit(label, node.field), test, None),)))
        return test
    if isinstance(node, Not):
        inner = _compiled(node.item, None)  # terms under NOT never count as hits
        return lambda document: not inner(document)
    tests = [_compiled(child, terms) for child in node.items]
    # Plain words (one word, title or text) are answered together by one set operation.
    plain = [_plain_word(child) for child in node.items]
    words = frozenset(word for word in plain if word is not None)
    tests = [test for test, word in zip(tests, plain, strict=True) if word is None]
    if isinstance(node, Or):
        if words:
            tests.insert(0, lambda document: not words.isdisjoint(document.words))
        return _any(tests)
    if words:
        tests.insert(0, lambda document: words <= document.words)
    return _all(tests)


def _plain_word(node: Node) -> str | None:
    """The word of a one-word term searched in title and text, else None."""
    if isinstance(node, Text) and len(node.tokens) == 1 and not node.prefix:
        return node.tokens[0] if node.fields == TEXT_FIELDS else None
    return None


def _any(tests: list[Test]) -> Test:
    if len(tests) == 1:
        return tests[0]
    found = tuple(tests)

    def test(document: PreparedDocument) -> bool:
        # A loop, not any(generator): this runs for every candidate search of every article.
        for one in found:  # noqa: SIM110
            if one(document):
                return True
        return False

    return test


def _all(tests: list[Test]) -> Test:
    if len(tests) == 1:
        return tests[0]
    needed = tuple(tests)

    def test(document: PreparedDocument) -> bool:
        for one in needed:  # noqa: SIM110 (see _any)
            if not one(document):
                return False
        return True

    return test


def _text_test(node: Text, in_field: FieldTest) -> Test:
    word = _plain_word(node)
    if word is not None:
        return lambda document: word in document.words
    if node.fields != TEXT_FIELDS:
        return _in(node.fields[0], node, in_field)
    if len(node.tokens) == 1:
        return lambda document: in_field(document.title) or in_field(document.text)
    # Most phrases miss a word in both fields: one set operation says so for both.
    whole = _whole_words(node)
    return lambda document: (
        document.words.issuperset(whole) and (in_field(document.title) or in_field(document.text))
    )


def _in(name: str, node: Text, in_field: FieldTest) -> Test:
    """The test of a term in one field (title or text) of a document."""
    word = node.tokens[0] if len(node.tokens) == 1 and not node.prefix else None
    if name == "title":
        if word is not None:
            return lambda document: word in document.title.words
        return lambda document: in_field(document.title)
    if word is not None:
        return lambda document: word in document.text.words
    return lambda document: in_field(document.text)


def _field_test(node: Text) -> FieldTest:
    tokens = node.tokens
    if len(tokens) == 1:
        token = tokens[0]
        if node.prefix:
            return lambda field: field.starts(token)
        return lambda field: token in field.words
    # Every whole word must be there (a set operation) before positions are looked at.
    whole = _whole_words(node)
    if node.near is None:
        needle = _phrase_needle(node)
        return lambda field: field.words.issuperset(whole) and field.follows(needle)
    return lambda field: field.words.issuperset(whole) and _near(node, field)


def _whole_words(node: Text) -> tuple[str, ...]:
    return node.tokens[:-1] if node.prefix else node.tokens


def _phrase_needle(node: Text) -> str:
    """Adjacent tokens as they appear in FieldTokens' spaced text: " a b " (" a b pre" when
    the last is a prefix). Tokens hold no spaces, so a space always marks a token boundary."""
    return " " + " ".join(node.tokens) + ("" if node.prefix else " ")


def _meta_test(node: Meta) -> Test:
    name = node.field

    def test(document: PreparedDocument) -> bool:
        for value in document.folded_meta(name):  # noqa: SIM110 (see _any)
            if node.accepts_folded(value):
                return True
        return False

    return test


def _near(node: Text, field: FieldTokens) -> bool:
    tokens = node.tokens
    last = len(tokens) - 1
    if not all(field.has(t, prefix=node.prefix and i == last) for i, t in enumerate(tokens)):
        return False  # cheap rejection before building position lists
    lists = [field.positions(t, prefix=node.prefix and i == last) for i, t in enumerate(tokens)]
    return _within(lists, node.near or 0)


def _within(lists: list[list[int]], near: int) -> bool:
    """One position per list with at most `near` other tokens between the first and the last."""
    events = sorted((p, i) for i, positions in enumerate(lists) for p in positions)
    counts = [0] * len(lists)
    missing = len(lists)
    left = 0
    for position, i in events:
        missing -= counts[i] == 0
        counts[i] += 1
        while missing == 0:
            if position - events[left][0] - 1 <= near:
                return True
            j = events[left][1]
            counts[j] -= 1
            missing += counts[j] == 0
            left += 1
    return False


# ---------------------------------------------------------------- highlighting


def highlights(query: Query, text: str, *, field: str = "text") -> list[tuple[int, int]]:
    """Character spans of `text` (one field of an article) where the query's positive terms
    occur, merged and sorted: what the preview and "why it matched" mark."""
    words, starts = _located_words(text)
    spans: list[tuple[int, int]] = []
    for node in _positive_texts(query.root):
        if field in node.fields:
            spans.extend(_spans_of(node, words, starts))
    return _merged(spans)


@functools.lru_cache(maxsize=16)
def _located_words(text: str) -> tuple[list[tuple[int, int, str]], dict[str, list[int]]]:
    """The text's tokens with the span each came from, and where each token occurs. Cached:
    one article is highlighted for many searches in a row (stance, preview), and a str keeps
    its hash, so a repeat costs a dictionary look-up."""
    words: list[tuple[int, int, str]] = []
    for found in _TOKEN.finditer(text):
        piece = found.group()
        # Tokenised piece by piece so every token keeps the span of the text it came from; an
        # ASCII piece is one token, its lower case (what tokenize() gives, without the call).
        pieces = (piece.lower(),) if piece.isascii() else tokenize(piece)
        for token in pieces:
            words.append((found.start(), found.end(), token))
    starts: dict[str, list[int]] = {}
    for i, (_, _, token) in enumerate(words):
        starts.setdefault(token, []).append(i)
    return words, starts


def _positive_texts(node: Node) -> Iterator[Text]:
    if isinstance(node, Text):
        yield node
    elif isinstance(node, And | Or):
        for child in node.items:
            yield from _positive_texts(child)


def _spans_of(
    node: Text, words: list[tuple[int, int, str]], starts: dict[str, list[int]]
) -> Iterator[tuple[int, int]]:
    tokens = node.tokens
    last = len(tokens) - 1

    def fits(i: int, token: str) -> bool:
        return token.startswith(tokens[i]) if node.prefix and i == last else token == tokens[i]

    if node.near is not None:  # mark each word; their distance was checked by the matcher
        for start, end, token in words:
            if any(fits(i, token) for i in range(len(tokens))):
                yield start, end
        return
    if last == 0 and node.prefix:  # the vocabulary is far shorter than the text
        candidates: Iterable[int] = sorted(
            i for token, found in starts.items() if token.startswith(tokens[0]) for i in found
        )
    else:
        candidates = starts.get(tokens[0], ())
    for i in candidates:
        if i + last < len(words) and all(fits(j, words[i + j][2]) for j in range(len(tokens))):
            yield words[i][0], words[i + last][1]


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


# ---------------------------------------------------------------- search backends


@dataclass(frozen=True, slots=True)
class FieldFilter:
    """A metadata condition the database applies outside full-text search: any of `terms`."""

    field: str  # outlet, lang, country or author
    terms: tuple[Meta, ...]
    negated: bool = False

    def accepts(self, values: Iterable[str]) -> bool:
        found = any(t.accepts(v) for t in self.terms for v in values if v)
        return found != self.negated


@dataclass(frozen=True, slots=True)
class BackendQuery:
    """A query for one search backend: full-text expressions plus metadata filters, AND-ed."""

    match: str | None  # rows must match this; None: no full-text condition
    exclude: str | None  # FTS5 only (no unary NOT there): rows matching this are removed
    filters: tuple[FieldFilter, ...]
    superset: bool  # True: the backend may return extra rows; recheck them with compile(query)


def to_fts5(query: Query) -> BackendQuery:
    """SQLite FTS5 MATCH text for a (title, text) table; metadata comes back as filters."""
    filters, conjuncts = _split_filters(query.root)
    exact = True
    positive: list[str] = []
    negative: list[str] = []
    for node in conjuncts:
        target, inner = (negative, node.item) if isinstance(node, Not) else (positive, node)
        expression, ok = _fts5(inner)
        exact = exact and ok
        if expression is not None:
            target.append(expression)
    return BackendQuery(
        match=" AND ".join(positive) or None,
        exclude=" OR ".join(negative) or None,
        filters=filters,
        superset=not exact,
    )


def to_tsquery(query: Query) -> BackendQuery:
    """PostgreSQL to_tsquery('simple', ...) text (title weighted A, text B) plus filters."""
    filters, conjuncts = _split_filters(query.root)
    exact = True
    parts: list[str] = []
    for node in conjuncts:
        expression, ok = _tsquery(node)
        exact = exact and ok
        if expression is not None:
            parts.append(expression)
    return BackendQuery(" & ".join(parts) or None, None, filters, superset=not exact)


def _split_filters(root: Node) -> tuple[tuple[FieldFilter, ...], list[Node]]:
    """Top-level AND-ed metadata conditions become filters; everything else stays full text."""
    conjuncts = list(root.items) if isinstance(root, And) else [root]
    filters: list[FieldFilter] = []
    rest: list[Node] = []
    for node in conjuncts:
        negated = isinstance(node, Not)
        inner = node.item if isinstance(node, Not) else node
        terms = _same_field_metas(inner)
        if terms:
            filters.append(FieldFilter(terms[0].field, terms, negated))
        else:
            rest.append(node)
    return tuple(filters), rest


def _same_field_metas(node: Node) -> tuple[Meta, ...]:
    items = node.items if isinstance(node, Or) else (node,)
    if all(isinstance(i, Meta) for i in items):
        metas = tuple(i for i in items if isinstance(i, Meta))
        if len({m.field for m in metas}) == 1:
            return metas
    return ()


def _fts5(node: Node) -> tuple[str | None, bool]:
    """(expression, or None for 'no condition'; exact?). Inexact parts widen, never narrow."""
    if isinstance(node, Text):
        return _fts5_text(node), True
    if isinstance(node, Meta):
        return None, False
    if isinstance(node, Or):
        parts = [_fts5(c) if not isinstance(c, Not) else (None, False) for c in node.items]
        if any(expression is None for expression, _ in parts):
            return None, False
        return "(" + " OR ".join(e for e, _ in parts if e) + ")", all(ok for _, ok in parts)
    if isinstance(node, Not):
        return None, False  # FTS5's NOT is binary: only expressible inside an AND (below)
    return _fts5_and(node)


def _fts5_and(node: And) -> tuple[str | None, bool]:
    positive: list[str] = []
    negative: list[str] = []
    exact = True
    for child in node.items:
        target, inner = (negative, child.item) if isinstance(child, Not) else (positive, child)
        expression, ok = _fts5(inner)
        if isinstance(child, Not) and not ok:
            expression = None  # dropping an exclusion only widens
        exact = exact and ok
        if expression is not None:
            target.append(expression)
    if not positive:
        return None, False
    expression = "(" + " AND ".join(positive) + ")"
    if negative:
        expression = f"({expression} NOT ({' OR '.join(negative)}))"
    return expression, exact


def _fts5_string(words: str) -> str:
    # Quoted strings are tokenised by FTS5 exactly like the documents; operators inside are inert.
    return '"' + words.replace('"', '""') + '"'


def _fts5_text(node: Text) -> str:
    if node.near is not None:
        inner = "NEAR(" + " ".join(_fts5_string(t) for t in node.tokens) + f", {node.near})"
    else:
        # The index holds fold() output, so the query's own tokens are exactly the indexed ones.
        inner = _fts5_string(" ".join(node.tokens)) + (" *" if node.prefix else "")
    return inner if node.fields == TEXT_FIELDS else f"{node.fields[0]} : {inner}"


def _tsquery(node: Node) -> tuple[str | None, bool]:
    if isinstance(node, Text):
        return _tsquery_text(node)
    if isinstance(node, Meta):
        return None, False
    if isinstance(node, Not):
        expression, ok = _tsquery(node.item)
        if expression is None or not ok:
            return None, False  # negating a widened condition would narrow: drop it instead
        return f"!{expression}", True
    parts = [_tsquery(c) for c in node.items]
    exact = all(ok for _, ok in parts)
    if isinstance(node, Or):
        if any(expression is None for expression, _ in parts):
            return None, False
        return "(" + " | ".join(e for e, _ in parts if e) + ")", exact
    kept = [e for e, _ in parts if e is not None]
    return ("(" + " & ".join(kept) + ")" if kept else None), exact


def _lexemes(node: Text) -> list[str]:
    """Tokens for PostgreSQL: the index holds fold() output, one lexeme per token."""
    return list(node.tokens)


def _tsquery_text(node: Text) -> tuple[str, bool]:
    weight = {"title": "A", "text": "B"}.get(node.fields[0], "") if len(node.fields) == 1 else ""
    lexemes = _lexemes(node)
    last = len(lexemes) - 1

    def lexeme(i: int) -> str:
        star = "*" if node.prefix and i == last else ""
        label = f":{star}{weight}" if star or weight else ""
        return "'" + lexemes[i].replace("'", "''") + "'" + label

    if node.near is None and len(lexemes) == 1:
        return lexeme(0), True
    if node.near is None:
        return "(" + " <-> ".join(lexeme(i) for i in range(len(lexemes))) + ")", True
    if len(lexemes) != 2:
        return "(" + " & ".join(lexeme(i) for i in range(len(lexemes))) + ")", False
    a, b = lexeme(0), lexeme(1)
    options = [f"{x} <{d}> {y}" for d in range(1, node.near + 2) for x, y in ((a, b), (b, a))]
    return "(" + " | ".join(options) + ")", True
