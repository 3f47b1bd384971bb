"""The saved-search query language: syntax, errors, folding, scripts, explain and backends."""

from __future__ import annotations

import sqlite3
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commsdesk.pipeline.query import (
    _INERT,
    _SEPARATOR,
    _TOKEN,
    MAX_ANCHOR_SETS,
    Anchor,
    QueryError,
    _character_kind,
    _normalized,
    compile,
    explain,
    normalize,
    parse,
    required_terms,
    to_fts5,
    to_tsquery,
    tokenize,
)
from commsdesk.pipeline.records import Document


def matches(query: str, text: str = "", **fields: object) -> bool:
    return compile(parse(query)).match(Document(text=text, **fields)) is not None  # type: ignore[arg-type]


# ---------------------------------------------------------------- syntax


@pytest.mark.parametrize(
    ("query", "text", "expected"),
    [
        ("wikipedia editors", "the editors of wikipedia", True),
        ("wikipedia editors", "wikipedia alone", False),  # the default operator is AND
        ("wikipedia AND editors", "editors wikipedia", True),
        ("wikipedia OR editors", "editors only", True),
        ("wikipedia NOT editors", "wikipedia editors", False),
        ("wikipedia -editors", "wikipedia readers", True),
        ("+wikipedia +editors", "wikipedia editors", True),
        ("(wikipedia OR wikimedia) AND grant", "the wikimedia grant", True),
        ("wikipedia editors OR volunteers", "wikipedia volunteers", True),  # a AND (b OR c)
        ("wikipedia editors OR volunteers", "editors volunteers", False),
        ("wikipedia AND editors OR volunteers", "volunteers", True),  # (a AND b) OR c
        ('"wikipedia editors"', "wikipedia editors met", True),
        ('"wikipedia editors"', "editors of wikipedia", False),
        ("e-mail", "send an E-mail", True),
        ("e-mail", "mail e", False),
    ],
)
def test_it_combines_terms_with_boolean_operators(query: str, text: str, expected: bool) -> None:
    assert matches(query, text) is expected


def test_it_matches_a_trailing_wildcard_as_a_word_prefix() -> None:
    assert matches("wiki*", "Wikimedia Foundation")
    assert matches("wiki*", "a wiki")
    assert not matches("wiki*", "kiwiki")


def test_it_matches_a_wildcard_at_the_end_of_a_phrase_like_word() -> None:
    assert matches("open-da*", "open data rocks")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("wikipedia editors", True),
        ("editors of wikipedia", True),  # any order
        ("wikipedia has many many active editors", True),  # 4 words between
        ("wikipedia has very many many active editors", False),  # 5 words between
    ],
)
def test_it_matches_proximity_within_n_words_in_any_order(text: str, expected: bool) -> None:
    assert matches('"wikipedia editors"~4', text) is expected


def test_it_restricts_terms_to_the_title_or_the_text() -> None:
    assert matches("title:wikipedia", title="Wikipedia at 25", text="")
    assert not matches("title:wikipedia", title="Birthday", text="wikipedia")
    assert matches("text:wikipedia", title="x", text="wikipedia")
    assert matches('title:("open data" OR wiki*) grant', title="Wikimedia", text="grant")


def test_it_filters_on_metadata_fields_case_and_accent_insensitively() -> None:
    assert matches("wikipedia lang:es", "wikipedia", language="es")
    assert matches("wikipedia lang:pt", "wikipedia", language="pt-BR")
    assert not matches("wikipedia lang:pt-br", "wikipedia", language="pt-PT")
    assert matches("wikipedia country:ke", "wikipedia", country="KE")
    assert matches('wikipedia outlet:"le monde"', "wikipedia", outlet="Le Monde")
    assert not matches("wikipedia outlet:monde", "wikipedia", outlet="Le Monde")  # whole value
    assert matches("wikipedia outlet:le*", "wikipedia", outlet="Le Monde")
    assert matches("wikipedia author:jose*", "wikipedia", authors=("A. Smith", "José Pérez"))
    assert matches("lang:es", "anything", language="es")  # metadata alone is a valid search


# ---------------------------------------------------------------- folding and scripts


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("Wikipédia", "WIKIPEDIA"),
        ("wikipedia", "Wikipédia"),
        ("ÉDITEURS", "éditeurs"),
        ("straße", "STRASSE"),  # casefold, not lower
        ("Википедия", "ВИКИПЕДИЯ"),
        ("ёлка", "Елка"),  # Cyrillic ё folds to е like an accent
        ("ויקיפדיה", "ויקיפֶּדיה"),  # Hebrew niqqud ignored
        ("ويكيبيديا", "وِيكِيبِيدِيَا"),  # Arabic harakat ignored
        ("Ελλάδα", "ΕΛΛΑΔΑ"),
    ],
)
def test_it_is_case_and_accent_insensitive(query: str, text: str) -> None:
    assert matches(query, f"news: {text}, today")


