"""Review-by reminders: the owner of a material whose review date has come gets one email."""

from __future__ import annotations


def any_due() -> bool:
    return False


def send_due() -> int:
    return 0
