"""Live key statistics: read a number from a JSON API through the SSRF-guarded client."""

from __future__ import annotations


def any_due() -> bool:
    return False


def refresh_due() -> int:
    return 0
