"""`commsdesk language`: text lines on stdin → one ISO 639-1 code per line on stdout."""

from __future__ import annotations

import sys
from itertools import islice

from django.conf import settings
from django.core.management.base import BaseCommand

from commsdesk.pipeline import language

_CHUNK = 2000


class Command(BaseCommand):
    help = "Identify the language of each line read from standard input."

    def handle(self, *args, **options):
        candidates = frozenset(settings.COMMSDESK_LANGUAGES) or None
        lines = (line.rstrip("\r\n") for line in sys.stdin)
        while chunk := list(islice(lines, _CHUNK)):
            guesses = language.identify_batch(chunk, candidates=candidates)
            self.stdout.write("\n".join(guess.code for guess in guesses))
