"""Quoting the library in a draft by reference, and the stale-number checker: each `Citation`
remembers what a statistic or material said when it was inserted, so a draft can show what it
cites and be told when a number changed, expired or was retired, or when a number typed by hand
is an old value of a team statistic. It can also put the current value in.

It does not decide whether a draft may be approved (the view asks `check` and decides).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

import regex

from commsdesk.materials import drafting, facts
from commsdesk.materials.models import (
    Citation,
    Draft,
    KeyStatistic,
    Material,
    StatisticValue,
    Status,
)

# Numbers as English text writes them: 6,900,000 or 6900000 or 35.5. The look-arounds keep a
# number from being read out of a longer one (a phone number, 6,900,0001).
NUMBER = regex.compile(r"(?<![\d.,])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\d]|,\d)")


@dataclass(frozen=True, slots=True)
class Problem:
    """One reason a number or quoted text in a draft may be out of date."""

    message: str
    citation: Citation | None = None
    statistic: KeyStatistic | None = None
    found: str = ""  # the number as typed, for a hand-typed old value
    fixable: bool = False  # "Update to the current value" can put it right


def insert(text: str, addition: str, cursor: int | None) -> str:
    """`addition` put into `text` at the cursor (a browser's position, in UTF-16 units), or at
    the end when there is none."""
    text = text.replace("\r\n", "\n")
    if cursor is None or cursor < 0:
        joiner = "" if not text or text.endswith((" ", "\n")) else " "
        return f"{text}{joiner}{addition}"
    # Browsers count positions in UTF-16 code units; an emoji before the cursor is two of them.
    units = text.encode("utf-16-le")
    before = units[: 2 * cursor].decode("utf-16-le", errors="ignore")
    return f"{before}{addition}{text[len(before) :]}"


# Where a source may be inserted: the parts written as running text.
INSERT_FIELDS = ("body", "lead", "quotes")


def _put(draft: Draft, words: str, cursor: int | None, field: str) -> None:
    field = field if field in INSERT_FIELDS else "body"
    setattr(draft, field, insert(getattr(draft, field), words, cursor))


def cite_statistic(
    draft: Draft, statistic: KeyStatistic, cursor: int | None, field: str = "body"
) -> Citation:
    words = facts.display(statistic)
    _put(draft, words, cursor, field)
    return Citation.objects.create(
        draft=draft, statistic=statistic, value=statistic.value, as_of=statistic.as_of, text=words
    )


def cite_material(
    draft: Draft, material: Material, cursor: int | None, field: str = "body"
) -> Citation:
    number, words = drafting.approved_text(material)
    _put(draft, words, cursor, field)
    return Citation.objects.create(
        draft=draft, material=material, material_version=number, text=words
    )


def _contains(draft: Draft, words: str) -> bool:
    return any(words in getattr(draft, field) for field in drafting.TEXT_FIELDS)


def cited(draft: Draft) -> list[Citation]:
    """The approved sources the draft quotes (those whose words are still in it)."""
    citations = draft.citations.select_related("material", "statistic")
    return [citation for citation in citations if _contains(draft, citation.text)]


def forget_removed(draft: Draft) -> int:
    """Citations whose words a person has since deleted or rewritten no longer cite anything."""
    gone = [c.pk for c in draft.citations.all() if not _contains(draft, c.text)]
    draft.citations.filter(pk__in=gone).delete()
    return len(gone)


def check(draft: Draft, *, today: date) -> list[Problem]:
    """Everything out of date in the draft, cited or typed by hand."""
    problems: list[Problem] = []
    for citation in cited(draft):
        if citation.statistic_id or citation.value is not None:
            problems += _statistic_problems(citation, today)
        elif citation.material_id or citation.material_version is not None:
            problems += _material_problems(citation)
    quoted = [c.text for c in cited(draft) if c.statistic_id]
    return problems + _old_values(draft, quoted)


def _statistic_problems(citation: Citation, today: date) -> list[Problem]:
    statistic = citation.statistic
    if statistic is None:
        return [Problem(f"“{citation.text}” cites a statistic since deleted from the library.")]
    problems = []
    if citation.value is not None and citation.value != statistic.value:
        problems.append(
            Problem(
                f"“{citation.text}” was {statistic.name} as of {citation.as_of:%-d %b %Y}; "
                f"the library now says {facts.display(statistic)} "
                f"(as of {statistic.as_of:%-d %b %Y}).",
                citation=citation,
                statistic=statistic,
                fixable=statistic.status != Status.RETIRED,
            )
        )
    freshness = facts.freshness(statistic, today=today)
    if freshness.stale:
        problems.append(
            Problem(
                f"{statistic.name} is stale: {freshness.reason}.",
                citation=citation,
                statistic=statistic,
            )
        )
    return problems


def _material_problems(citation: Citation) -> list[Problem]:
    material = citation.material
    if material is None:
        return [Problem(f"The quoted text “{_short(citation.text)}” was deleted from the library.")]
    if material.status == Status.RETIRED:
        return [Problem(f"“{material.title}” has been retired: do not quote it.", citation)]
    if (
        material.approved_version
        and citation.material_version
        and material.approved_version > citation.material_version
    ):
        return [
            Problem(
                f"“{material.title}” has a newer approved version (v{material.approved_version}; "
                f"this draft quotes v{citation.material_version}).",
                citation=citation,
                fixable=True,
            )
        ]
    return []


def _old_values(draft: Draft, quoted: list[str]) -> list[Problem]:
    """Numbers typed in by hand that equal an earlier value of a team statistic (numbers inside
    cited words are reported above, with their citation)."""
    typed = _numbers(draft, quoted)
    if not typed:
        return []
    statistics = {s.pk: s for s in KeyStatistic.objects.filter(team_id=draft.team_id)}
    history = StatisticValue.objects.filter(statistic__in=statistics.keys(), value__in=typed)
    problems, seen = [], set()
    for old in history:
        statistic = statistics[old.statistic_id]
        key = (statistic.pk, old.value)
        if old.value == statistic.value or key in seen:
            continue
        seen.add(key)
        for text in typed[old.value]:
            problems.append(
                Problem(
                    f"{text} looks like an old value of {statistic.name}, "
                    f"now {facts.display(statistic)}.",
                    statistic=statistic,
                    found=text,
                    fixable=statistic.status != Status.RETIRED,
                )
            )
    return problems


def _numbers(draft: Draft, quoted: list[str]) -> dict[Decimal, list[str]]:
    found: dict[Decimal, list[str]] = {}
    for field in drafting.TEXT_FIELDS:
        text = getattr(draft, field)
        for words in quoted:
            text = text.replace(words, "\n")
        for match in NUMBER.finditer(text):
            text = match.group()
            if len(regex.sub(r"\D", "", text)) < 2:
                continue  # a lone digit is a list number or "1 of 3", not a statistic
            try:
                value = Decimal(text.replace(",", ""))
            except InvalidOperation:
                continue
            if text not in found.setdefault(value, []):
                found[value].append(text)
    return found


def _replace(draft: Draft, old: str, new: str) -> bool:
    changed = False
    for field in drafting.TEXT_FIELDS:
        value = getattr(draft, field)
        if old and old in value:
            setattr(draft, field, value.replace(old, new))
            changed = True
    return changed


def update_citation(draft: Draft, citation: Citation) -> bool:
    """Put the library's current value (or approved text) where the citation's words are."""
    if citation.statistic is not None:
        words = facts.display(citation.statistic)
        citation.value, citation.as_of = citation.statistic.value, citation.statistic.as_of
    elif citation.material is not None:
        citation.material_version, words = drafting.approved_text(citation.material)
    else:
        return False
    if not _replace(draft, citation.text, words):
        return False
    citation.text = words
    citation.save()
    return True


def update_typed(draft: Draft, statistic: KeyStatistic, found: str) -> bool:
    """Replace a hand-typed old value with the current one, and cite the statistic from now on."""
    words = facts.number(statistic.value)
    if not found or not _replace_number(draft, found, words):
        return False
    Citation.objects.create(
        draft=draft, statistic=statistic, value=statistic.value, as_of=statistic.as_of, text=words
    )
    return True


def _replace_number(draft: Draft, found: str, words: str) -> bool:
    """Only whole numbers are replaced: fixing 900 must not touch 6,900,000."""
    pattern = regex.compile(r"(?<![\d.,])" + regex.escape(found) + r"(?![\d]|,\d)")
    changed = False
    for field in drafting.TEXT_FIELDS:
        value = getattr(draft, field)
        new, n = pattern.subn(lambda _: words, value)
        if n:
            setattr(draft, field, new)
            changed = True
    return changed


def _short(text: str, length: int = 60) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"