def test_it_respects_word_boundaries_in_non_latin_scripts() -> None:
    assert matches("ويكيبيديا", "موسوعة ويكيبيديا الحرة")
    assert not matches("ويكي", "موسوعة ويكيبيديا الحرة")
    assert matches("ويكي*", "موسوعة ويكيبيديا الحرة")
    assert not matches("вики", "Википедия")
    assert matches("вики*", "Википедия")


@pytest.mark.parametrize(
    ("query", "text", "expected"),
    [
        ("维基百科", "维基百科是一个自由的百科全书", True),  # substring inside a run
        ("百科全书", "维基百科是一个自由的百科全书", True),
        ("维基百科", "维基是百科", False),
        ("ウィキペディア", "日本語版ウィキペディアの記事", True),
        ("ウィキペディア", "ウイキペデイア", False),  # small ィ is a different kana (NFKD)
        ("ガイド", "カイド", False),  # voicing marks are not accents
        ("위키백과", "위키백과는 자유 백과사전", True),  # Korean particle attached
        ("维基百科 wikipedia", "Wikipedia（维基百科）", True),
    ],
)
def test_it_matches_cjk_terms_as_character_substrings(
    query: str, text: str, expected: bool
) -> None:
    assert matches(query, text) is expected


# ---------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("query", "position", "fragment"),
    [
        ("", 0, "empty"),
        ("   ", 0, "empty"),
        ('wikipedia "open data', 10, "quote"),
        ("(wikipedia OR wikimedia", 0, "never closed"),
        ("wikipedia)", 9, "closes nothing"),
        ("wikipedia AND", 12, "ends too early"),
        ("AND wikipedia", 0, "both sides"),
        ("wikipedia OR OR wikimedia", 13, "both sides"),
        ("site:example.org", 0, "Unknown field"),
        ("wi*ki", 2, "end of a word"),
        ("*pedia", 0, "end of a word"),
        ("wiki?", 4, "? wildcards"),
        ("w*", 0, "at least 2"),
        ("-wikipedia", 0, "leave out"),
        ("wikipedia OR -wikimedia", 13, "leave out"),
        ("wikipedia~2", 0, "Fuzzy"),
        ('"wikipedia editors"~500', 22, "whole number"),
        ("wikipedia && wikimedia", 10, "Write AND"),
        ('""', 0, "no letters"),
    ],
)
def test_it_rejects_invalid_queries_with_a_position(
    query: str, position: int, fragment: str
) -> None:
    with pytest.raises(QueryError) as caught:
        parse(query)
    assert fragment in caught.value.message
    assert caught.value.position == position
    assert caught.value.pointer.splitlines()[-1] == " " * position + "^"
    assert isinstance(caught.value, ValueError)


# ---------------------------------------------------------------- explain, hits, anchors


def test_it_explains_a_query_in_plain_english() -> None:
    text = explain(parse('title:wiki* "open data"~3 -spam lang:es'))
    assert text == (
        'Articles that mention a word starting with "wiki" in the title AND mention "open" and '
        '"data" within 3 words of each other (any order) AND do not mention "spam" AND are in '
        'language "es".'
    )


def test_it_reports_which_terms_hit_and_where() -> None:
    found = compile(parse("(wiki* OR wikimedia OR absent) -spam lang:es")).match(
        Document(title="Wikimedia", text="on wikipedia", language="es")
    )
    assert found is not None
    assert set(found.terms) == {"wiki*", "wikimedia", "lang:es"}
    assert set(found.fields) == {"title", "text", "lang"}


def _anchor_sets(query: str) -> set[frozenset[Anchor]]:
    return set(required_terms(parse(query)))


def test_it_anchors_a_term_on_its_longest_words_all_required() -> None:
    word = Anchor("wikipedia", "word")
    assert _anchor_sets("wikipedia") == {frozenset({word})}
    assert _anchor_sets("wiki*") == {frozenset({Anchor("wiki", "prefix")})}
    assert _anchor_sets('"the wikipedia"~5') == {frozenset({word, Anchor("the", "word")})}
    (longest,) = _anchor_sets('"a bb cc wikipedia"')
    assert longest == {word, Anchor("bb", "word"), Anchor("cc", "word")}  # MAX_TERM_ANCHORS
    assert _anchor_sets("维基百科") == {frozenset({Anchor("维基百科", "chars")})}


