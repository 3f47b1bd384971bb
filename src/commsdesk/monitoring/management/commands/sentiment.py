"""`commsdesk sentiment [--lang xx]`: text lines on stdin → `label<TAB>score` per line.

`--reanalyse [--all]` instead fills in article sentiment and mention stance in the database
(only rows never analysed, unless --all), in committed batches.
"""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError

from commsdesk.pipeline import sentiment


class Command(BaseCommand):
    help = "Sentiment of each line read from standard input: label<TAB>score (-1..1)."

    def add_arguments(self, parser):
        parser.add_argument("--lang", default="en", help="language of the lines (default en)")
        parser.add_argument(
            "--reanalyse",
            action="store_true",
            help="analyse stored articles and mentions instead of reading standard input",
        )
        parser.add_argument("--all", action="store_true", help="with --reanalyse: every row")
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, **options):
        if options["reanalyse"]:
            return self._reanalyse(everything=options["all"], batch_size=options["batch_size"])
        lang = options["lang"]
        if sentiment.analyser_for(lang) is None:
            known = ", ".join(sorted(sentiment.languages()))
            raise CommandError(f"no sentiment analyser for language “{lang}” (there is: {known})")
        for line in sys.stdin:
            result = sentiment.analyse(line.rstrip("\r\n"), lang)
            if not result.analysed:  # a blank line: nothing to feel either way
                result = sentiment.Sentiment(sentiment.NEUTRAL, 0.0, (), result.analyser)
            self.stdout.write(f"{result.label}\t{result.score:.4f}")

    def _reanalyse(self, *, everything: bool, batch_size: int) -> None:
        from commsdesk.monitoring.sentiment import reanalyse

        def progress(articles: int, mentions: int) -> None:
            self.stderr.write(f"{articles} articles, {mentions} mentions", ending="\r")

        articles, mentions = reanalyse(
            everything=everything, batch_size=max(1, batch_size), progress=progress
        )
        self.stdout.write(f"analysed {articles} articles and {mentions} mentions")
