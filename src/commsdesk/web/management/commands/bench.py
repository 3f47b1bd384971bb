"""`commsdesk bench [--quick]`: runs every benchmark under bench/, each printing same-run ratios."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

BENCH_DIR = Path(__file__).resolve().parents[5] / "bench"


class Command(BaseCommand):
    help = "Run the benchmark suite (bench/*.py) and print same-run ratios."

    def add_arguments(self, parser):
        parser.add_argument("--quick", action="store_true", help="smaller inputs, for a smoke run")
        parser.add_argument("names", nargs="*", help="only these benchmarks (e.g. language)")

    def handle(self, *args, quick, names, **options):
        if not BENCH_DIR.is_dir():
            raise CommandError(f"benchmarks live in a source checkout; {BENCH_DIR} is missing")
        # Import as `bench.bench_x` so worker processes the benchmarks start can import it too.
        if str(BENCH_DIR.parent) not in sys.path:
            sys.path.insert(0, str(BENCH_DIR.parent))
        failures = 0
        for path in sorted(BENCH_DIR.glob("bench_*.py")):
            name = path.stem.removeprefix("bench_")
            if names and name not in names:
                continue
            self.stdout.write(self.style.MIGRATE_HEADING(f"\n### {name}"))
            module = importlib.import_module(f"bench.{path.stem}")
            failures += bool(module.main(["--quick"] if quick else []))
        if failures:
            raise CommandError(f"{failures} benchmark(s) failed", returncode=1)
