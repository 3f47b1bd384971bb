"""`commsdesk bench [--quick]`: runs every benchmark under bench/, each printing same-run ratios."""

from __future__ import annotations

import importlib.util
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
        failures = 0
        for path in sorted(BENCH_DIR.glob("bench_*.py")):
            name = path.stem.removeprefix("bench_")
            if names and name not in names:
                continue
            self.stdout.write(self.style.MIGRATE_HEADING(f"\n### {name}"))
            spec = importlib.util.spec_from_file_location(f"bench_{name}", path)
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            failures += bool(module.main(["--quick"] if quick else []))
        if failures:
            raise CommandError(f"{failures} benchmark(s) failed", returncode=1)
