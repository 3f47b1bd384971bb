"""A real HTTP server on 127.0.0.1 for tests: serves routes a test declares, in a thread.

Routes map a path (with query) to a `Route`; a route may be a callable for dynamic answers.
Every request is recorded so tests can assert what the client sent.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering (timeouts)
    chunked: bool = False  # send the body with Transfer-Encoding: chunked, no Content-Length


@dataclass
class Request:
    path: str
    headers: dict[str, str]
    method: str = "GET"
    body: bytes = b""


Handler = Callable[[Request], Route]


class LocalServer:
    """Start with `with LocalServer() as server:`; `server.url('/x')` gives the full URL."""

    def __init__(self) -> None:
        self.routes: dict[str, Route | Handler] = {}
        self.requests: list[Request] = []
        outer = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def handle(self) -> None:
                # A client that aborts a body (size cap, timeout) resets the connection: expected.
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    super().handle()

            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                self._answer(Request(self.path, {k.lower(): v for k, v in self.headers.items()}))

            def do_POST(self) -> None:  # noqa: N802
                headers = {k.lower(): v for k, v in self.headers.items()}
                body = self.rfile.read(int(headers.get("content-length") or 0))
                self._answer(Request(self.path, headers, "POST", body))

            def _answer(self, request: Request) -> None:
                outer.requests.append(request)
                route = outer.routes.get(self.path) or outer.routes.get(self.path.split("?")[0])
                if route is None:
                    route = Route(b"not found", 404, {"Content-Type": "text/plain"})
                elif callable(route):
                    route = route(request)
                if route.delay:
                    time.sleep(route.delay)
                self.send_response(route.status)
                length = (
                    {"Transfer-Encoding": "chunked"}
                    if route.chunked
                    else {"Content-Length": str(len(route.body))}
                )
                for name, value in {**length, **route.headers}.items():
                    self.send_header(name, value)
                self.end_headers()
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self._write_body(route)

            def _write_body(self, route: Route) -> None:
                if not route.chunked:
                    self.wfile.write(route.body)
                    return
                for start in range(0, len(route.body), 16384):
                    piece = route.body[start : start + 16384]
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
                self.wfile.write(b"0\r\n\r\n")

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def add(self, path: str, route: Route | Handler) -> str:
        self.routes[path] = route
        return self.url(path)

    def __enter__(self) -> LocalServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