def test_an_or_anchors_on_any_branch_and_an_and_on_all_of_its_terms() -> None:
    assert _anchor_sets("wiki* OR wikimedia") == {
        frozenset({Anchor("wiki", "prefix")}),
        frozenset({Anchor("wikimedia", "word")}),
    }
    assert _anchor_sets("(wiki OR data) editors") == {
        frozenset({Anchor("wiki", "word"), Anchor("editors", "word")}),
        frozenset({Anchor("data", "word"), Anchor("editors", "word")}),
    }
    # A set containing another adds nothing: the smaller one already lets the article in.
    assert _anchor_sets('wiki OR "wiki editors"') == {frozenset({Anchor("wiki", "word")})}


def test_it_anchors_metadata_on_its_value_but_prefers_words() -> None:
    lang = Anchor("lang:pt br", "meta")
    assert _anchor_sets("lang:pt-BR") == {frozenset({lang})}
    assert _anchor_sets("wikipedia OR lang:pt-BR") == {
        frozenset({Anchor("wikipedia", "word")}),
        frozenset({lang}),
    }
    assert _anchor_sets("lang:pt-BR wikipedia") == {frozenset({Anchor("wikipedia", "word")})}
    assert _anchor_sets("lang:pt-BR -wikipedia") == {frozenset({lang})}


def test_it_cannot_anchor_negated_branches() -> None:
    assert required_terms(parse("-(wikipedia OR -spam)")) == ()  # spam, and no wikipedia
    assert _anchor_sets("wikipedia (wikimedia OR -spam)") == {
        frozenset({Anchor("wikipedia", "word")})
    }


def test_an_and_of_many_ors_leaves_some_out_rather_than_multiply_without_end() -> None:
    query = " ".join(f"(a{i} OR b{i} OR c{i})" for i in range(6))
    sets = required_terms(parse(query))
    assert 0 < len(sets) <= MAX_ANCHOR_SETS
    assert all(len(one) == len(sets[0]) for one in sets)


# ---------------------------------------------------------------- backends


def test_it_builds_tsquery_with_weights_prefixes_and_distances() -> None:
    built = to_tsquery(parse('title:wiki* "open data" -spam "a b"~1 lang:es'))
    assert built.match == (
        "'wiki':*A & ('open' <-> 'data') & !'spam' & "
        "('a' <1> 'b' | 'b' <1> 'a' | 'a' <2> 'b' | 'b' <2> 'a')"
    )
    assert [(f.field, f.negated) for f in built.filters] == [("lang", False)]
    assert not built.superset


def test_it_moves_top_level_metadata_to_filters_and_widens_the_rest() -> None:
    built = to_fts5(parse("wikipedia -lang:de (wikimedia OR outlet:bbc)"))
    assert built.match == '"wikipedia"'
    assert [(f.field, f.negated) for f in built.filters] == [("lang", True)]
    assert built.superset  # outlet inside an OR cannot be a filter: recheck with the matcher


CORPUS = [
    Document(title="Wikipedia turns 25", text="Editors of the free encyclopedia celebrate."),
    Document(title="Wikimedia grant", text="The foundation gives open data grants to editors."),
    Document(title="Café society", text="Les éditeurs de Wikipédia se réunissent au café."),
    Document(title="Open knowledge", text="Open source and open data, not spam."),
    Document(title="Spam report", text="wikipedia spam editors fight spam"),
    Document(title="Википедия", text="Редакторы Википедии собрались в Москве."),
    Document(title="ויקיפדיה", text="עורכי ויקיפדיה נפגשו"),
    Document(title="Data", text="editors and the data of open wikipedia"),
    Document(title="", text="wikipedia has many active editors today"),
]

FTS5_QUERIES = [
    "wikipedia",
    "wikipédia",
    "wiki*",
    "wikipedia editors",
    "wikipedia OR wikimedia",
    "wikipedia -spam",
    "wikipedia NOT spam",
    '"open data"',
    "open-da*",
    '"wikipedia editors"~2',
    '"wikipedia editors"~0',
    '"editors wikipedia"~5',
    "title:wiki*",
    "text:wikipedia -title:spam",
    "(wikipedia OR wikimedia) (editors OR foundation) -spam",
    "Википедия",
    "ויקיפדיה",
    "café",
    "open AND (data OR source) NOT (spam OR wikipedia)",
]


