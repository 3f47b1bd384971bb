"""A team's name list: the shipped Wikidata names plus the team's own spellings (NameVariant).

The bridge from the database to `pipeline.names`, which does the expanding; saved-search pages
call `expand_for_search`. No views here, and no matching or storing of results.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf.locale import LANG_INFO

from commsdesk.pipeline.names import Expansion, NameList, Variant, expand_with_report, shipped
from commsdesk.pipeline.query import Query, parse

# Languages Django has no entry for, named in English (Django knows the rest).
_EXTRA_NAMES = {"zh": "Chinese", "yo": "Yoruba", "zu": "Zulu", "und": "as written in queries"}


def names_for(team) -> NameList:
    """The shipped list merged with `team`'s own variants (just the shipped list for None)."""
    if team is None:
        return shipped()
    from commsdesk.monitoring.models import NameVariant

    rows = NameVariant.objects.filter(team=team).values_list("name", "language", "label")
    return shipped().with_variants(Variant(*row) for row in rows)


def expand_for_search(
    query_text: str, languages: Iterable[str], team, *, names: NameList | None = None
) -> tuple[Query, tuple[Expansion, ...]]:
    """Parse `query_text` and expand its names into `languages` (a SavedSearch's
    name_languages) with the shipped list and `team`'s own spellings.

    Raises QueryError (with a position) when the query cannot parse. No languages: the parsed
    query as it is, and no expansions. When expanding many searches of one team, pass
    `names=names_for(team)` to read the team's spellings once.
    """
    query = parse(query_text)
    languages = tuple(languages)
    if not languages:
        return query, ()
    return expand_with_report(query, names if names is not None else names_for(team), languages)


def language_name(code: str) -> str:
    """'Russian' for 'ru'; the code itself when we know no name for it."""
    return _EXTRA_NAMES.get(code) or LANG_INFO.get(code, {}).get("name") or code


def language_choices() -> list[tuple[str, str]]:
    """(code, 'Name (code)') for every two- or three-letter language code we can name, by name:
    for forms where a person picks a language."""
    codes = {c for c in LANG_INFO if c.isalpha() and len(c) <= 3} | set(_EXTRA_NAMES) - {"und"}
    codes |= set(shipped().metadata.get("languages", ()))
    named = [(code, f"{language_name(code)} ({code})") for code in codes]
    return sorted(named, key=lambda pair: pair[1].casefold())
