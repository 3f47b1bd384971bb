"""Name lists: a name in a query also finds its spellings in chosen languages, everywhere a
query is used (matcher, prefilter, explain, FTS5)."""

from __future__ import annotations

import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commsdesk.pipeline.match import Percolator
from commsdesk.pipeline.names import (
    NameList,
    Variant,
    expand,
    expand_with_report,
    expansions,
    shipped,
)
from commsdesk.pipeline.query import (
    Or,
    Query,
    QueryError,
    Text,
    compile,
    explain,
    fold,
    parse,
    to_fts5,
    to_tsquery,
    walk,
)
from commsdesk.pipeline.records import Document

ALL = ("en", "ru", "he", "ja", "zh", "ar")


def expanded(query: str, languages: tuple[str, ...] = ALL, names: NameList | None = None) -> Query:
    return expand(parse(query), names or shipped(), languages)


def matches(query: Query, text: str, title: str = "") -> bool:
    return compile(query).match(Document(title=title, text=text)) is not None


def spellings(query: Query) -> set[str]:
    return {n.raw for n in walk(query.root) if isinstance(n, Text)}


# ---------------------------------------------------------------- the shipped list


def test_it_ships_the_starter_entities_with_labels_in_many_languages() -> None:
    names = shipped()
    assert len(names) >= 40
    wikipedia = names.get("Q52")
    assert wikipedia is not None and wikipedia.name == "Wikipedia"
    assert {"ru", "he", "ja", "zh", "ar", "ko", "hi", "fa"} <= set(wikipedia.languages)
    assert names.metadata["fetched"] is False  # written by hand here, and the file says so
    assert "scripts/build_names.py" in names.metadata["source"]


def test_it_finds_an_entity_by_any_spelling_ignoring_case_and_accents() -> None:
    names = shipped()
    assert [e.key for e in names.named("wikipédia")] == ["Q52"]
    assert [e.key for e in names.named("ВИКИПЕДИЯ")] == ["Q52"]
    assert [e.key for e in names.named("Naciones Unidas")] == ["Q1065"]
    assert names.named("Wiki") == []


# ---------------------------------------------------------------- expansion


def test_it_expands_a_name_into_its_spellings_in_the_chosen_languages() -> None:
    query = expanded("Wikipedia", ("ru", "he", "ja", "zh", "ar"))
    assert isinstance(query.root, Or)
    assert {"Wikipedia", "Википедия", "ויקיפדיה", "ウィキペディア", "维基百科", "ويكيبيديا"} <= (
        spellings(query)
    )
    assert "Vikipedi" not in spellings(query)  # Turkish was not chosen
    assert query.text == "Wikipedia"  # still the query as typed


def test_it_leaves_the_query_alone_when_no_languages_are_chosen() -> None:
    query = parse("Wikipedia OR Wikidata")
    assert expand(query, shipped(), ()) == query
    assert expansions(query, shipped(), ()) == ()


def test_it_drops_spellings_that_are_the_same_after_folding() -> None:
    # fr/pt "Wikipédia" and it/es/de "Wikipedia" fold to the word typed: none is added twice.
    query = expanded("wikipedia", ("fr", "pt", "it", "es", "de"))
    tokens = [n.tokens for n in walk(query.root) if isinstance(n, Text)]
    assert tokens.count(("wikipedia",)) == 1
    assert len(tokens) == len(set(tokens))
    assert "La enciclopedia libre" in spellings(query)


def test_it_keeps_the_field_and_leaves_wildcards_and_proximity_alone() -> None:
    query = expanded('title:Wikipedia wiki* "Jimmy Wales"~3')
    texts = [n for n in walk(query.root) if isinstance(n, Text)]
    russian = next(n for n in texts if n.raw == "Википедия")
    assert russian.fields == ("title",) and russian.quoted
    assert any(n.prefix and n.raw == "wiki" for n in texts)
    assert not any(n.raw == "Джимми Уэйлс" for n in texts)  # proximity is not a name


