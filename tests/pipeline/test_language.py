"""The language stage: what it names, what it refuses to name, and how well on the shared corpus."""

from __future__ import annotations

import csv
import threading
from pathlib import Path

import pytest

from commsdesk.pipeline.language import identify, identify_batch, supported_languages

FRENCH = "La commission a publié ce matin son rapport annuel sur la liberté de la presse."
ENGLISH = "The committee published its annual report on press freedom this morning."
ZULU = (
    "Ngiyabonga kakhulu ngosizo lwakho, sizobonana kusasa ekuseni "
    "ngaphambi kokuba siye emsebenzini."
)
MAORI = "Ko te reo Māori te reo taketake o Aotearoa, ā, e kōrerotia ana e te nuinga o ngā iwi."
CROATIAN = "Vlada je danas objavila novi zakon o medijima koji stupa na snagu sljedećeg mjeseca."
NORWEGIAN = (
    "Regjeringen la i dag fram et nytt forslag om pressestøtte til lokalaviser i hele landet."
)


def test_it_names_a_well_resourced_language_with_fasttext_alone() -> None:
    guess = identify(FRENCH)
    assert guess.code == "fr"
    assert guess.decided_by == "fasttext-lite"
    assert 0.75 <= guess.confidence <= 1.0


def test_it_names_zulu_which_fasttext_lacks() -> None:
    guess = identify(ZULU)
    assert guess.code == "zu"
    assert guess.decided_by.startswith("lingua")


def test_it_names_maori_which_fasttext_lacks() -> None:
    assert identify(MAORI).code == "mi"


def test_it_answers_norwegian_as_bokmal_never_as_the_macrolanguage() -> None:
    guess = identify(NORWEGIAN)
    assert guess.code == "nb"
    assert "no" not in supported_languages()


def test_a_confusable_answer_is_never_fasttexts_alone() -> None:
    guess = identify(CROATIAN)
    assert guess.code in {"hr", "bs", "sr"}
    assert guess.decided_by in {"fasttext-lite+cld2", "lingua-low+fasttext+cld2"}


def test_a_likely_answer_confirmed_by_cld2_needs_no_lingua() -> None:
    # fastText gives Afrikaans 0.65 here (Dutch 0.23): below ACCEPT, but CLD2 agrees.
    guess = identify("Die verslag kan op ons webwerf gelees word.")
    assert (guess.code, guess.decided_by) == ("af", "fasttext-lite+cld2")
    assert 0.5 <= guess.confidence < 0.75


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Aprel ayında yeni kitab çap olunur.", "az"),  # fastText: Turkish 0.91
        ("Jääb vaid uut aruannet oodata.", "et"),  # fastText: Finnish 0.80
    ],
)
def test_a_confident_fasttext_answer_that_cld2_contradicts_goes_to_lingua(text, code) -> None:
    guess = identify(text)
    assert (guess.code, guess.decided_by) == (code, "lingua-low+fasttext+cld2")


def test_cld2_contradicts_fasttext_only_with_a_language_the_team_could_get() -> None:
    azerbaijani = "Aprel ayında yeni kitab çap olunur."  # fastText: Turkish 0.91, CLD2: az
    guess = identify(azerbaijani, candidates=frozenset({"tr", "en"}))
    assert (guess.code, guess.decided_by) == ("tr", "fasttext-lite")
    assert identify(azerbaijani, candidates=frozenset({"tr", "az"})).code == "az"


def test_cp1252_quotes_decoded_as_latin1_do_not_silence_cld2() -> None:
    # U+0093/U+0094 are C1 controls CLD2 refuses; without CLD2 this Nynorsk sentence would
    # need lingua.
    text = "Regjeringa la i dag fram eit \x93nytt\x94 forslag om pressestøtte i heile landet."
    guess = identify(text)
    assert (guess.code, guess.decided_by) == ("nn", "fasttext-lite+cld2")


# Written for these tests (not taken from the corpus), each with the marks a reader of the
# language would point to: Malay kerajaan/bajet/baharu/kerana/selepas, Indonesian
# pemerintah/anggaran/karena/setelah, Nynorsk eg/ikkje/kva, Bosnian historija/hiljadu/sedmica,
# Croatian tisuću/tjedan/povijest.
@pytest.mark.parametrize(
    ("text", "code"),
    [
        (
            "Kerajaan Malaysia akan mengumumkan bajet baharu kerana ekonomi negara semakin "
            "pulih selepas pandemik.",
            "ms",
        ),
        (
            "Pemerintah Indonesia akan mengumumkan anggaran baru karena ekonomi negara mulai "
            "pulih setelah pandemi.",
            "id",
        ),
        ("Eg veit ikkje kva regjeringa vil gjere med pressestøtta til lokalavisene i år.", "nn"),
        (
            "Historija grada počinje prije hiljadu godina, a sedmica kulture okupila je mnogo "
            "ljudi iz cijele Bosne.",
            "bs",
        ),
        (
            "Povijest grada počinje prije tisuću godina, a tjedan kulture okupio je mnogo "
            "ljudi iz cijele Hrvatske.",
            "hr",
        ),
    ],
)
def test_it_tells_apart_members_of_a_confusable_group(text: str, code: str) -> None:
    guess = identify(text)
    assert guess.code == code
    assert "cld2" in guess.decided_by


def test_when_cld2_names_no_group_member_the_two_other_models_decide() -> None:
    # Two words are too few for CLD2: it calls this Slovak, outside bs/hr/sr.
    guess = identify("svojih prijatelja")
    assert guess.code in {"bs", "hr", "sr"}
    assert guess.decided_by == "lingua-low+fasttext"


