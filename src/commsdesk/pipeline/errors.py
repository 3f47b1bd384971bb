"""Errors a pipeline stage raises, split by what the caller should do next.

A `PermanentError` means the item is quarantined and never retried (bad feed, not an article);
a `TransientError` means try again later with backoff (timeout, 5xx). Nothing here logs or stores.
"""

from collections.abc import Mapping


class PipelineError(Exception):
    """Base class: `reason` is the human-readable text shown on a source's health page."""

    def __init__(
        self, reason: str, *, status: int | None = None, headers: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        # The HTTP status and (lower-cased) headers of the answer that failed, when there was
        # one: API connectors tell "token expired" (401) from "account gone" (404) and read
        # rate-limit headers from them.
        self.status = status
        self.headers: Mapping[str, str] = headers or {}


class PermanentError(PipelineError):
    """Retrying will not help: the bytes are bad, the page is not an article, the URL is refused."""


class TransientError(PipelineError):
    """Retrying later may help: timeout, connection refused, 5xx, 429."""

    def __init__(
        self,
        reason: str,
        *,
        retry_after: float | None = None,
        status: int | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(reason, status=status, headers=headers)
        self.retry_after = retry_after  # seconds the server asked us to wait (Retry-After), if any


class BlockedURLError(PermanentError):
    """The URL resolves to a network we may not fetch (SSRF guard) or is not http(s)."""


class RobotsDisallowedError(PermanentError):
    """robots.txt of the host forbids fetching this URL for our User-Agent."""


class TooLargeError(PermanentError):
    """The response body exceeds the configured size cap."""


class FeedError(PermanentError):
    """The bytes could not be read as RSS, Atom or JSON Feed by any parser."""


class NotAnArticleError(PermanentError):
    """The page has no extractable article text (binary, empty, navigation page)."""
