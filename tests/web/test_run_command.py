"""`commsdesk run --demo`, the README's main job, as a new user starts it: a real process tree."""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.workers import ROOT, wait_until


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def count(db: Path, sql: str) -> int:
    try:
        with sqlite3.connect(db, timeout=5) as conn:
            return conn.execute(sql).fetchone()[0]
    except sqlite3.Error:
        return 0


def children_of(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True)
    return [int(p) for p in out.stdout.split()]


def test_run_demo_serves_fetches_and_stops_cleanly(tmp_path):
    port, newsroom = free_port(), free_port()
    env = {
        **os.environ,
        "COMMSDESK_DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'run.sqlite3'}",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    run = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "commsdesk",
            "run",
            "--demo",
            "--port",
            str(port),
            "--newsroom-port",
            str(newsroom),
            "--workers",
            "1",
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert wait_until(lambda: answers(f"http://127.0.0.1:{port}/healthz"), 90), "no web"
        db = tmp_path / "run.sqlite3"
        stored = "SELECT count(*) FROM monitoring_article"
        failing = "SELECT count(*) FROM monitoring_source WHERE consecutive_failures > 0"
        assert wait_until(lambda: count(db, stored) >= 8, 90), "no articles arrived"
        assert wait_until(lambda: count(db, failing) >= 3, 60), "broken sources not shown failing"
        langs = "SELECT count(DISTINCT language) FROM monitoring_article"
        assert wait_until(lambda: count(db, langs) >= 6, 60)
        helpers = children_of(run.pid)
        assert len(helpers) == 2  # one worker, one scheduler
    finally:
        run.send_signal(signal.SIGTERM)  # as a service manager stops it
        output, _ = run.communicate(timeout=30)
    assert f"http://127.0.0.1:{port}/" in output and "demo / demo-newsroom" in output
    time.sleep(0.5)
    assert not [pid for pid in helpers if Path(f"/proc/{pid}").exists()], "helpers left behind"
