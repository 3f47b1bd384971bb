"""Web latency under load: p95 of the main pages with 20 concurrent clients on loopback, against
`commsdesk run`'s own server (waitress), on a generated archive (100k articles; --quick 20k).

The client is a small threaded httpx loop (no wrk/locust needed); the same-run baseline is
`/healthz` (one query through the whole middleware stack) under the same load. Not a test.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _django  # noqa: E402
from _figure import figure, machine  # noqa: E402

PAGES = ("/", "/monitoring/", "/monitoring/?q=library", "/monitoring/stories/")
CLIENTS = 20


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _session_cookie() -> str:
    from django.contrib.auth import get_user_model
    from django.test import Client

    from commsdesk.accounts.models import Membership, Team

    user, _ = get_user_model().objects.get_or_create(username="bench")
    team, _ = Team.objects.get_or_create(slug="bench", defaults={"name": "Bench"})
    Membership.objects.get_or_create(user=user, team=team, defaults={"role": "editor"})
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def _load(base: str, paths: tuple[str, ...], cookie: str, seconds: float) -> dict[str, list]:
    import httpx

    times: dict[str, list] = {p: [] for p in paths}
    errors: list[str] = []
    deadline = time.monotonic() + seconds

    def client(offset: int) -> None:
        with httpx.Client(base_url=base, cookies={"sessionid": cookie}, timeout=30) as http:
            i = offset
            # At least one round of every page per client, however loaded the machine is.
            while time.monotonic() < deadline or i < offset + len(paths):
                path = paths[i % len(paths)]
                began = time.perf_counter()
                answer = http.get(path)
                times[path].append((time.perf_counter() - began) * 1000)
                if answer.status_code != 200:
                    errors.append(f"{path}: {answer.status_code}")
                i += 1

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise SystemExit(f"web bench: {len(errors)} failed requests, e.g. {errors[:3]}")
    return times


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--tiny", action="store_true", help="a few hundred articles (smoke test)")
    args = parser.parse_args(argv)
    n = 300 if args.tiny else 20_000 if args.quick else 100_000
    seconds = 3 if args.tiny else 8 if args.quick else 30
    db_name = f"web-{n}.sqlite3"
    _django.setup(db_name)
    from bench_search import populate

    populate(n)
    cookie = _session_cookie()
    port = _free_port()
    env = {**os.environ, "LOG_LEVEL": "WARNING"}
    server = subprocess.Popen(
        [sys.executable, "-m", "commsdesk", "run", "--workers", "0", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        import httpx

        for _ in range(300):
            try:
                httpx.get(f"{base}/healthz", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        _load(base, PAGES, cookie, 1)  # warm caches and connections before the clock
        pages = _load(base, PAGES, cookie, seconds)
        floor = _load(base, ("/healthz",), cookie, seconds / 2)["/healthz"]
    finally:
        server.terminate()
        server.wait(20)
    print(f"{n:,} articles, {CLIENTS} clients on loopback, {seconds}s per pass; {machine()}")
    every = [t for ts in pages.values() for t in ts]
    for path, ts in pages.items():
        print(f"{path:<28} p50 {pct(ts, 0.5):7.1f} ms  p95 {pct(ts, 0.95):7.1f} ms  n={len(ts)}")
    p95, base_p95 = pct(every, 0.95), pct(floor, 0.95)
    print(f"{'/healthz (baseline)':<28} p50 {pct(floor, 0.5):7.1f} ms  p95 {base_p95:7.1f} ms")
    figure(
        f"web p95, {CLIENTS} clients, {n:,} articles",
        f"{p95:.0f} ms over the main pages, {len(every) / seconds:.0f} req/s (target <= 200 ms)",
        f"/healthz p95 {base_p95:.0f} ms",
        p95 / base_p95,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
