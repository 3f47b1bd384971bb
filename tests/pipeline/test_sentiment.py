"""Sentiment and stance: the analyser chosen per language, "not analysed" rather than a guess, the
evidence sentences, stance over only the sentences naming the terms, and the measured accuracy."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from commsdesk.pipeline import sentiment

ROOT = Path(__file__).resolve().parents[2]

MIXED = (
    "The foundation published its yearly report on Monday. "
    "Critics called the new policy a disaster and a shameful failure. "
    "The report has forty pages. "
    "Volunteers said the archive project was a wonderful success."
)


@pytest.mark.parametrize(
    ("language", "analyser"),
    [("en", "VADER"), ("fr", "vaderSentiment-fr"), ("pt", "LeIA"), ("pt-BR", "LeIA")],
)
def test_it_chooses_the_analyser_by_language(language, analyser):
    assert sentiment.analyser_for(language).name.startswith(analyser)


@pytest.mark.parametrize("language", ["de", "ja", "", "und"])
def test_it_says_not_analysed_for_a_language_without_an_analyser(language):
    result = sentiment.analyse("Das ist wunderbar und großartig.", language)

    assert not result.analysed
    assert result.label is None and result.score is None and result.evidence == ()
    assert "no sentiment analyser" in result.reason


@pytest.mark.parametrize(
    ("text", "language", "label"),
    [
        ("The volunteers did a wonderful, brilliant job.", "en", "positive"),
        ("The cuts are a terrible, shameful disaster.", "en", "negative"),
        ("The meeting is on Tuesday at nine.", "en", "neutral"),
        ("Ce projet est un grand succès, merveilleux.", "fr", "positive"),
        ("C'est une catastrophe terrible et honteuse.", "fr", "negative"),
        ("O projeto é um grande sucesso, maravilhoso.", "pt", "positive"),
        ("Foi uma catástrofe terrível.", "pt", "negative"),
    ],
)
def test_it_labels_clear_sentences_in_each_analysed_language(text, language, label):
    result = sentiment.analyse(text, language)
    assert result.label == label
    assert -1 <= result.score <= 1


def test_the_evidence_is_the_sentences_that_drove_the_label():
    result = sentiment.analyse(MIXED + " The critics added that it was an awful, cruel mess.", "en")

    assert result.label == "negative"
    assert [e.text for e in result.evidence] == [
        "Critics called the new policy a disaster and a shameful failure.",
        "The critics added that it was an awful, cruel mess.",
    ]
    assert all(e.score < 0 for e in result.evidence)


def test_evidence_offsets_point_at_the_sentence_in_the_text():
    result = sentiment.analyse(MIXED, "en")

    for evidence in result.evidence:
        assert MIXED[evidence.start : evidence.end] == evidence.text


def test_neutral_facts_do_not_dilute_the_score():
    facts = " ".join(f"The report has {n} pages." for n in range(2, 30))
    result = sentiment.analyse(facts + " The outcome was wonderful.", "en")

    assert result.label == "positive"
    assert result.evidence[0].text == "The outcome was wonderful."


def test_stance_reads_only_the_sentences_that_mention_the_terms():
    terms = ["archive*", '"policy"']
    about_archive = sentiment.stance(MIXED, ["archive*"], "en")
    about_policy = sentiment.stance(MIXED, ['"policy"'], "en")
    both = sentiment.stance(MIXED, terms, "en")

    assert about_archive.label == "positive"
    assert [e.text for e in about_archive.evidence] == [
        "Volunteers said the archive project was a wonderful success."
    ]
    assert about_policy.label == "negative"
    assert [e.text for e in about_policy.evidence] == [
        "Critics called the new policy a disaster and a shameful failure."
    ]
    assert {e.text for e in both.evidence} == {e.text for e in sentiment.analyse(MIXED).evidence}


def test_stance_matches_terms_with_accents_and_capitals_folded():
    text = "The weather was awful. The FUNDACION gave a wonderful talk. Lunch was late."
    result = sentiment.stance(text, ["Fundación"], "en")

    assert result.label == "positive"
    assert [e.text for e in result.evidence] == ["The FUNDACION gave a wonderful talk."]


def test_stance_is_not_analysed_when_no_sentence_mentions_the_terms():
    result = sentiment.stance(MIXED, ["wikipedia", "lang:en"], "en")

    assert not result.analysed
    assert "no sentence mentions" in result.reason


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One. Two! Three? Four", ["One.", "Two!", "Three?", "Four"]),
        (
            "会議は長かった。彼女は賛成した！本当に？",
            ["会議は長かった。", "彼女は賛成した！", "本当に？"],
        ),
        ("पहला वाक्य। दूसरा वाक्य।", ["पहला वाक्य।", "दूसरा वाक्य।"]),
        ("Он сказал: «Да». Потом ушёл.", ["Он сказал: «Да».", "Потом ушёл."]),
        (
            "A headline\nThe body starts here. Version 2.5 shipped.",
            ["A headline", "The body starts here.", "Version 2.5 shipped."],
        ),
    ],
)
def test_it_splits_sentences_in_many_scripts(text, expected):
    assert [s.text for s in sentiment.sentences(text)] == expected


def test_the_measured_accuracy_ships_with_the_package_and_is_none_when_unmeasured():
    english = sentiment.measured_accuracy("en")

    assert english is not None and 0 < english["accuracy"] <= 1
    assert english["measured_at"] and "VADER ground truth" in english["how"]
    assert sentiment.measured_accuracy("xx") is None


def test_accuracy_on_the_vader_ground_truth_stays_above_its_floor(corpus, capsys):
    if not (corpus / "sentiment" / "vader").is_dir():
        pytest.skip("no sentiment corpus")
    sys.path.insert(0, str(ROOT / "bench"))
    import bench_sentiment

    tweets = bench_sentiment.evaluate(
        corpus / "sentiment" / "vader" / "tweets_GroundTruth.txt", "en", limit=None
    )
    editorials = bench_sentiment.evaluate(
        corpus / "sentiment" / "vader" / "nytEditorialSnippets_GroundTruth.txt", "en", limit=None
    )

    # Measured 0.79 and 0.56 (three-way, see docs/metrics.md); a drop means a broken analyser.
    assert tweets["accuracy"] >= 0.75
    assert editorials["accuracy"] >= 0.52