def test_it_expands_names_inside_not_too() -> None:
    query = expanded('"Wikimedia Foundation" -Wikipedia', ("ru",))
    assert matches(query, "Фонд Викимедиа объявил гранты")
    assert not matches(query, "Фонд Викимедиа и Википедия")


def test_it_does_not_expand_a_lower_case_word_that_is_only_an_acronym() -> None:
    # "un" is French for "a"; only "UN" as typed means the United Nations.
    assert expansions(parse("un"), shipped(), ("ru",)) == ()
    (found,) = expansions(parse("UN"), shipped(), ("ru",))
    assert found.key == "Q1065"
    # ...and acronyms are never added as spellings: WHO would find every "who".
    query = expanded('"World Health Organization"', ("en", "de"))
    assert "WHO" not in spellings(query)
    assert "Weltgesundheitsorganisation" in spellings(query)


def test_it_lists_what_was_expanded_for_the_search_page() -> None:
    query, report = expand_with_report(
        parse("Wikipedia OR wiki*"), shipped(), ("ru", "he", "ja", "zh", "ar")
    )
    (wikipedia,) = report
    assert wikipedia.term == "Wikipedia" and wikipedia.key == "Q52"
    assert wikipedia.languages == ("ru", "he", "ja", "zh", "ar")
    assert wikipedia.summary.startswith("Wikipedia → ")
    assert wikipedia.summary.endswith(" spellings in ru, he, ja, zh, ar")
    assert len(wikipedia.added) == len(spellings(query)) - 2  # minus the term and wiki*


def test_explain_reads_the_expanded_query() -> None:
    text = explain(expanded("Wikipedia", ("ru",)))
    assert text == 'Articles that mention "Wikipedia" OR mention "Википедия".'


# ---------------------------------------------------------------- matching through the expansion


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Редакторы Википедии и статья в Википедия сегодня", "ru"),
        ("本日、日本語版ウィキペディアの記事が百万件を超えた", "ja"),  # inside running Japanese
        ("موسوعة ويكيبيديا الحرة تحتفل", "ar"),
        ("维基百科是一个自由的百科全书", "zh"),
        ("עורכי ויקיפדיה נפגשו", "he"),
    ],
)
def test_the_matcher_finds_a_document_through_its_language_spelling(
    text: str, language: str
) -> None:
    plain = parse("Wikipedia")
    assert not matches(plain, text)
    assert matches(expand(plain, shipped(), (language,)), text)


def test_the_hit_names_the_spelling_that_was_found() -> None:
    match = compile(expanded("Wikipedia", ("ja",))).match(Document(text="ウィキペディアの記事"))
    assert match is not None and match.terms == ('"ウィキペディア"',)


def test_the_percolator_prefilter_lets_expanded_searches_through() -> None:
    percolator = Percolator(
        {"expanded": expanded("Wikipedia", ("ja", "ar")), "plain": parse("Wikipedia")}
    )
    found = [key for key, _ in percolator.match(Document(text="موسوعة ويكيبيديا الحرة"))]
    assert found == ["expanded"]
    found = [key for key, _ in percolator.match(Document(text="日本語版ウィキペディアの記事"))]
    assert found == ["expanded"]


# ---------------------------------------------------------------- team variants


def test_a_team_variant_joins_the_entity_its_name_already_names() -> None:
    names = shipped().with_variants([Variant("Wikipedia", "sw", "Wikipedia ya Kiswahili")])
    query = expand(parse("Wikipedia"), names, ("sw",))
    assert matches(query, "Makala mpya katika Wikipedia ya Kiswahili")
    assert "Wikipedia ya Kiswahili" in spellings(query)
    assert shipped().get("Q52") != names.get("Q52")  # the shipped list is left as it was