@pytest.fixture(scope="module")
def fts5() -> sqlite3.Connection:
    connection = sqlite3.connect(":memory:")
    connection.execute(
        "CREATE VIRTUAL TABLE docs USING fts5(title, text, "
        "tokenize='unicode61 remove_diacritics 2')"
    )
    for i, doc in enumerate(CORPUS):
        connection.execute(
            "INSERT INTO docs(rowid, title, text) VALUES (?, ?, ?)", (i, doc.title, doc.text)
        )
    return connection


def _fts5_rows(connection: sqlite3.Connection, query: str) -> set[int]:
    built = to_fts5(parse(query))
    assert built.filters == () and not built.superset
    sql, params = "SELECT rowid FROM docs WHERE 1", []
    if built.match:
        sql += " AND rowid IN (SELECT rowid FROM docs WHERE docs MATCH ?)"
        params.append(built.match)
    if built.exclude:
        sql += " AND rowid NOT IN (SELECT rowid FROM docs WHERE docs MATCH ?)"
        params.append(built.exclude)
    return {row[0] for row in connection.execute(sql, params)}


@pytest.mark.parametrize("query", FTS5_QUERIES)
def test_fts5_agrees_with_the_matcher(fts5: sqlite3.Connection, query: str) -> None:
    matcher = compile(parse(query))
    expected = {i for i, doc in enumerate(CORPUS) if matcher.match(doc) is not None}
    assert _fts5_rows(fts5, query) == expected


# ---------------------------------------------------------------- robustness

_words = st.sampled_from(
    ["wikipedia", "wiki*", '"open data"', '"a b"~3', "title:x", "lang:es", "Café", "维基", "(", ")"]
    + ["AND", "OR", "NOT", "-", "+", '"', "*", ":", "~", "ויקי", "вики*", "author:jo*"]
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(query=st.one_of(st.text(max_size=40), st.lists(_words, max_size=8).map(" ".join)))
def test_parse_either_succeeds_or_raises_a_query_error(query: str) -> None:
    try:
        parsed = parse(query)
    except QueryError as error:
        assert 0 <= error.position <= len(query)
        return
    explain(parsed)
    to_fts5(parsed)
    to_tsquery(parsed)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(
    query=st.lists(_words, min_size=1, max_size=6).map(" ".join),
    title=st.text(max_size=30),
    text=st.text(max_size=200),
)
def test_the_matcher_never_crashes_on_arbitrary_text(query: str, title: str, text: str) -> None:
    try:
        parsed = parse(query)
    except QueryError:
        return
    compile(parsed).match(Document(title=title, text=text, language="es"))


# ---------------------------------------------------------------- fast tokenising paths

# Text mixing the characters that pick each path: ASCII, punctuation normalising leaves alone
# (curly quotes, dashes), punctuation it rewrites (…, no-break space), accents, Cyrillic, marks,
# CJK, kana with voicing marks, Thai, digits of other scripts; plus anything at all.
_MIXED = st.text(
    alphabet=st.sampled_from(
        list("Ab9 ,.-_'\"\t\n")
        + list("’“”—–…\u00a0\u2009·")
        + list("éÉçñßøłİΣς")
        + list("Привет")
        + ["\u0301", "\u0903", "\u093f", "\u0651"]
        + list("维基百科한국")
        + list("がガー々")
        + list("ภาษาไทย")
        + list("١٢٣٤")
    ),
    max_size=60,
)


@settings(max_examples=500)
@given(text=st.one_of(_MIXED, st.text(max_size=40)))
def test_the_fast_tokenising_paths_give_the_same_tokens_as_the_unicode_regex(text: str) -> None:
    assert normalize(text) == _normalized(text)
    assert tokenize(text) == _TOKEN.findall(_normalized(text))


def test_no_separator_ever_ends_a_canonical_composition() -> None:
    # What lets text of ASCII and "inert" separators skip NFC (see _character_kind).
    second: set[str] = set()
    for code in range(0x110000):
        decomposition = unicodedata.decomposition(chr(code))
        if decomposition and not decomposition.startswith("<"):
            second.update(chr(int(part, 16)) for part in decomposition.split()[1:])
    assert second and not any(_character_kind(c) in (_SEPARATOR, _INERT) for c in second)


def test_it_tokenises_typical_article_text_the_same_on_every_path() -> None:
    assert tokenize("The “WHO’s” report — 2024…\u00a0ok") == [
        "the",
        "who",
        "s",
        "report",
        "2024",
        "ok",
    ]
    assert tokenize("Café Société, Привет!") == ["cafe", "societe", "привет"]
    assert tokenize("维基 百科 and ガイド") == ["维", "基", "百", "科", "and", "ガ", "イ", "ド"]
