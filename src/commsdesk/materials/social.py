"""How long a social post is on each network, counted the way that network counts: X by its
weighted length (twitter-text), Mastodon and Bluesky in graphemes, LinkedIn in characters.

The server-side truth for the live counters and for refusing to approve an over-long post; it
does not post anything anywhere.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import regex
import twitter_text

# Mastodon counts every link as 23 characters, whatever its length; it only links addresses that
# start with a scheme, so only those are shortened here.
MASTODON_URL_LENGTH = 23
_SCHEMES = ("http://", "https://")


def graphemes(text: str) -> int:
    """What a person sees as one character: a family emoji, a flag or an accented letter is one."""
    return len(regex.findall(r"\X", text))


def x_length(text: str) -> int:
    """X's weighted length: CJK characters and emoji weigh 2, every link 23."""
    return twitter_text.parse_tweet(text).weightedLength


def mastodon_length(text: str) -> int:
    links = [
        link
        for link in twitter_text.extract_urls_with_indices(text)
        if link["url"].lower().startswith(_SCHEMES)
    ]
    length, start = 0, 0
    for link in links:
        begin, end = link["indices"]
        length += graphemes(text[start:begin]) + MASTODON_URL_LENGTH
        start = end
    return length + graphemes(text[start:])


def linkedin_length(text: str) -> int:
    return len(text)


@dataclass(frozen=True, slots=True)
class Network:
    code: str
    name: str
    limit: int
    unit: str  # how it counts, for the counter's tooltip
    measure: Callable[[str], int]


NETWORKS = {
    network.code: network
    for network in (
        Network("x", "X", 280, "weighted characters (emoji and CJK count 2, links 23)", x_length),
        Network("mastodon", "Mastodon", 500, "characters (links count 23)", mastodon_length),
        Network("bluesky", "Bluesky", 300, "graphemes", graphemes),
        Network("linkedin", "LinkedIn", 3000, "characters", linkedin_length),
    )
}
CHOICES = [(network.code, network.name) for network in NETWORKS.values()]


@dataclass(frozen=True, slots=True)
class Count:
    network: Network
    used: int

    @property
    def over(self) -> int:
        """How many too many; 0 when it fits."""
        return max(0, self.used - self.network.limit)

    @property
    def left(self) -> int:
        return self.network.limit - self.used


def counts(text: str, networks: Iterable[str]) -> list[Count]:
    """The length on each chosen network, in the order networks are listed above."""
    chosen = set(networks)
    return [Count(net, net.measure(text)) for code, net in NETWORKS.items() if code in chosen]


def too_long(text: str, networks: Iterable[str]) -> list[str]:
    """Why the post cannot go out as written, one line per network it is too long for."""
    return [
        f"{count.network.name}: {count.over} over the limit of {count.network.limit}"
        for count in counts(text, networks)
        if count.over
    ]
