"""`commsdesk run`: everything in one command — migrations, web server, worker, scheduler.

With --demo it also starts the local demo newsroom and loads its sources and a demo login.
Workers and the scheduler run as child processes so a crash in one never takes down the web.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the web server with an embedded worker and scheduler (the main job)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=2, help="worker processes")
        parser.add_argument("--demo", action="store_true", help="start and load the demo newsroom")
        parser.add_argument("--newsroom-port", type=int, default=8765)

    def handle(self, *args, host, port, workers, demo, newsroom_port, **options):
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        env = dict(os.environ)
        if demo:
            from commsdesk.demo.load import DEMO_PASSWORD, DEMO_USERNAME, load_demo
            from commsdesk.demo.newsroom import Newsroom

            newsroom = Newsroom(port=newsroom_port).start()
            load_demo(newsroom)
            # The newsroom is on 127.0.0.1: this process (adding sources) and the children
            # must be allowed to fetch it.
            env["COMMSDESK_ALLOW_PRIVATE_NETWORKS"] = "1"
            settings.COMMSDESK_ALLOW_PRIVATE_NETWORKS = True
            # Offline, Wikipedia attention reads the newsroom's stand-in for the pageviews API.
            env["COMMSDESK_PAGEVIEWS_API"] = newsroom.pageviews_api
            settings.COMMSDESK_PAGEVIEWS_API = newsroom.pageviews_api
            self.stdout.write(f"Demo newsroom serving on {newsroom.base_url}/")
        # A service manager stops us with SIGTERM: leave through `finally` so the children go too.
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
        children: list[subprocess.Popen] = []
        try:
            children.extend(self._spawn("worker", env) for _ in range(max(workers, 0)))
            children.append(self._spawn("scheduler", env))
            self.stdout.write(self.style.SUCCESS(f"commsdesk is running at http://{host}:{port}/"))
            if demo:
                self.stdout.write(f"Log in as {DEMO_USERNAME} / {DEMO_PASSWORD}")
            self.stdout.write("Press Ctrl-C to stop.")
            self._serve(host, port)
        finally:
            # A second Ctrl-C or SIGTERM must not cut the clean-up short and orphan children.
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            self._stop(children)

    def _stop(self, children: list[subprocess.Popen]) -> None:
        for child in children:
            child.send_signal(signal.SIGTERM)
        for child in children:
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()

    def _spawn(self, command: str, env: dict[str, str]) -> subprocess.Popen:
        return subprocess.Popen([sys.executable, "-m", "commsdesk", command], env=env)

    def _serve(self, host: str, port: int) -> None:
        from waitress import serve

        from commsdesk.config.wsgi import application

        with contextlib.suppress(KeyboardInterrupt):
            serve(application, host=host, port=port, threads=8, _quiet=True)