def test_a_team_variant_of_a_new_name_expands_on_its_own() -> None:
    names = shipped().with_variants(
        [
            Variant("Wiki Loves Monuments", "es", "Wiki Ama los Monumentos"),
            Variant("Wiki Loves Monuments", "ru", "Вики любит памятники"),
        ]
    )
    query, (report,) = expand_with_report(parse('"wiki loves monuments"'), names, ("ru",))
    assert report.key == "team:wiki loves monuments" and report.entity == "Wiki Loves Monuments"
    assert matches(query, "Конкурс «Вики любит памятники» начался")
    assert not matches(query, "el concurso Wiki Ama los Monumentos")  # Spanish not chosen
    in_spanish = expand(parse('"wiki loves monuments"'), names, ("es",))
    assert matches(in_spanish, "el concurso Wiki Ama los Monumentos")


def test_a_team_variant_with_no_letters_is_ignored() -> None:
    names = shipped().with_variants([Variant("Wikipedia", "ru", "«»")])
    assert names.get("Q52") == shipped().get("Q52")


# ---------------------------------------------------------------- FTS5


def test_to_fts5_of_an_expanded_query_runs_on_a_real_fts5_table() -> None:
    # The project's FTS5 settings (monitoring/search/sqlite.py): folded text, ascii tokenizer.
    connection = sqlite3.connect(":memory:")
    connection.execute("CREATE VIRTUAL TABLE docs USING fts5(title, text, tokenize='ascii')")
    rows = [
        ("Википедия", "Редакторы собрались в Москве."),
        ("ويكيبيديا", "موسوعة حرة"),
        ("Wikipédia", "Les bénévoles"),
        ("中文维基百科的编辑", "自由的百科全书"),  # found inside a run of characters
        ("Wikimedia", "Фонд Викимедиа"),
        ("ויקיפדיה", "עורכי ויקיפדיה נפגשו"),
    ]
    connection.executemany(
        "INSERT INTO docs(rowid, title, text) VALUES (?, ?, ?)",
        [(i, fold(t), fold(x)) for i, (t, x) in enumerate(rows)],
    )
    query = expanded('Wikipedia -"Фонд Викимедиа"', ("ru", "ar", "zh", "he"))
    built = to_fts5(query)
    assert not built.superset and built.filters == ()
    sql = (
        "SELECT rowid FROM docs WHERE docs MATCH ? AND rowid NOT IN "
        "(SELECT rowid FROM docs WHERE docs MATCH ?)"
    )
    found = {row[0] for row in connection.execute(sql, (built.match, built.exclude))}
    assert found == {0, 1, 2, 3, 5}
    expected = {i for i, (t, x) in enumerate(rows) if matches(query, x, title=t)}
    assert found == expected  # the database and the matcher agree


# ---------------------------------------------------------------- robustness

_pieces = st.sampled_from(
    [
        "Wikipedia",
        '"Jimmy Wales"',
        "UN",
        "un",
        "wiki*",
        "Википедия",
        "维基百科",
        "title:Wikidata",
        "editors",
        '"open data"~3',
        "lang:ru",
        "OR",
        "AND",
        "(",
        ")",
    ]
)
_text = st.lists(
    st.sampled_from(
        [
            "Wikipedia",
            "Википедия",
            "ウィキペディア",
            "维基百科",
            "editors",
            "open",
            "data",
            "Организация Объединённых Наций",
            "Jimmy",
            "Wales",
            "Джимми Уэйлс",
            "un",
            ".",
        ]
    ),
    max_size=12,
).map(" ".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_pieces, min_size=1, max_size=6).map(" ".join), _text, st.sampled_from(ALL))
def test_expanding_a_search_without_exclusions_never_loses_a_match(
    query: str, text: str, language: str
) -> None:
    try:
        parsed = parse(query)
    except QueryError:
        return
    grown = expand(parsed, shipped(), (language,))
    to_fts5(grown)  # every backend still compiles it
    to_tsquery(grown)
    document = Document(text=text, language="ru")
    if compile(parsed).match(document) is not None:
        assert compile(grown).match(document) is not None
