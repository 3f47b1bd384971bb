"""Shared set-up for benchmarks that need Django: a separate database, migrated once."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"


def setup(db_name: str) -> None:
    """Point Django at a benchmark database (SQLite under var/bench unless BENCH_DATABASE_URL)."""
    from django.conf import settings

    if settings.configured:
        # Django is already pointed at some database (perhaps a real one): never write there.
        raise RuntimeError("run each benchmark in its own process (commsdesk bench does)")
    bench_dir = ROOT / "var" / "bench"
    bench_dir.mkdir(parents=True, exist_ok=True)
    os.environ["DATABASE_URL"] = os.environ.get(
        "BENCH_DATABASE_URL", f"sqlite:///{bench_dir / db_name}"
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commsdesk.config.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