@pytest.mark.parametrize("text", ["", "   \n\t ", "12345 678", "2024-05-01 12:30", "!!! ??? …"])
def test_it_returns_und_for_text_without_letters(text: str) -> None:
    guess = identify(text)
    assert guess.code == "und"
    assert guess.confidence == 0.0


def test_it_returns_und_for_empty_text() -> None:
    assert identify("").code == "und"


def test_candidates_restrict_the_answer() -> None:
    assert identify(FRENCH).code == "fr"
    assert identify(FRENCH, candidates=frozenset({"en", "es"})).code in {"en", "es"}


def test_candidates_keep_the_right_answer_when_it_is_allowed() -> None:
    assert identify(NORWEGIAN, candidates=frozenset({"nb", "en"})).code == "nb"


def test_a_single_candidate_is_the_answer_with_fasttexts_probability() -> None:
    guess = identify(FRENCH, candidates=frozenset({"en"}))
    assert guess.code == "en"
    assert guess.confidence < 0.5


SPANISH_LIBRARY = "Los voluntarios abrieron la biblioteca municipal a todos los vecinos."


def test_candidates_without_any_supported_language_are_refused() -> None:
    with pytest.raises(ValueError, match="no supported language"):
        identify(ENGLISH, candidates=frozenset({"xx", "tlh"}))


def test_supported_languages_are_lingua_s_75_plus_those_only_fasttext_names() -> None:
    codes = supported_languages()
    assert len(codes) > 75
    assert all(len(code) == 2 and code.islower() for code in codes)
    assert {"zu", "xh", "mi", "nb", "nn", "bs", "ms"} <= codes
    assert {"gl", "mt", "am", "ml", "km"} <= codes


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (
            "O Concello de Santiago aprobou onte o orzamento, con máis fondos para as bibliotecas.",
            "gl",
        ),
        ("Il-Gvern Malti ħabbar illum miżuri ġodda għall-edukazzjoni u l-kultura.", "mt"),
        ("የኢትዮጵያ ፌዴራላዊ ዲሞክራሲያዊ ሪፐብሊክ መንግሥት ዛሬ አዲስ ውሳኔ አሳለፈ።", "am"),
        ("മലയാളം ഒരു ദ്രാവിഡ ഭാഷയാണ്, കേരളത്തിലെ ഔദ്യോഗിക ഭാഷ.", "ml"),
    ],
)
def test_it_names_languages_lingua_does_not_know_when_fasttext_is_sure(text, code) -> None:
    guess = identify(text)
    assert (guess.code, guess.decided_by) == (code, "fasttext-lite")


def test_a_team_restricted_to_fasttext_only_languages_gets_und_for_others() -> None:
    assert identify(SPANISH_LIBRARY, candidates=frozenset({"gl", "mt"})).code == "und"


def test_every_answer_is_supported_or_und() -> None:
    texts = [FRENCH, ENGLISH, ZULU, MAORI, CROATIAN, NORWEGIAN, "ok", "Ελλάδα", "東京", "x y z"]
    for guess in identify_batch(texts):
        assert guess.code in supported_languages() | {"und"}
        assert 0.0 <= guess.confidence <= 1.0


def test_batch_gives_the_same_answers_as_one_by_one_in_order() -> None:
    texts = [ZULU, FRENCH, "", CROATIAN, NORWEGIAN, MAORI, CROATIAN, ENGLISH]
    batch = identify_batch(texts)
    single = [identify(text) for text in texts]
    assert [(g.code, g.decided_by) for g in batch] == [(g.code, g.decided_by) for g in single]
    # lingua's parallel path may sum in another order: equal up to rounding.
    assert [g.confidence for g in batch] == pytest.approx([g.confidence for g in single])


def test_it_reads_only_the_start_of_a_very_long_text() -> None:
    assert identify(ENGLISH + " " + "x" * 5_000_000).code == "en"


def test_it_is_safe_to_call_from_several_threads() -> None:
    texts = [ZULU, FRENCH, CROATIAN, NORWEGIAN, MAORI, ENGLISH] * 20
    expected = identify_batch(texts)
    results: list[list[str]] = []

    def work() -> None:
        results.append([identify(text).code for text in texts])

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [[guess.code for guess in expected]] * 4


def _corpus_accuracy(tsv: Path) -> float:
    with tsv.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    gold = ["nb" if row["lang"] == "no" else row["lang"] for row in rows]
    assert len(set(gold)) == 75
    guesses = identify_batch([row["text"] for row in rows])
    return sum(g.code == lang for g, lang in zip(guesses, gold, strict=True)) / len(rows)


@pytest.mark.corpus
def test_accuracy_over_the_75_corpus_languages_is_at_least_0_96(corpus: Path) -> None:
    # Measured 0.9647 (docs/benchmarks.md); the floor is the target, with room for library
    # updates.
    assert _corpus_accuracy(corpus / "language" / "sentences.tsv") >= 0.96


@pytest.mark.corpus
def test_accuracy_on_two_word_snippets_is_at_least_0_84(corpus: Path) -> None:
    # Measured 0.852 (lingua low alone 0.789, fastText lite alone 0.597).
    assert _corpus_accuracy(corpus / "language" / "word-pairs.tsv") >= 0.84


def test_text_with_a_lone_surrogate_is_identified_not_an_error() -> None:
    text = "Los voluntarios abrieron la biblioteca municipal \ud800 a todos los vecinos."
    assert identify(text).code == "es"
    assert identify_batch([text])[0].code == "es"
