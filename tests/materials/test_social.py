"""Post length per network, counted as each network counts: graphemes for Bluesky, X's weighted
length (emoji and CJK weigh 2, links 23), Mastodon's 23-character links, LinkedIn characters."""

from __future__ import annotations

import regex
from hypothesis import given
from hypothesis import strategies as st

from commsdesk.materials import social

FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # man ZWJ woman ZWJ girl: one picture
# Whole emoji as people see them: ZWJ sequences, skin tones, flags, keycaps, presentation selectors.
EMOJI = [
    FAMILY,
    "\U0001f44d\U0001f3fd",  # thumbs up, medium skin tone
    "\U0001f1f0\U0001f1ea",  # flag of Kenya
    "\u2764\ufe0f",  # red heart, emoji presentation
    "1\ufe0f\u20e3",  # keycap 1
    "\U0001f3f3\ufe0f\u200d\U0001f308",  # rainbow flag
    "\U0001f469\U0001f3fe\u200d\U0001f4bb",  # woman technologist, medium-dark skin tone
    "\U0001f600",
]
CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)


def test_a_family_emoji_is_one_grapheme_on_bluesky_and_two_on_x():
    bluesky, x = social.counts(FAMILY, ["bluesky", "x"])[::-1]
    assert (bluesky.network.code, bluesky.used) == ("bluesky", 1)
    assert (x.network.code, x.used) == ("x", 2)


def test_280_ascii_characters_fit_on_x_and_281_are_one_over():
    assert social.counts("a" * 280, ["x"])[0].over == 0
    assert social.counts("a" * 281, ["x"])[0].over == 1


def test_140_cjk_characters_fit_on_x_and_141_do_not():
    assert social.x_length("中" * 140) == 280
    assert social.too_long("中" * 141, ["x"]) == ["X: 2 over the limit of 280"]
    # Bluesky counts graphemes, so the same post is well within its 300.
    assert social.too_long("中" * 141, ["bluesky"]) == []


def test_a_link_counts_23_on_x_and_mastodon_whatever_its_length():
    link = "https://wikimediafoundation.org/news/2026/11/25/a-very-long-address-indeed/"
    text = f"Read more: {link}"
    assert social.x_length(text) == len("Read more: ") + 23
    assert social.mastodon_length(text) == len("Read more: ") + 23
    assert social.graphemes(text) == len(text)  # Bluesky shows the whole address


def test_mastodon_counts_an_address_without_a_scheme_as_typed():
    assert social.mastodon_length("see example.org") == len("see example.org")


def test_linkedin_allows_3000_characters():
    assert social.too_long("a" * 3000, ["linkedin"]) == []
    assert social.too_long("a" * 3001, ["linkedin"]) == ["LinkedIn: 1 over the limit of 3000"]


def test_counts_follow_the_chosen_networks_only():
    assert [c.network.code for c in social.counts("hi", ["linkedin", "x"])] == ["x", "linkedin"]


@given(st.lists(st.sampled_from(EMOJI), max_size=40))
def test_any_string_of_emoji_counts_one_grapheme_per_emoji_on_bluesky(pieces):
    text = "".join(pieces)
    assert social.graphemes(text) == len(pieces) == len(regex.findall(r"\X", text))
    assert social.mastodon_length(text) == len(pieces)


@given(st.text(alphabet=CJK, max_size=200))
def test_n_cjk_characters_weigh_2n_on_x(text):
    assert social.x_length(text) == 2 * len(text)


@given(st.lists(st.one_of(CJK, st.sampled_from("abc XYZ\n"), st.sampled_from(EMOJI))))
def test_x_weighs_cjk_and_emoji_text_at_least_its_graphemes(pieces):
    text = "".join(pieces)
    assert social.x_length(text) >= social.graphemes(text)
