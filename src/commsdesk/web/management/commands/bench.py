"""`commsdesk bench [--quick|--tiny] [NAME...]`: runs the benchmarks under bench/, each printing
same-run ratios against its baseline, then repeats every FIGURE line as a summary.

Each benchmark runs in its own Python process: several set up a database of their own, and
memory figures must not include another benchmark's models. --quick and --tiny run the six
figures of the scale-out issue (ingest, feeds, match, search, web, memory) unless NAMEs are given.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

BENCH_DIR = Path(__file__).resolve().parents[5] / "bench"
FIGURES = ("ingest", "feeds", "match", "search", "web", "memory")


class Command(BaseCommand):
    help = "Run the benchmark suite (bench/bench_*.py) and print same-run ratios."

    def add_arguments(self, parser):
        size = parser.add_mutually_exclusive_group()
        size.add_argument("--quick", action="store_true", help="the six figures, smaller inputs")
        size.add_argument("--tiny", action="store_true", help="the six figures, smoke-test sizes")
        parser.add_argument("names", nargs="*", help="only these benchmarks (e.g. language)")

    def handle(self, *args, quick, tiny, names, **options):
        if not BENCH_DIR.is_dir():
            raise CommandError(f"benchmarks live in a source checkout; {BENCH_DIR} is missing")
        wanted = names or (FIGURES if quick or tiny else ())
        flags = ["--quick"] if quick else ["--tiny"] if tiny else []
        failed, figures = [], []
        began = time.monotonic()
        for path in sorted(BENCH_DIR.glob("bench_*.py")):
            name = path.stem.removeprefix("bench_")
            if wanted and name not in wanted:
                continue
            self.stdout.write(self.style.MIGRATE_HEADING(f"\n### {name}"))
            self.stdout.flush()
            if self._run(path, flags, figures) != 0:
                failed.append(name)
        self.stdout.write(
            self.style.MIGRATE_HEADING(f"\n### figures ({time.monotonic() - began:.0f} s)")
        )
        for line in figures:
            self.stdout.write(line.removeprefix("FIGURE "))
        if failed:
            raise CommandError(f"benchmark(s) failed: {', '.join(failed)}", returncode=1)

    def _run(self, path: Path, flags: list[str], figures: list[str]) -> int:
        with subprocess.Popen(
            [sys.executable, str(path), *flags],
            cwd=BENCH_DIR.parent,
            stdout=subprocess.PIPE,
            text=True,
        ) as process:
            assert process.stdout is not None
            for line in process.stdout:
                self.stdout.write(line, ending="")
                self.stdout.flush()
                if line.startswith("FIGURE "):
                    figures.append(line.rstrip("\n"))
        return process.returncode
