"""`commsdesk bench [--quick] [NAME...]`: runs every benchmark under bench/, each printing
same-run ratios against its baseline.

Each benchmark runs in its own Python process: several set up a database of their own, and
memory figures must not include another benchmark's models.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

BENCH_DIR = Path(__file__).resolve().parents[5] / "bench"


class Command(BaseCommand):
    help = "Run the benchmark suite (bench/bench_*.py) and print same-run ratios."

    def add_arguments(self, parser):
        parser.add_argument("--quick", action="store_true", help="smaller inputs, for a smoke run")
        parser.add_argument("names", nargs="*", help="only these benchmarks (e.g. language)")

    def handle(self, *args, quick, names, **options):
        if not BENCH_DIR.is_dir():
            raise CommandError(f"benchmarks live in a source checkout; {BENCH_DIR} is missing")
        failed = []
        for path in sorted(BENCH_DIR.glob("bench_*.py")):
            name = path.stem.removeprefix("bench_")
            if names and name not in names:
                continue
            self.stdout.write(self.style.MIGRATE_HEADING(f"\n### {name}"))
            self.stdout.flush()
            command = [sys.executable, str(path), *(["--quick"] if quick else [])]
            if subprocess.run(command, cwd=BENCH_DIR.parent).returncode != 0:
                failed.append(name)
        if failed:
            raise CommandError(f"benchmark(s) failed: {', '.join(failed)}", returncode=1)
