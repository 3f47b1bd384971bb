"""Spikes, emerging terms and breaking stories: the arithmetic, on series and texts built here."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from commsdesk.pipeline.trends import (
    BreakingRules,
    SpikeRules,
    breaking_stories,
    check_hour,
    document_terms,
    emerging_terms,
    find_spikes,
)

T0 = datetime(2026, 3, 2, 12, tzinfo=UTC)
H = timedelta(hours=1)


def series(values: list[int]) -> dict[datetime, int]:
    """Hourly counts ending just before T0 (the last value is the hour T0 - 1h)."""
    start = T0 - len(values) * H
    return {start + i * H: v for i, v in enumerate(values) if v}


def last_hour() -> list[datetime]:
    return [T0 - H]


def test_it_finds_no_spike_in_a_flat_series():
    counts = series([6, 7, 6, 5, 7, 6] * 28 + [7])
    assert find_spikes(counts, last_hour()) == []


def test_it_finds_a_jump_with_the_median_as_baseline():
    counts = series([4, 6, 5, 5, 6, 4] * 28 + [30])
    [spike] = find_spikes(counts, last_hour())
    assert spike.hour == T0 - H
    assert spike.count == 30
    assert spike.baseline == 5.0
    assert spike.spread >= 1.0
    assert spike.score == round((30 - 5.0) / spike.spread, 3)


def test_one_earlier_spike_does_not_raise_the_baseline():
    counts = series([5] * 100 + [80] + [5] * 60 + [30])
    [spike] = find_spikes(counts, last_hour())
    assert spike.baseline == 5.0


def test_a_sparse_series_does_not_fire_on_one_or_two():
    for jump in (1, 2, 3, 4):
        counts = series([0, 1, 0, 0, 0, 1, 0, 0] * 21 + [jump])
        assert find_spikes(counts, last_hour()) == [], jump
    checked = check_hour(T0, 2, [0] * 168, SpikeRules())
    assert not checked.is_spike and checked.spread == 1.0


def test_a_quiet_search_fires_when_many_arrive_at_once():
    counts = series([0, 1, 0, 0] * 42 + [9])
    assert [s.count for s in find_spikes(counts, last_hour())] == [9]


def test_a_busy_series_needs_more_than_a_poisson_wobble():
    # Baseline 100 with no spread: √100 = 10 is the floor, so 135 is not a spike and 145 is.
    assert not check_hour(T0, 135, [100] * 168, SpikeRules()).is_spike
    assert check_hour(T0, 145, [100] * 168, SpikeRules()).is_spike


# ---------------------------------------------------------------- emerging terms


STEADY = "The volunteers edited the encyclopedia articles about local history."


def test_a_term_new_in_the_last_day_ranks_first_and_a_steady_one_does_not_rise():
    earlier = [STEADY] * 40 + ["Librarians opened archives to volunteers."] * 20
    recent = [STEADY] * 10 + ["Heatwave closes libraries as volunteers edit."] * 6
    found = emerging_terms(recent, earlier, language="en")
    assert found[0].term in {"heatwave", "heatwave closes", "closes libraries"}
    assert found[0].recent == 6 and found[0].earlier == 0
    terms = {t.term for t in found}
    assert "encyclopedia" not in terms and "volunteers" not in terms
    assert "the" not in terms and "as" not in terms  # stopwords dropped


def test_it_needs_minimum_support():
    found = emerging_terms(["Zeppelin spotted."] * 2, [STEADY] * 10, language="en")
    assert found == []


def test_it_finds_emerging_chinese_terms_as_character_bigrams():
    earlier = ["维基百科的编辑讨论了历史条目。"] * 20
    recent = ["维基百科的编辑讨论了历史条目。"] * 5 + ["热浪导致图书馆关闭。"] * 5
    found = emerging_terms(recent, earlier, language="zh")
    terms = [t.term for t in found]
    assert "热浪" in terms and "图书" in terms
    assert "维基" not in terms
    assert all(len(t) == 2 for t in terms)


def test_document_terms_keep_phrases_inside_a_clause_and_drop_stopwords():
    terms = document_terms("Climate strike, Berlin: the march", "en")
    assert {"climate", "strike", "climate strike", "berlin", "march"} <= terms
    assert "strike berlin" not in terms  # not across punctuation
    assert "the" not in terms and "the march" not in terms


def test_a_word_rising_only_inside_a_phrase_is_shown_once_as_the_phrase():
    recent = ["Climate strike grows."] * 4
    found = emerging_terms(recent, [STEADY] * 10, language="en")
    terms = [t.term for t in found]
    assert "climate strike" in terms and "climate" not in terms


# ---------------------------------------------------------------- breaking stories


def test_a_story_growing_from_nothing_outranks_a_steady_one():
    now = T0
    steady = [(1, now - i * H) for i in range(54)]  # one placement an hour for two days
    sudden = [(2, now - timedelta(minutes=20 * i)) for i in range(8)]  # 8 in under 3 hours
    found = breaking_stories(steady + sudden, now=now)
    assert [b.story_id for b in found] == [2]
    assert found[0].recent == 8 and found[0].earlier == 0 and found[0].score == 8.0


def test_breaking_scores_compare_the_recent_rate_with_the_earlier_one():
    now = T0
    earlier = [(3, now - 7 * H - i * H) for i in range(16)]  # 16 in the earlier 48 h: expected 2
    recent = [(3, now - i * H) for i in range(6)]
    [found] = breaking_stories(earlier + recent, now=now)
    assert found.earlier == 16 and found.recent == 6
    assert abs(found.score - (6 - 2) / 3**0.5) < 0.001


def test_a_story_needs_minimum_recent_placements():
    assert breaking_stories([(4, T0), (4, T0 - H)], now=T0, rules=BreakingRules()) == []
