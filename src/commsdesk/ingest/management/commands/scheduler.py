"""`commsdesk scheduler`: the scheduling loop alone (run one or more beside workers)."""

import contextlib

from django.core.management.base import BaseCommand

from commsdesk.ingest.scheduler import run_forever


class Command(BaseCommand):
    help = "Claim due sources and enqueue their fetches, forever."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=5.0, help="seconds between ticks")
        parser.add_argument(
            "--sweep-every",
            type=float,
            default=60.0,
            help="seconds between sweeps for items a dead worker left behind",
        )

    def handle(self, *args, interval: float, sweep_every: float, **options):
        with contextlib.suppress(KeyboardInterrupt):
            run_forever(interval=interval, sweep_every=sweep_every)
