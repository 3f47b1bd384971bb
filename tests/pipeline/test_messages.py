"""Key-message pull-through: presence, prominence (headline/lead 2, body 1, absent 0) and the
passage, per language, with accents and capitals folded and near-misses kept out."""

from __future__ import annotations

import pytest

from commsdesk.pipeline import messages

PHRASINGS = {
    "en": ["knowledge belongs to everyone"],
    "es": ["el conocimiento es de todos"],
    "fr": ["le savoir appartient à tous"],
    "ja": ["知識はみんなのもの"],
}
FILLER = {
    "en": "The meeting went on for hours and many people attended it. ",
    "es": "La reunión duró varias horas y asistieron muchas personas. ",
    "fr": "La réunion a duré des heures et beaucoup de gens y ont assisté. ",
    "ja": "会議は何時間も続き、多くの人が参加した。",
}
BODY_SENTENCE = {
    "en": "Later the chair said that knowledge, as she put it, belongs to everyone.",
    "es": "Al final dijeron que el conocimiento es de TODOS.",
    "fr": "Ils ont conclu que le savoir appartient a tous.",
    "ja": "最後に彼女は知識はみんなのものだと語った。",
}


@pytest.mark.parametrize("language", ["en", "es", "fr", "ja"])
def test_a_message_deep_in_the_body_is_present_with_prominence_1(language):
    body = FILLER[language] * 16 + BODY_SENTENCE[language]  # past 2 sentences and 300 chars

    found = messages.find("Editors meet", body, PHRASINGS, language=language)

    assert found.prominence == messages.BODY
    assert found.passage == BODY_SENTENCE[language]
    assert found.score >= messages.THRESHOLD
    assert found.phrasing == PHRASINGS[language][0]


@pytest.mark.parametrize("language", ["en", "es", "fr", "ja"])
def test_a_message_in_the_lead_scores_prominence_2(language):
    body = BODY_SENTENCE[language] + " " + FILLER[language] * 8

    found = messages.find("Editors meet", body, PHRASINGS, language=language)

    assert (found.prominence, found.passage) == (messages.LEAD, BODY_SENTENCE[language])


def test_a_message_in_the_headline_scores_prominence_2_even_when_the_body_has_it_too():
    body = FILLER["en"] * 8 + BODY_SENTENCE["en"]

    found = messages.find(
        "Knowledge belongs to everyone, say editors", body, PHRASINGS, language="en"
    )

    assert found.prominence == messages.LEAD
    assert found.passage == "Knowledge belongs to everyone, say editors"


def test_the_lead_ends_after_two_sentences_or_300_characters():
    long_first = "A" + " very" * 70 + " long opening sentence. "
    body = long_first + "Second. Third sentence says knowledge belongs to everyone."

    found = messages.find("Title", body, PHRASINGS, language="en")

    assert found.prominence == messages.BODY


@pytest.mark.parametrize("language", ["en", "es", "fr", "ja"])
def test_an_article_without_the_message_is_absent_with_no_passage(language):
    found = messages.find("Editors meet", FILLER[language] * 5, PHRASINGS, language=language)

    assert (found.prominence, found.passage) == (messages.ABSENT, "")
    assert found.score < messages.THRESHOLD


def test_a_sentence_sharing_only_common_words_does_not_count():
    body = "Everyone agreed that the knowledge base belongs in the archive, not online."
    found = messages.find(
        "Title",
        FILLER["en"] * 4 + body,
        {"en": ["access to clean water for everyone"]},
        language="en",
    )

    assert found.prominence == messages.ABSENT


def test_a_language_without_its_own_phrasing_falls_back_to_every_phrasing():
    found = messages.find(
        "Title", "Sie sagten: Knowledge belongs to everyone.", PHRASINGS, language="de"
    )

    assert found.prominence == messages.LEAD
    assert found.phrasing == "knowledge belongs to everyone"
